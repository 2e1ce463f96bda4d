"""Small misbehaving servers on 127.0.0.1, for the failure paths of HTTP sources.

`fault_server` answers every path under `/<fault>/` with that fault: a 503, an HTML
error page as a proxy would send, malformed JSON, an answer over the size cap, a
redirect, or a plain success; it records each request's path and `Authorization`
header.
`silent_server` accepts connections and never answers. Both bind port 0 on
loopback and stop when their block ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

HTML_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
    b"</body></html>\n"
)
"""What a reverse proxy sends when the server behind it is down."""

MALFORMED_JSON = b'{"status": "success", "data": {"resultType": "vector", "result": ['
"""A JSON answer cut off in the middle."""

OVERSIZE_BYTES = 11 * 1024 * 1024
"""Bytes the oversize fault streams: just past the sources' 10 MB cap."""

EMPTY_SUCCESS = b'{"status": "success", "data": {"resultType": "vector", "result": []}}'
"""An answer both a Prometheus query and (as the wrong shape) others can read."""


@dataclass(slots=True)
class FaultServer:
    """Where the fault server listens, and what it has seen."""

    base_url: str
    authorization: list[str] = field(default_factory=list)
    """Every Authorization header received, in order."""
    requests: list[str] = field(default_factory=list)
    """The path of every request received, in order."""
    redirect_to: str = ""
    """Where the `redirect` fault sends the client, the rest of the path appended."""

    def url(self, fault: str) -> str:
        """The base URL a source should use to meet `fault`."""
        return f"{self.base_url}/{fault}"


@contextlib.asynccontextmanager
async def fault_server(
    tls: ssl.SSLContext | None = None,
) -> AsyncIterator[FaultServer]:
    """An aiohttp server on 127.0.0.1 with one fault per path prefix; it speaks
    https with `tls` when given."""
    server: FaultServer | None = None

    async def answer(request: web.Request) -> web.StreamResponse:
        assert server is not None
        server.requests.append(request.path)
        header = request.headers.get("Authorization")
        if header is not None:
            server.authorization.append(header)
        fault = request.match_info["fault"]
        if fault == "redirect":
            target = f"{server.redirect_to}/{request.match_info['tail']}"
            raise web.HTTPFound(target)
        return await _fault(request, fault)

    app = web.Application()
    app.router.add_route("*", "/{fault}/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls)
    await site.start()
    scheme = "http" if tls is None else "https"
    server = FaultServer(f"{scheme}://127.0.0.1:{_port_of(runner)}")
    try:
        yield server
    finally:
        await runner.cleanup()


async def _fault(request: web.Request, fault: str) -> web.StreamResponse:
    if fault == "unavailable":
        return web.Response(status=503)
    if fault == "html":
        return web.Response(status=502, body=HTML_PAGE, content_type="text/html")
    if fault == "malformed":
        return web.Response(body=MALFORMED_JSON, content_type="application/json")
    if fault == "oversize":
        return await _stream_oversize(request)
    if fault == "throttled":
        return web.Response(status=429, text="too many requests\n")
    if fault == "denied":
        return web.Response(status=401, text="unauthorized\n")
    if fault == "empty":
        return web.Response(body=EMPTY_SUCCESS, content_type="application/json")
    if fault == "alerts":
        return web.Response(body=b"[]", content_type="application/json")
    return web.Response(status=404, text=f"no fault called {fault}")


async def _stream_oversize(request: web.Request) -> web.StreamResponse:
    """Stream JSON-looking bytes past the cap, with no length announced first."""
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    chunk = b" " * 65_536
    sent = 0
    with contextlib.suppress(ConnectionError):
        # The client hangs up once past its cap; that is the expected ending.
        await response.write(b"[")
        while sent < OVERSIZE_BYTES:
            await response.write(chunk)
            sent += len(chunk)
        await response.write(b"]")
        await response.write_eof()
    return response


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """A server on 127.0.0.1 that accepts, reads, and never answers; yields its
    base URL."""
    writers: list[asyncio.StreamWriter] = []

    async def swallow(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writers.append(writer)
        while await reader.read(65_536):
            continue

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for writer in writers:
            writer.close()
        await server.wait_closed()


def self_signed_tls(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context for 127.0.0.1 with a fresh self-signed certificate, and
    the certificate's file, which a client can trust as its CA bundle."""
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    return context, certificate


class FailingResolver(AbstractResolver):
    """Name resolution that fails for every host, as for a name that does not exist.

    Lets a test meet "unknown host" without asking any DNS server: no test may send
    traffic beyond loopback.
    """

    def __init__(self) -> None:
        self.asked: list[str] = []
        """Host names it was asked to resolve."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async def close(self) -> None:
        """Nothing to release."""


def _port_of(runner: web.AppRunner) -> int:
    addresses: Iterable[object] = runner.addresses
    for address in addresses:
        if isinstance(address, tuple):
            port: int = address[1]
            return port
    raise RuntimeError("the fault server has no TCP address")

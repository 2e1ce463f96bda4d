"""Loopback servers for source tests: real sockets on 127.0.0.1, started by the test.

`serve_app` runs an aiohttp application; `serve_raw` runs a bare asyncio handler
for servers no well-behaved framework would be: one that never answers, one that
drips a byte at a time. `closed_port` gives a port nothing listens on, and
`FailingResolver` stands in for name lookups that must never leave the machine.
Import these explicitly: `from tests.server_http import serve_app`.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
"""A bare connection handler: reads the request and writes whatever it likes."""


@dataclass(frozen=True, slots=True)
class Loopback:
    """A server listening on 127.0.0.1."""

    port: int
    scheme: str = "http"

    @property
    def url(self) -> str:
        """`http://127.0.0.1:port` (or https), without a trailing slash."""
        return f"{self.scheme}://127.0.0.1:{self.port}"


@asynccontextmanager
async def serve_app(
    app: web.Application, tls: ssl.SSLContext | None = None
) -> AsyncIterator[Loopback]:
    """Serve `app` on a free loopback port for the length of the block, over TLS
    when given a server context."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls)
    await site.start()
    try:
        _, port = runner.addresses[0][:2]
        yield Loopback(int(port), "https" if tls else "http")
    finally:
        await runner.cleanup()


def self_signed_tls(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context for 127.0.0.1 with a fresh self-signed certificate,
    and the certificate's file (to trust it as a CA). Needs the openssl command."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, cert


@asynccontextmanager
async def serve_raw(handler: RawHandler) -> AsyncIterator[Loopback]:
    """Serve `handler` on a free loopback port; connections still open at the end
    of the block are cut."""
    handlers: set[asyncio.Task[None]] = set()

    async def tracked(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            await handler(reader, writer)
        finally:
            writer.close()
            handlers.discard(task)

    server = await asyncio.start_server(tracked, "127.0.0.1", 0)
    try:
        yield Loopback(int(server.sockets[0].getsockname()[1]))
    finally:
        server.close()
        for task in list(handlers):
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


async def never_answer(reader: asyncio.StreamReader, _: asyncio.StreamWriter) -> None:
    """Read the request, then keep the connection open and say nothing."""
    await reader.readuntil(b"\r\n\r\n")
    await asyncio.Event().wait()


def drip(every: float) -> RawHandler:
    """A handler that sends headers promising a large JSON body, then one byte of it
    every `every` seconds: alive, but never done in time."""

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000\r\n\r\n["
        )
        await writer.drain()
        while True:
            await asyncio.sleep(every)
            writer.write(b"1,")
            await writer.drain()

    return handle


def closed_port() -> int:
    """A loopback port that was free a moment ago and has no listener: connecting
    to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class FailingResolver(AbstractResolver):
    """Fails every name lookup as an unknown host would.

    A stand-in for a real DNS failure: no test may send traffic beyond loopback, a
    DNS query included, so the connector is given this resolver instead.
    """

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        raise OSError(socket.EAI_NONAME, "Name or service not known")

    async def close(self) -> None:
        """Nothing to release: no lookup ever started."""

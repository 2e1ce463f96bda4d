"""A server on 127.0.0.1 that speaks Prometheus, Alertmanager and a plain JSON API,
and can be told to misbehave and to recover while a test runs.

`SwitchableServer.mode` picks what every request meets: `ok` answers properly;
the faults are a hang, a slow drip, 503, 429, 401 (expired credentials), malformed
JSON, an HTML error page, an oversized body and a connection reset. Host names are
resolved by `SwitchableResolver`, which can fail like a name that does not exist, so
that DNS failure and recovery need no DNS server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from tests.server_faults import HTML_PAGE, MALFORMED_JSON, OVERSIZE_BYTES

FAULTS = (
    "hang",
    "drip",
    "unavailable",
    "throttled",
    "expired",
    "malformed",
    "html",
    "oversize",
    "reset",
)
"""Every fault the server can play, besides the resolver's `dns`."""

HOST = "faults.test"
"""The host name sources are given; only `SwitchableResolver` knows it."""


@dataclass(slots=True)
class SwitchableServer:
    """Where the server listens, what it plays now, and what it has seen."""

    port: int
    mode: str = "ok"
    requests: int = 0
    value: float = 1.0
    """The value the JSON API and Prometheus answer with."""
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        """The base URL, by the host name only the resolver knows."""
        return f"http://{HOST}:{self.port}"


class SwitchableResolver(AbstractResolver):
    """Resolves `HOST` to 127.0.0.1, or fails as for an unknown name while
    `failing`; any other name always fails, so nothing leaves the machine."""

    def __init__(self) -> None:
        self.failing = False
        self.asked = 0

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked += 1
        if self.failing or host != HOST:
            raise OSError(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host,
                host="127.0.0.1",
                port=port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        """Nothing to release."""


@contextlib.asynccontextmanager
async def switchable_server() -> AsyncIterator[SwitchableServer]:
    """Serve until the block ends; hung requests are released then."""
    server: SwitchableServer | None = None

    async def answer(request: web.Request) -> web.StreamResponse:
        assert server is not None
        server.requests += 1
        if server.mode == "ok":
            return _healthy(request, server.value)
        return await _fault(request, server)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = next(a[1] for a in runner.addresses if isinstance(a, tuple))
    server = SwitchableServer(port)
    try:
        yield server
    finally:
        server._stop.set()
        await runner.cleanup()


def _healthy(request: web.Request, value: float) -> web.Response:
    path = request.path
    if path.endswith("/api/v1/query_range"):
        start = float(request.query.get("start", "0"))
        end = float(request.query.get("end", "0"))
        values: list[list[object]] = [[start, str(value)], [end, str(value)]]
        result: list[dict[str, object]] = [
            {"metric": {"__name__": "up", "job": "x"}, "values": values}
        ]
        return _json(
            {"status": "success", "data": {"resultType": "matrix", "result": result}}
        )
    if path.endswith("/api/v1/query"):
        sample = [float(request.query.get("time", "0")), str(value)]
        result = [{"metric": {"__name__": "up"}, "value": sample}]
        return _json(
            {"status": "success", "data": {"resultType": "vector", "result": result}}
        )
    if path.endswith("/api/v2/alerts"):
        return _json([])
    if path.endswith("/api/v2/silences"):
        return _json([])
    return _json({"value": value})


def _json(body: object) -> web.Response:
    return web.Response(body=json.dumps(body).encode(), content_type="application/json")


async def _fault(request: web.Request, server: SwitchableServer) -> web.StreamResponse:
    mode = server.mode
    if mode == "hang":
        await server._stop.wait()
        return web.Response(status=503)
    if mode == "drip":
        return await _drip(request, server)
    if mode == "unavailable":
        return web.Response(status=503, text="service unavailable\n")
    if mode == "throttled":
        return web.Response(
            status=429, text="slow down\n", headers={"Retry-After": "5"}
        )
    if mode == "expired":
        return web.Response(status=401, text="token expired\n")
    if mode == "malformed":
        return web.Response(body=MALFORMED_JSON, content_type="application/json")
    if mode == "html":
        return web.Response(status=502, body=HTML_PAGE, content_type="text/html")
    if mode == "oversize":
        return await _oversize(request)
    if mode == "reset":
        _reset(request)
        # The handler's answer goes nowhere: the connection is already gone.
        return web.Response(status=500)
    raise AssertionError(f"no fault called {mode!r}")


async def _drip(request: web.Request, server: SwitchableServer) -> web.StreamResponse:
    """Headers at once, then one byte of a JSON answer every half second."""
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    with contextlib.suppress(ConnectionError):
        while not server._stop.is_set():
            await response.write(b" ")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server._stop.wait(), 0.5)
    return response


async def _oversize(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    chunk = b" " * 65_536
    with contextlib.suppress(ConnectionError):
        await response.write(b"[")
        for _ in range(OVERSIZE_BYTES // len(chunk) + 1):
            await response.write(chunk)
        await response.write(b"]")
    return response


def _reset(request: web.Request) -> None:
    """Drop the connection with a TCP reset (linger 0), as a crashed peer does."""
    transport = request.transport
    assert transport is not None
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()

"""Loopback servers for source tests: real sockets on 127.0.0.1, started by the test.

`serve_app` runs an aiohttp application; `serve_raw` runs a bare asyncio handler
for servers no well-behaved framework would be: one that never answers, one that
drips a byte at a time. `closed_port` gives a port nothing listens on, and
`FailingResolver` stands in for name lookups that must never leave the machine.
Import these explicitly: `from tests.server_http import serve_app`.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from tests.server_faults import FailingResolver, self_signed_tls
from tests.server_prometheus import closed_port

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


__all__ = [
    "FailingResolver",
    "Loopback",
    "closed_port",
    "drip",
    "never_answer",
    "self_signed_tls",
    "serve_app",
    "serve_raw",
]

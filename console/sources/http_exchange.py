"""One HTTP request of the `http` source, from first byte sent to body read.

Redirects are followed here rather than by aiohttp, so that credentials stay with
the origin they were meant for: a header that carries one is sent only while the
address is on the trusted origin, and never after a redirect to another one.
Failures become `ExchangeError`s whose reason is one line naming the host and port,
never the full address (its query string may hold a key) nor any header.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace

import aiohttp
from yarl import URL

from console.sources.http_options import is_credential_header
from console.sources.reason_text import size_label

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
"""Redirects followed before the request counts as failed."""

CHUNK = 64 * 1024
"""Bytes read from the body at a time."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class ExchangeError(Exception):
    """A request failed; `reason` is one line fit for a panel."""

    def __init__(self, reason: str, *, throttled: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.throttled = throttled


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A request as the source prepared it."""

    method: str
    url: URL
    headers: Mapping[str, str]
    """Plain headers, sent wherever the request goes."""
    credentials: Mapping[str, str]
    """Headers holding secrets, sent only to `trusted`."""
    trusted: URL
    """The origin credentials may go to."""
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """A 2xx response, read whole."""

    status: int
    content_type: str
    body: bytes
    where: str
    """The host and port that answered, as reasons name it."""


def where(url: URL) -> str:
    """`host:port` of `url`, the way failure reasons name a server."""
    host = url.host or "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{url.port}"


def same_origin(first: URL, second: URL) -> bool:
    """Whether two addresses share scheme, host and port."""
    return (first.scheme, first.host, first.port) == (
        second.scheme,
        second.host,
        second.port,
    )


async def exchange(
    session: aiohttp.ClientSession, outgoing: Outgoing, max_bytes: int
) -> Answer:
    """Send `outgoing`, follow its redirects, and read a 2xx body of at most
    `max_bytes`. Raises ExchangeError; the caller bounds the time taken."""
    method, url, body = outgoing.method, outgoing.url, outgoing.body
    for _ in range(MAX_REDIRECTS + 1):
        headers = dict(outgoing.headers)
        if same_origin(url, outgoing.trusted):
            headers.update(outgoing.credentials)
        else:
            headers = {
                name: value
                for name, value in headers.items()
                if not is_credential_header(name)
            }
        try:
            async with session.request(
                method, url, headers=headers, data=body, allow_redirects=False
            ) as response:
                log.debug(
                    "%s %s%s: HTTP %d", method, where(url), url.path, response.status
                )
                target = _redirect_target(response, url)
                if target is None:
                    return await _read(response, where(url), max_bytes)
                response.close()
        except aiohttp.ClientError as error:
            raise ExchangeError(_reason(error, url)) from error
        # As browsers do: 303 always, and 301 or 302 after a POST, turn into a GET
        # without the body; 307 and 308 repeat the request as it was.
        if response.status == 303 or (
            response.status in (301, 302) and method == "POST"
        ):
            method, body = "GET", None
            outgoing = replace(
                outgoing,
                headers={
                    name: value
                    for name, value in outgoing.headers.items()
                    if name.lower() != "content-type"
                },
            )
        url = target
    raise ExchangeError(f"more than {MAX_REDIRECTS} redirects from {where(url)}")


def _redirect_target(response: aiohttp.ClientResponse, url: URL) -> URL | None:
    if response.status not in _REDIRECTS:
        return None
    location = response.headers.get("Location")
    if not location:
        return None
    try:
        target = url.join(URL(location))
    except ValueError:
        raise ExchangeError(f"bad redirect address from {where(url)}") from None
    if target.scheme not in ("http", "https") or not target.host:
        raise ExchangeError(f"redirect to a non-HTTP address from {where(url)}")
    return target


async def _read(
    response: aiohttp.ClientResponse, server: str, max_bytes: int
) -> Answer:
    status = response.status
    if not 200 <= status < 300:
        response.close()
        throttled = status == 429
        suffix = " (throttled)" if throttled else ""
        raise ExchangeError(f"HTTP {status} from {server}{suffix}", throttled=throttled)
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        response.close()
        raise ExchangeError(f"response over {size_label(max_bytes)}")
    chunks: list[bytes] = []
    size = 0
    # Counted after decompression, so a small compressed body cannot unfold into
    # more memory than the cap allows.
    async for chunk in response.content.iter_chunked(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            response.close()
            raise ExchangeError(f"response over {size_label(max_bytes)}")
        chunks.append(chunk)
    return Answer(status, response.content_type, b"".join(chunks), server)


def _reason(error: aiohttp.ClientError, url: URL) -> str:
    server = where(url)
    if isinstance(error, aiohttp.ClientConnectorCertificateError):
        return f"TLS certificate of {server} not trusted"
    if isinstance(error, aiohttp.ClientSSLError):
        return f"TLS handshake with {server} failed"
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve {url.host}"
    if isinstance(error, aiohttp.ClientConnectorError):
        if error.os_error.errno == errno.ECONNREFUSED:
            return f"connection refused ({server})"
        cause = error.os_error.strerror or type(error.os_error).__name__
        return f"cannot connect to {server} ({cause})"
    if isinstance(error, aiohttp.ClientOSError):
        cause = error.strerror or type(error).__name__
        return f"connection to {server} failed ({cause})"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return f"{server} closed the connection"
    if isinstance(error, aiohttp.ClientPayloadError):
        return f"response from {server} cut short"
    if isinstance(error, aiohttp.ClientResponseError):
        return f"bad HTTP response from {server}"
    if isinstance(error, aiohttp.InvalidURL):
        return f"invalid address for {server}"
    return f"{type(error).__name__} from {server}"

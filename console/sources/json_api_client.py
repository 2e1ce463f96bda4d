"""A small JSON-over-HTTP client shared by the Prometheus and Alertmanager sources.

One aiohttp session per source, opened on first use and closed with the source, so
polls reuse connections. Every request runs under the endpoint's timeout, reads at
most `MAX_RESPONSE_BYTES`, and fails with an `ApiFailure` whose reason is one line
fit for a panel. Proxies and `~/.netrc` from the environment are ignored: on a
shared bastion they could add credentials or detours nobody wrote in the profile.

The secret is read when the session opens, and again after the server answers 401,
so that a rotated token file is picked up without restarting the console.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import ssl
from collections.abc import Callable, Sequence

import aiohttp
from aiohttp.abc import AbstractResolver

from console.sources.base import SourceError
from console.sources.endpoint_credentials import authorization_header, ssl_context
from console.sources.endpoint_options import HttpEndpointOptions
from console.sources.request_failure_reasons import (
    looks_like_html,
    one_line,
    page_gist,
    transport_reason,
)

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 10 * 1024 * 1024
"""The most one answer may hold; reading stops past it and the request fails."""

MAX_CONNECTIONS = 4
"""Requests one source runs at once; more wait their turn."""

_THREAD_PARSE_BYTES = 1024 * 1024
"""Bodies larger than this are decoded in a thread, off the event loop."""

_CHUNK = 64 * 1024
"""Bytes read from a body at a time."""

ErrorText = Callable[[object], str | None]
"""Finds the server's own complaint in the JSON body of an error answer, if any."""

Query = Sequence[tuple[str, str]]
"""URL query parameters, in order, repeats allowed."""


class ApiFailure(SourceError):
    """A request failed; `unreachable` when no answer came from the server at all
    (refused, timed out, unresolvable, no credentials), as opposed to an answer
    that was an error."""

    def __init__(
        self, reason: str, *, unreachable: bool = False, throttled: bool = False
    ) -> None:
        super().__init__(reason, throttled=throttled)
        self.unreachable = unreachable


class JsonApiClient:
    """Requests to one HTTP endpoint whose answers are JSON."""

    def __init__(
        self,
        options: HttpEndpointOptions,
        *,
        error_text: ErrorText,
        resolver: AbstractResolver | None = None,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        """`error_text` reads the server's error bodies; `resolver` replaces name
        resolution (tests use it so that no query leaves the machine)."""
        self._options = options
        self._error_text = error_text
        self._resolver = resolver
        self._max_bytes = max_bytes
        self._session: aiohttp.ClientSession | None = None
        self._authorization: str | None = None
        self._reread_credentials = False
        self._opening = asyncio.Lock()

    @property
    def address(self) -> str:
        """The server as `host:port`."""
        return self._options.address

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Query = (),
        body: object = None,
    ) -> object:
        """The decoded JSON answer to `method path`, None for an empty body.

        `path` is relative to the endpoint's URL; `body`, unless None, is sent as
        JSON. Raises `ApiFailure` for anything but a 2xx answer (JSON or empty).
        """
        session, authorization = await self._open()
        headers = {} if authorization is None else {"Authorization": authorization}
        url = f"{self._options.url}/{path.lstrip('/')}"
        address = self.address
        try:
            async with session.request(
                method, url, params=list(query), json=body, headers=headers
            ) as response:
                raw = await self._read(response)
                status = response.status
                content_type = response.content_type
        except (TimeoutError, aiohttp.ClientError) as error:
            reason = transport_reason(error, address, self._options.timeout)
            log.debug("%s %s at %s failed: %s", method, path, address, reason)
            unreachable = not isinstance(error, aiohttp.ClientPayloadError)
            raise ApiFailure(reason, unreachable=unreachable) from None
        log.debug(
            "%s %s at %s: HTTP %d, %d bytes", method, path, address, status, len(raw)
        )
        if status == 401 and authorization is not None:
            # The token may have been rotated since it was read.
            self._reread_credentials = True
        return await self._decode(status, content_type, raw)

    async def close(self) -> None:
        """Close the session and its connections; a later request opens anew."""
        async with self._opening:
            session, self._session = self._session, None
            self._authorization = None
        if session is not None:
            await session.close()

    async def _open(self) -> tuple[aiohttp.ClientSession, str | None]:
        async with self._opening:
            try:
                if self._session is None or self._session.closed:
                    authorization, context = await asyncio.to_thread(
                        _credentials, self._options
                    )
                    self._session = self._new_session(context)
                    self._authorization = authorization
                elif self._reread_credentials:
                    self._authorization = await asyncio.to_thread(
                        authorization_header, self._options
                    )
                    self._reread_credentials = False
            except SourceError as error:
                # No request can be made without its credentials: as good as an
                # unreachable server, for every query alike.
                raise ApiFailure(error.reason, unreachable=True) from None
            return self._session, self._authorization

    def _new_session(self, context: ssl.SSLContext | None) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=MAX_CONNECTIONS,
            ssl=context if context is not None else True,
            resolver=self._resolver,
        )
        return aiohttp.ClientSession(
            connector=connector,
            headers={"Accept": "application/json"},
            timeout=aiohttp.ClientTimeout(total=self._options.timeout),
            trust_env=False,
        )

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        limit = self._max_bytes
        declared = response.content_length
        if declared is not None and declared > limit:
            raise ApiFailure(self._too_large())
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > limit:
                # Leaving the rest unread drops the connection, so it never arrives.
                raise ApiFailure(self._too_large())
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> str:
        megabytes = self._max_bytes / (1024 * 1024)
        return (
            f"answer from {self.address} larger than {megabytes:g} MB; narrow the query"
        )

    async def _decode(self, status: int, content_type: str, raw: bytes) -> object:
        address = self.address
        throttled = status == 429
        if not raw.strip():
            if status < 400:
                return None
            raise ApiFailure(_status_reason(status, address), throttled=throttled)
        try:
            if len(raw) > _THREAD_PARSE_BYTES:
                decoded = await asyncio.to_thread(json.loads, raw)
            else:
                decoded = json.loads(raw)
        except (ValueError, RecursionError) as error:
            reason = _undecodable(status, content_type, raw, address, error)
            raise ApiFailure(self._scrub(reason), throttled=throttled) from None
        if status >= 400:
            said = self._error_text(decoded)
            reason = one_line(said) if said else _status_reason(status, address)
            raise ApiFailure(self._scrub(reason), throttled=throttled)
        return decoded

    def _scrub(self, reason: str) -> str:
        """`reason` with the credentials this client sent masked.

        Reasons quote the server's error text, and some servers echo what they
        were sent ("invalid token abc123"): that must not reach a panel or a log.
        """
        for secret in _secret_parts(self._authorization):
            reason = reason.replace(secret, "***")
        return reason


def _credentials(
    options: HttpEndpointOptions,
) -> tuple[str | None, ssl.SSLContext | None]:
    """The Authorization header and TLS context the options ask for."""
    return authorization_header(options), ssl_context(options)


def _secret_parts(authorization: str | None) -> list[str]:
    """The pieces of an Authorization header a server might echo: the whole
    value, the token, the base64 pair and the password it encodes."""
    if not authorization:
        return []
    scheme, _, credential = authorization.partition(" ")
    parts = [authorization, credential]
    if scheme == "Basic":
        with contextlib.suppress(ValueError):
            pair = base64.b64decode(credential, validate=True).decode()
            parts.append(pair.partition(":")[2])
    # Longest first, so that a token is masked whole before any piece of it; short
    # pieces are left, since masking "ab" everywhere would garble the message.
    return sorted((p for p in parts if len(p) >= 4), key=len, reverse=True)


def _status_reason(status: int, address: str) -> str:
    """An error status the server did not explain."""
    if status in (401, 403):
        return f"HTTP {status} from {address}: access denied (check the credentials)"
    return f"HTTP {status} from {address}"


def _undecodable(
    status: int, content_type: str, raw: bytes, address: str, error: Exception
) -> str:
    """Why a body that is not JSON cannot be used, naming what it is instead."""
    page = looks_like_html(raw)
    meant_as_json = raw.lstrip()[:1] in (b"{", b"[") or "json" in content_type
    if status < 400 and meant_as_json and not page:
        if isinstance(error, json.JSONDecodeError):
            detail = f"{error.msg} at char {error.pos}"
        else:
            detail = type(error).__name__
        return one_line(f"malformed JSON from {address}: {detail}")
    if status >= 400 and not page:
        return one_line(f"HTTP {status} from {address}: {page_gist(raw)}")
    return one_line(f"HTTP {status} from {address} (not JSON: {page_gist(raw)})")

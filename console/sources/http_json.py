"""The http source (`type: http`): numbers, series and tables from JSON APIs.

Each query is one GET or POST whose JSON answer is read as a value, a series or a
table (see `http_params` and `json_reading`). The queries of one poll run together,
a few at a time, over one connection pool per source. Every request has its own
deadline, so one hung server fails its own queries and leaves the others answered.
TLS is always verified; credentials come from `secret_headers` on each poll and go
only to the origin they belong to (see `http_exchange`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver
from pydantic import ValidationError
from yarl import URL

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest, QueryResult
from console.sources.base import Source, SourceError, SourceKind, SourceOptions
from console.sources.http_exchange import Answer, ExchangeError, Outgoing, exchange
from console.sources.http_options import HttpOptions
from console.sources.http_params import HttpParams
from console.sources.json_reading import ReadingError, read_document
from console.sources.secret_values import SecretUnavailable, read_secret
from console.sources.validation_reason import validation_reason

log = logging.getLogger(__name__)

CONCURRENT_REQUESTS = 4
"""Requests of one poll in flight at once: enough to hide latency, few enough not to
hammer an API from a shared bastion."""

PARSE_IN_THREAD_FROM = 256 * 1024
"""Bodies at least this large are parsed in a worker thread: a 5 MB document takes
tens of milliseconds, long enough to stall keystrokes."""

_DEFAULT_HEADERS = {"Accept": "application/json", "User-Agent": "watchdeck"}


@dataclass(frozen=True, slots=True)
class _Planned:
    params: HttpParams
    url: URL
    trusted: URL


class HttpSource:
    """A JSON API over HTTP(S)."""

    def __init__(
        self,
        name: str,
        options: HttpOptions,
        clock: Clock,
        *,
        resolver: AbstractResolver | None = None,
    ) -> None:
        """`resolver` replaces the system's name lookup; tests pass one so that no
        name is ever looked up beyond the machine. Left out: aiohttp's default."""
        self.name = name
        self._options = options
        self._clock = clock
        self._resolver = resolver
        self._base = URL(options.base_url) if options.base_url else None
        self._client: aiohttp.ClientSession | None = None
        self._opening = asyncio.Lock()

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Answer every request, each with its result or a one-line failure."""
        batch = FetchBatch()
        planned: dict[str, tuple[FetchRequest, _Planned]] = {}
        for request in requests:
            plan = self._plan(request)
            if isinstance(plan, FetchFailure):
                batch.failures[request.key] = plan
            else:
                planned[request.key] = (request, plan)
        if not planned:
            return batch
        try:
            credentials = await self._credentials()
        except SecretUnavailable as error:
            for key in planned:
                batch.failures[key] = FetchFailure(str(error))
            return batch
        client = await self._session()
        turns = asyncio.Semaphore(CONCURRENT_REQUESTS)

        async def answer(request: FetchRequest, plan: _Planned) -> None:
            async with turns:
                outcome = await self._answer(client, plan, credentials, request.end)
            if isinstance(outcome, FetchFailure):
                log.debug("%s: query failed: %s", self.name, outcome.reason)
                batch.failures[request.key] = outcome
            else:
                batch.results[request.key] = outcome

        await asyncio.gather(*(answer(*pair) for pair in planned.values()))
        return batch

    async def close(self) -> None:
        """Close the connection pool; the next fetch opens a new one."""
        async with self._opening:
            if self._client is not None:
                await self._client.close()
                self._client = None

    def _plan(self, request: FetchRequest) -> _Planned | FetchFailure:
        try:
            params = HttpParams.model_validate(dict(request.params))
        except ValidationError as error:
            return FetchFailure(validation_reason(error))
        if params.url is not None:
            url = URL(params.url)
        elif self._base is None:
            return FetchFailure("`path` needs `base_url` in the source's options")
        else:
            base = str(self._base).rstrip("/")
            url = URL(base + "/" + str(params.path).lstrip("/"))
        if params.params:
            url = url.extend_query(params.query_string())
        return _Planned(params, url, self._base or url)

    async def _credentials(self) -> dict[str, str]:
        secrets = self._options.secret_headers
        if not secrets:
            return {}

        def read_all() -> dict[str, str]:
            found = {}
            for name, reference in secrets.items():
                try:
                    found[name] = read_secret(reference)
                except SecretUnavailable as error:
                    raise SecretUnavailable(f"{name}: {error}") from None
            return found

        # A secret file is read on every poll, so that a rotated token is used
        # as soon as it lands; in a thread, since a file system may be slow.
        return await asyncio.to_thread(read_all)

    async def _session(self) -> aiohttp.ClientSession:
        async with self._opening:
            if self._client is None:
                connector = aiohttp.TCPConnector(
                    limit=2 * CONCURRENT_REQUESTS,
                    ssl=await self._tls(),
                    resolver=self._resolver,
                )
                self._client = aiohttp.ClientSession(
                    connector=connector,
                    headers=_DEFAULT_HEADERS,
                    # Each request has its own deadline (options.timeout); cookies
                    # are never kept, so none can follow a redirect elsewhere.
                    timeout=aiohttp.ClientTimeout(total=None),
                    cookie_jar=aiohttp.DummyCookieJar(),
                    trust_env=False,
                )
            return self._client

    async def _tls(self) -> ssl.SSLContext | bool:
        path = self._options.ca_file
        if path is None:
            return True
        try:
            return await asyncio.to_thread(ssl.create_default_context, cafile=path)
        except ssl.SSLError:
            raise SourceError(f"ca_file {path} holds no usable certificate") from None
        except OSError as error:
            raise SourceError(f"cannot read ca_file {path}: {error.strerror}") from None

    async def _answer(
        self,
        client: aiohttp.ClientSession,
        plan: _Planned,
        credentials: Mapping[str, str],
        end: float,
    ) -> QueryResult | FetchFailure:
        params = plan.params
        body = None
        if params.body is not None:
            body = json.dumps(params.body).encode()
        headers = dict(self._options.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        outgoing = Outgoing(
            params.method, plan.url, headers, credentials, plan.trusted, body
        )
        timeout = self._options.timeout
        try:
            async with asyncio.timeout(timeout):
                answer = await exchange(client, outgoing, self._options.max_bytes)
            document = await _decoded(answer)
            return read_document(document, params, end, within="the response")
        except TimeoutError:
            return FetchFailure(f"timed out after {timeout:g}s")
        except ExchangeError as error:
            return FetchFailure(error.reason, throttled=error.throttled)
        except ReadingError as error:
            return FetchFailure(str(error))


async def _decoded(answer: Answer) -> object:
    """The JSON document in `answer`'s body; ExchangeError when there is none."""
    kind = answer.content_type
    not_json = f"HTTP {answer.status} but not JSON ({kind})"
    if kind == "text/html":
        raise ExchangeError(not_json)
    if not answer.body.strip():
        raise ExchangeError(f"HTTP {answer.status} with an empty body")
    try:
        if len(answer.body) >= PARSE_IN_THREAD_FROM:
            return await asyncio.to_thread(json.loads, answer.body)
        return json.loads(answer.body)
    except RecursionError:
        raise ExchangeError(f"JSON from {answer.where} nested too deeply") from None
    except ValueError as error:
        if not _says_json(kind):
            raise ExchangeError(not_json) from None
        at = ""
        if isinstance(error, json.JSONDecodeError):
            at = f" (line {error.lineno}, column {error.colno})"
        raise ExchangeError(f"malformed JSON from {answer.where}{at}") from None


def _says_json(content_type: str) -> bool:
    return content_type in ("application/json", "text/json") or (
        content_type.endswith("+json")
    )


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, HttpOptions):
        options = HttpOptions.model_validate(options.model_dump())
    return HttpSource(name, options, clock)


KIND = SourceKind(
    type_name="http",
    options_model=HttpOptions,
    params_model=HttpParams,
    create=_create,
    min_interval=1.0,
)
"""The http source, as the registry knows it."""

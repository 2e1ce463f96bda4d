"""The Prometheus source (`type: prometheus`): PromQL over Prometheus's HTTP API.

A range query (`/api/v1/query_range`) asks for the window the poller wants, on a
step of whole seconds aligned to multiples of itself, so that each poll repeats the
same sample times and the store can append only what is new. An instant query
(`/api/v1/query`) and a label table ask for the present. The queries of one fetch
run side by side, a few at a time; each fails alone with Prometheus's own words,
and when none could reach the server the whole call fails with one reason.

See `prometheus_params` for what a query may ask and `endpoint_options` for the
connection, authentication and TLS options.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping, Sequence

from aiohttp.abc import AbstractResolver
from pydantic import ValidationError

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest, QueryResult
from console.sources.base import Source, SourceError, SourceKind, SourceOptions
from console.sources.endpoint_options import HttpEndpointOptions
from console.sources.json_api_client import ApiFailure, JsonApiClient
from console.sources.prometheus_answers import (
    AnswerError,
    samples,
    series_result,
    table_result,
)
from console.sources.prometheus_discovery import PrometheusDiscovery
from console.sources.prometheus_params import PrometheusParams
from console.sources.request_failure_reasons import one_line
from console.sources.validation_reason import validation_reason

MAX_POINTS = 2000
"""Samples a range query asks for at most; Prometheus itself refuses over 11,000."""

CONCURRENT_QUERIES = 4
"""Queries of one fetch in flight at once, so a dashboard cannot flood the server."""


class PrometheusOptions(HttpEndpointOptions):
    """Options of a `type: prometheus` source block: the server and how to reach it.

    For example `{type: prometheus, url: "http://127.0.0.1:9090"}`, or with a
    bearer token read from the environment, `token_env: PROMETHEUS_TOKEN`.
    """


def range_window(start: float, end: float, step: float) -> tuple[int, int, int]:
    """The aligned `(start, end, step)` in whole seconds for a range query.

    The step is `step` rounded up, and raised until the window holds at most
    `MAX_POINTS` samples. Both ends fall on multiples of the step, and the window
    keeps at least its newest sample. All three must be finite.
    """
    span = max(0.0, end - start)
    whole = max(1, math.ceil(step), math.ceil(span / MAX_POINTS))
    last = math.floor(end / whole) * whole
    first = min(math.ceil(start / whole) * whole, last)
    return first, last, whole


def prometheus_error_text(body: object) -> str | None:
    """Prometheus's own account of a failed query: `errorType` and `error`."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if not isinstance(error, str) or not error:
        return None
    kind = body.get("errorType")
    if kind == "bad_data":
        return f"bad query: {error}"
    return f"{kind}: {error}" if isinstance(kind, str) and kind else error


class PrometheusSource:
    """A Prometheus server, asked over its HTTP API."""

    def __init__(
        self,
        name: str,
        options: PrometheusOptions,
        *,
        resolver: AbstractResolver | None = None,
    ) -> None:
        """`resolver` replaces host name resolution; tests use it to stay on the
        machine. Times come from the requests, so the source needs no clock."""
        self.name = name
        self.options = options
        self._client = JsonApiClient(
            options, error_text=prometheus_error_text, resolver=resolver
        )
        self._turns = asyncio.Semaphore(CONCURRENT_QUERIES)

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Run every request, a few at a time; each fails alone.

        Raises `SourceError` when no request reached the server (refused, timed
        out, unresolvable, credentials unreadable), so the poller backs off once.
        """
        batch = FetchBatch()
        wanted: list[tuple[FetchRequest, PrometheusParams]] = []
        for request in requests:
            try:
                params = PrometheusParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                continue
            window = (request.start, request.end, request.step)
            if not all(math.isfinite(value) for value in window) or request.step <= 0:
                reason = "the requested window or step is not a finite positive time"
                batch.failures[request.key] = FetchFailure(reason)
                continue
            wanted.append((request, params))
        answers = await asyncio.gather(
            *(self._answer(request, params) for request, params in wanted)
        )
        unreachable: list[ApiFailure] = []
        for (request, _), answer in zip(wanted, answers, strict=True):
            if isinstance(answer, ApiFailure):
                if answer.unreachable:
                    unreachable.append(answer)
                batch.failures[request.key] = FetchFailure(
                    answer.reason, throttled=answer.throttled
                )
            elif isinstance(answer, FetchFailure):
                batch.failures[request.key] = answer
            else:
                batch.results[request.key] = answer
        if unreachable and len(unreachable) == len(requests):
            raise SourceError(unreachable[0].reason)
        return batch

    async def discover_values(self, params: Mapping[str, object]) -> list[str]:
        """The values of a label (`PrometheusDiscovery`), sorted as the server
        sorts them. Raises `SourceError` with the server's reason on failure."""
        try:
            wanted = PrometheusDiscovery.model_validate(dict(params))
        except ValidationError as error:
            raise SourceError(validation_reason(error)) from None
        query = [("match[]", wanted.match)] if wanted.match else []
        path = f"api/v1/label/{wanted.label}/values"
        async with self._turns:
            body = await self._client.request("GET", path, query=query)
        if not isinstance(body, dict) or body.get("status") != "success":
            said = prometheus_error_text(body) or "unexpected answer"
            raise SourceError(one_line(said))
        data = body.get("data")
        if not isinstance(data, list):
            raise SourceError("unexpected answer: label values are not a list")
        return [str(value) for value in data]

    async def close(self) -> None:
        """Close the connections to the server."""
        await self._client.close()

    async def _answer(
        self, request: FetchRequest, params: PrometheusParams
    ) -> QueryResult | FetchFailure | ApiFailure:
        try:
            async with self._turns:
                data = await self._query(request, params)
            found = samples(data)
        except ApiFailure as failure:
            return failure
        except AnswerError as error:
            reason = f"unexpected answer from {self._client.address}: {error}"
            return FetchFailure(one_line(reason))
        if params.table:
            return table_result(found)
        return series_result(found, params.promql, params.legend)

    async def _query(self, request: FetchRequest, params: PrometheusParams) -> object:
        """The `data` of Prometheus's answer to one request."""
        if params.instant or params.table:
            query = [("query", params.promql), ("time", f"{request.end:.3f}")]
            body = await self._client.request("GET", "api/v1/query", query=query)
        else:
            start, end, step = range_window(request.start, request.end, request.step)
            query = [
                ("query", params.promql),
                ("start", str(start)),
                ("end", str(end)),
                ("step", str(step)),
            ]
            body = await self._client.request("GET", "api/v1/query_range", query=query)
        if not isinstance(body, dict):
            raise AnswerError("not a JSON object")
        if body.get("status") != "success":
            said = prometheus_error_text(body)
            if said is None:
                raise AnswerError(f"status {body.get('status')!r}")
            raise ApiFailure(one_line(said))
        return body.get("data")


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, PrometheusOptions):
        options = PrometheusOptions.model_validate(options.model_dump())
    return PrometheusSource(name, options)


KIND = SourceKind(
    type_name="prometheus",
    options_model=PrometheusOptions,
    params_model=PrometheusParams,
    create=_create,
    discovery_model=PrometheusDiscovery,
    min_interval=1.0,
)
"""The Prometheus source, as the registry knows it."""

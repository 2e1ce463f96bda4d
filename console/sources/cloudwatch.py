"""The CloudWatch metrics source (`type: cloudwatch`): GetMetricData, and only that.

Every due query of a call that reads one region rides in one GetMetricData request,
up to 500 entries (queries and their hidden inputs) a request, followed through
NextToken pages. A query already answered within its period is answered again from
what the source kept, without a call: CloudWatch has nothing newer, and a second
request would cost the same.

Throttling that outlasts the SDK's standard retries marks the queries "throttled
(account, region)" and the source stops calling that region for a while, doubling
the pause each time it happens again, until a call goes through. Failures of a
whole call (access denied, expired credentials, no region) read as one line naming
the profile and region.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic import ValidationError

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest, QueryResult
from console.sources.aws_options import AwsOptions
from console.sources.aws_reasons import aws_reason, is_throttling
from console.sources.aws_session import AwsClients, call_in_thread
from console.sources.base import Source, SourceError, SourceKind, SourceOptions
from console.sources.cloudwatch_discovery import (
    MAX_DISCOVERED,
    MAX_LIST_PAGES,
    CloudWatchDiscovery,
    dimension_values,
)
from console.sources.cloudwatch_params import MAX_QUERIES_PER_CALL, CloudWatchParams
from console.sources.cloudwatch_requests import (
    Collected,
    chunks,
    query_entries,
    read_answer,
)
from console.sources.validation_reason import validation_reason

ACTION = "cloudwatch:GetMetricData"
LIST_ACTION = "cloudwatch:ListMetrics"

FIRST_PAUSE = 30.0
"""Seconds a region is left alone after the first throttled call."""
LONGEST_PAUSE = 600.0
"""The longest pause after throttling, however often it repeats."""
MAX_PAGES = 50
"""NextToken pages followed per request before the rest is left for the next poll."""


class CloudWatchOptions(AwsOptions):
    """Options of a `type: cloudwatch` source block: whose metrics, where.

    For example `{type: cloudwatch, region: us-east-1}` with the default
    credentials, or `{type: cloudwatch, profile: prod, region: eu-west-1}`.
    """


@dataclass(slots=True)
class _Kept:
    at: float
    period: float
    result: QueryResult


@dataclass(slots=True)
class _Pause:
    until: float = 0.0
    strikes: int = 0
    reason: str = ""


class CloudWatchSource:
    """CloudWatch metrics of one account, read with GetMetricData."""

    def __init__(
        self,
        name: str,
        options: AwsOptions,
        clock: Clock,
        *,
        clients: AwsClients | None = None,
    ) -> None:
        """`clients` replaces the AWS clients; tests pass ones with a Stubber."""
        self.name = name
        self.options = options
        self._clock = clock
        self.clients = clients or AwsClients(options)
        self._kept: dict[str, _Kept] = {}
        self._pauses: dict[str | None, _Pause] = {}
        self.calls = 0
        """GetMetricData requests sent, pages included."""
        self.metrics_requested = 0
        """Metrics those requests asked for, as AWS bills them."""

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Answer every request: from what was kept when its period has not
        passed, else in one GetMetricData call per region and 500 entries."""
        batch = FetchBatch()
        now = self._clock.now()
        self._forget_old(now)
        by_region: dict[str | None, list[tuple[FetchRequest, CloudWatchParams]]] = {}
        for request in requests:
            try:
                params = CloudWatchParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                continue
            kept = self._kept.get(request.key)
            if kept is not None and now - kept.at < kept.period:
                batch.results[request.key] = kept.result
                continue
            by_region.setdefault(params.region, []).append((request, params))
        for region, wanted in by_region.items():
            pause = self._pauses.get(region)
            if pause is not None and now < pause.until:
                failure = FetchFailure(pause.reason, throttled=True)
                for request, _ in wanted:
                    batch.failures[request.key] = failure
                continue
            await self._fetch_region(region, wanted, batch)
        return batch

    async def discover_values(self, params: Mapping[str, object]) -> list[str]:
        """The distinct values of a dimension (`CloudWatchDiscovery`) on the
        metrics ListMetrics finds, sorted; at most `MAX_DISCOVERED`. Raises
        `SourceError` with a one-line reason on failure."""
        try:
            wanted = CloudWatchDiscovery.model_validate(dict(params))
        except ValidationError as error:
            raise SourceError(validation_reason(error)) from None
        try:
            found = await call_in_thread(partial(self._list_values, wanted))
        except Exception as error:  # noqa: BLE001 - every SDK failure is a reason
            who = self.clients.profile_label
            where = self.clients.region_label(wanted.region)
            raise SourceError(aws_reason(error, LIST_ACTION, who, where)) from None
        return sorted(found)

    def _list_values(self, wanted: CloudWatchDiscovery) -> set[str]:
        """ListMetrics pages until enough distinct values (runs in a thread)."""
        client = self.clients.client("cloudwatch", wanted.region)
        arguments = wanted.list_metrics_arguments()
        found: set[str] = set()
        for _ in range(MAX_LIST_PAGES):
            page = client.list_metrics(**arguments)
            for value in dimension_values(page, wanted.dimension):
                if len(found) >= MAX_DISCOVERED:
                    return found
                found.add(value)
            token = page.get("NextToken")
            if not token:
                break
            arguments["NextToken"] = token
        return found

    async def close(self) -> None:
        """Nothing to close: the SDK's connections go with its clients."""

    async def _fetch_region(
        self,
        region: str | None,
        wanted: list[tuple[FetchRequest, CloudWatchParams]],
        batch: FetchBatch,
    ) -> None:
        requests = {request.key: request for request, _ in wanted}
        keyed = [(request.key, params) for request, params in wanted]
        for chunk in chunks(keyed, MAX_QUERIES_PER_CALL):
            start, end = _window([requests[key] for key, _ in chunk], chunk)
            entries: list[dict[str, Any]] = []
            for number, (_, params) in enumerate(chunk):
                entries.extend(query_entries(number, params))
            metrics = sum(params.metrics_requested() for _, params in chunk)
            try:
                collected = await call_in_thread(
                    partial(self._get, region, entries, start, end, metrics)
                )
            except Exception as error:  # noqa: BLE001 - every SDK failure is a reason
                failure = self._failure(region, error)
                for key, _ in chunk:
                    batch.failures[key] = failure
                continue
            self._pauses.pop(region, None)
            answered = self._clock.now()
            for number, (key, params) in enumerate(chunk):
                answer = read_answer(number, params, collected)
                if isinstance(answer, FetchFailure):
                    batch.failures[key] = answer
                else:
                    batch.results[key] = answer
                    self._kept[key] = _Kept(answered, float(params.period), answer)

    def _get(
        self,
        region: str | None,
        entries: list[dict[str, Any]],
        start: float,
        end: float,
        metrics: int,
    ) -> Collected:
        """One GetMetricData request and its NextToken pages (runs in a thread)."""
        client = self.clients.client("cloudwatch", region)
        collected = Collected()
        token: str | None = None
        for _ in range(MAX_PAGES):
            arguments: dict[str, Any] = {
                "MetricDataQueries": entries,
                "StartTime": dt.datetime.fromtimestamp(start, dt.UTC),
                "EndTime": dt.datetime.fromtimestamp(end, dt.UTC),
                "ScanBy": "TimestampAscending",
            }
            if token:
                arguments["NextToken"] = token
            self.calls += 1
            self.metrics_requested += metrics
            page = client.get_metric_data(**arguments)
            collected.add_page(page)
            token = page.get("NextToken")
            if not token:
                break
        return collected

    def _failure(self, region: str | None, error: BaseException) -> FetchFailure:
        where = self.clients.region_label(region)
        if not is_throttling(error):
            who = self.clients.profile_label
            return FetchFailure(aws_reason(error, ACTION, who, where))
        pause = self._pauses.setdefault(region, _Pause())
        pause.strikes += 1
        wait = min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** (pause.strikes - 1))
        pause.until = self._clock.now() + wait
        pause.reason = f"throttled ({self.clients.account()}, {where})"
        return FetchFailure(pause.reason, throttled=True)

    def _forget_old(self, now: float) -> None:
        """Drop kept answers nobody asked for in a while, so memory stays bounded
        by what the screens show."""
        for key in [
            key
            for key, kept in self._kept.items()
            if now - kept.at > max(3600.0, 2 * kept.period)
        ]:
            del self._kept[key]


def _window(
    requests: Sequence[FetchRequest], chunk: Sequence[tuple[str, CloudWatchParams]]
) -> tuple[float, float]:
    """One start and end for a whole call: from the earliest start wanted, on a
    whole minute, to the latest end, at least one longest period apart."""
    longest = max(params.period for _, params in chunk)
    end = max(request.end for request in requests)
    start = min(request.start for request in requests)
    if not math.isfinite(start) or not math.isfinite(end):
        end = end if math.isfinite(end) else 0.0
        start = end - longest
    start = min(start, end - longest)
    align = 60 if longest >= 60 else longest
    return math.floor(start / align) * align, end


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, AwsOptions):
        options = CloudWatchOptions.model_validate(options.model_dump())
    return CloudWatchSource(name, options, clock)


KIND = SourceKind(
    type_name="cloudwatch",
    options_model=CloudWatchOptions,
    params_model=CloudWatchParams,
    create=_create,
    discovery_model=CloudWatchDiscovery,
    min_interval=1.0,
    max_batch=MAX_QUERIES_PER_CALL,
)
"""The CloudWatch metrics source, as the registry knows it."""

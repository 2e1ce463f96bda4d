"""One scheduler for the whole app: it turns what is on screen into source calls.

Screens say what they show as `Demand`s. The poller merges identical queries (two
panels asking the same thing share one call), groups them per source and refresh
interval so that a source able to batch gets one call per group, runs every call with
a timeout, and backs off with jitter after failures. It sleeps until the next group is
due; it never wakes on a fixed tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest
from console.sources.base import Source, SourceError
from console.store import Store

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
"""Seconds a source call may take before it counts as failed."""

DEFAULT_BATCH = 50
"""Queries one call carries when the source's kind does not say."""

CALL_MARGIN = 2.0
"""Seconds the poller waits past a source's own timeout before it gives up."""

MAX_SAMPLES = 1900
"""Samples per series a request may ask for; below the store's ring size."""

MAX_BACKOFF = 300.0
"""The longest wait between retries of a failing group, before jitter."""

PAST_WINDOW_INTERVAL = 300.0
"""Seconds between refreshes of a window that ends in the past: late data may still
arrive there, but it does not move."""


@dataclass(frozen=True, slots=True)
class Demand:
    """One query that something on screen wants kept fresh."""

    source: str
    """The profile's name for the source."""
    params: Mapping[str, object]
    """The source-specific parameters, as validated from the profile."""
    interval: float
    """Seconds between refreshes the panel asked for."""
    range: float
    """Seconds of history the panel shows."""
    points: int = 240
    """How many samples the panel can show across its range."""
    end: float | None = None
    """The window's right edge in epoch seconds; None: now, moving with the clock."""
    shift: float = 0.0
    """Seconds earlier than that window, for a copy drawn to compare with (a day or
    a week ago); 0 for the window itself."""

    @property
    def key(self) -> str:
        """Identity of the query: equal for equal source, parameters and shift."""
        return shifted_key(query_key(self.source, self.params), self.shift)


def query_key(source: str, params: Mapping[str, object]) -> str:
    """A stable key for a query, so that identical queries merge."""
    return source + ":" + json.dumps(params, sort_keys=True, default=str)


def shifted_key(key: str, shift: float) -> str:
    """The key of a query's copy `shift` seconds earlier (the key itself for 0)."""
    return f"{key}@-{shift:g}s" if shift else key


@dataclass(slots=True)
class _Query:
    key: str
    params: Mapping[str, object]
    interval: float
    range: float
    points: int
    end: float | None = None
    shift: float = 0.0

    @property
    def window(self) -> tuple[float, float | None]:
        """What the samples held for this query cover: its range and right edge."""
        return (self.range, self.end)

    @property
    def step(self) -> float:
        # The finer of one sample per refresh and what the panel can show: single
        # values, gauges and alert tiles read the newest sample, so it must not lag
        # by a whole chart bucket; charts bucket the extra samples away. The store's
        # ring bounds it from below. On wide ranges with fast refreshes this fetches
        # more samples than a chart shows (1h at 5 s: 720 for 240 columns).
        wanted = min(self.interval, self.range / max(1, self.points))
        return max(1.0, wanted, self.range / MAX_SAMPLES)


@dataclass(slots=True)
class _Group:
    source: str
    interval: float
    queries: dict[str, _Query] = field(default_factory=dict)
    next_due: float = 0.0
    failures: int = 0
    task: asyncio.Task[None] | None = None

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done()


UpdateListener = Callable[[frozenset[str]], None]
"""Called with the keys whose state changed after each call completes."""

CallObserver = Callable[[str, float, bool], None]
"""Called after each source call with the source's name, the call's seconds (on the
monotonic clock) and whether any of its queries failed."""


class Poller:
    """Keeps the demanded queries fresh in the store."""

    def __init__(
        self,
        sources: Mapping[str, Source],
        store: Store,
        clock: Clock,
        listener: UpdateListener,
        *,
        min_intervals: Mapping[str, float] | None = None,
        source_timeouts: Mapping[str, float] | None = None,
        batch_sizes: Mapping[str, int] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        rng: random.Random | None = None,
        observer: CallObserver | None = None,
    ) -> None:
        self._sources = sources
        self._store = store
        self._clock = clock
        self._listener = listener
        self._min_intervals = dict(min_intervals or {})
        self._source_timeouts = dict(source_timeouts or {})
        self._batch_sizes = dict(batch_sizes or {})
        self._timeout = timeout
        self._rng = rng or random.Random()
        self.observer = observer
        """Told how long each source call took; the usage recorder listens."""
        self._groups: dict[tuple[str, float], _Group] = {}
        self._wake = asyncio.Event()
        self._paused = False
        self.calls = 0
        """Source calls started since creation; benchmarks and tests read it."""

    @property
    def paused(self) -> bool:
        """True while no scheduled polls start."""
        return self._paused

    def group_sizes(self) -> dict[tuple[str, float], int]:
        """Queries per (source, interval) group: what one call of each carries."""
        return {key: len(group.queries) for key, group in self._groups.items()}

    def call_sizes(self) -> list[int]:
        """Queries carried by each call of one cycle of every group, largest
        first: a group bigger than its source's batch size is fetched in several."""
        sizes: list[int] = []
        for group in self._groups.values():
            batch = max(1, self._batch_sizes.get(group.source, DEFAULT_BATCH))
            whole, rest = divmod(len(group.queries), batch)
            sizes += [batch] * whole + ([rest] if rest else [])
        return sorted(sizes, reverse=True)

    def in_flight(self) -> int:
        """Groups whose call is still running."""
        return sum(group.busy for group in self._groups.values())

    def set_demands(self, demands: Iterable[Demand]) -> None:
        """Replace what is polled with `demands`; unchanged queries keep their
        schedule, and the store forgets queries nobody asks for any more."""
        now = self._clock.now()
        previous = self.windows()
        merged: dict[str, tuple[str, _Query]] = {}
        for demand in demands:
            key = demand.key
            interval = max(
                demand.interval,
                self._min_intervals.get(demand.source, 0.0),
                _period_of(demand.params),
                0.0 if demand.end is None else PAST_WINDOW_INTERVAL,
            )
            known = merged.get(key)
            if known is None:
                query = _Query(
                    key, demand.params, interval, demand.range, demand.points
                )
                query.end = demand.end
                query.shift = demand.shift
                merged[key] = (demand.source, query)
                continue
            query = known[1]
            query.interval = min(query.interval, interval)
            query.range = max(query.range, demand.range)
            query.points = max(query.points, demand.points)
            # One store entry holds one window: a live demand wins over a past one.
            if query.end is not None and (demand.end is None or demand.end > query.end):
                query.end = demand.end

        groups: dict[tuple[str, float], _Group] = {}
        for source, query in merged.values():
            group_key = (source, query.interval)
            group = groups.get(group_key)
            if group is None:
                old = self._groups.get(group_key)
                group = _Group(source, query.interval)
                if old is not None:
                    group.task, group.failures = old.task, old.failures
                groups[group_key] = group
            group.queries[query.key] = query
            capacity = int(query.range / query.step) + 2
            state = self._store.ensure(query.key, query.interval, capacity)
            old_window = previous.get(query.key)
            if old_window is not None and old_window != query.window:
                # Zoomed or panned: what is held covers another window, and an
                # incremental fetch from its newest sample would keep it.
                self._store.reset_series(query.key)
            due = (
                now
                if state.last_success is None
                else state.last_success + query.interval
            )
            group.next_due = (
                due if len(group.queries) == 1 else min(group.next_due, due)
            )
        for group_key, group in groups.items():
            old = self._groups.get(group_key)
            if old is not None and old.failures:
                group.next_due = max(group.next_due, old.next_due)
        self._groups = groups
        self._store.retain(merged)
        self._wake.set()

    def refresh_now(self) -> list[asyncio.Task[None]]:
        """Poll every group at once, even while paused; returns the started
        tasks (groups with a call in flight keep it)."""
        now = self._clock.now()
        for group in self._groups.values():
            group.next_due = now
        started = self._start_due(now, force=True)
        self._wake.set()
        return started

    def pause(self) -> None:
        """Stop starting scheduled polls; calls in flight finish."""
        self._paused = True

    def resume(self) -> None:
        """Start polling again; anything overdue runs at once."""
        self._paused = False
        self._wake.set()

    def next_due(self) -> float | None:
        """When the next idle group is due, or None when nothing is scheduled."""
        times = [g.next_due for g in self._groups.values() if not g.busy]
        return min(times) if times else None

    def poll_due(self, now: float) -> list[asyncio.Task[None]]:
        """Start a call for every group due at `now`; returns the started tasks."""
        if self._paused:
            return []
        return self._start_due(now, force=False)

    async def run(self) -> None:
        """Poll until cancelled, sleeping until the next group is due."""
        while True:
            self._wake.clear()
            self.poll_due(self._clock.now())
            due = None if self._paused else self.next_due()
            delay = None if due is None else max(0.0, due - self._clock.now())
            # Woken early by new demands, a refresh or a finished call; otherwise
            # the timeout is the moment the next group falls due.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def replace_sources(self, sources: Mapping[str, Source]) -> None:
        """Poll these sources from now on (after a variable changed their options)."""
        self._sources = sources

    async def close(self) -> None:
        """Cancel calls in flight; the sources belong to whoever made them."""
        tasks = [g.task for g in self._groups.values() if g.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def windows(self) -> dict[str, tuple[float, float | None]]:
        """The window each polled query covers now, by key."""
        return {
            key: query.window
            for group in self._groups.values()
            for key, query in group.queries.items()
        }

    def _start_due(self, now: float, *, force: bool) -> list[asyncio.Task[None]]:
        started: list[asyncio.Task[None]] = []
        for group in self._groups.values():
            if group.busy or not group.queries:
                continue
            if not force and group.next_due > now:
                continue
            group.task = asyncio.create_task(self._poll(group))
            started.append(group.task)
        return started

    async def _poll(self, group: _Group) -> None:
        source = self._sources.get(group.source)
        started = self._clock.now()
        queries = list(group.queries.values())
        for query in queries:
            self._store.record_attempt(query.key, started)
        size = max(1, self._batch_sizes.get(group.source, DEFAULT_BATCH))
        answered_any = False
        first_failure: FetchFailure | None = None
        for offset in range(0, len(queries), size):
            chunk = queries[offset : offset + size]
            self.calls += 1
            began = time.perf_counter()
            batch = await self._call(source, group, chunk, self._clock.now())
            if self.observer is not None:
                elapsed = time.perf_counter() - began
                failed = bool(batch.failures) or len(batch.results) < len(chunk)
                self.observer(group.source, elapsed, failed)
            chunk = self._still_wanted(chunk, batch)
            self._record(chunk, batch)
            answered_any = answered_any or bool(batch.results)
            if first_failure is None and batch.failures:
                first_failure = next(iter(batch.failures.values()))
            # Each batch shows as soon as it is in, so a big group fills in
            # steadily rather than all at once (or not at all).
            self._listener(frozenset(q.key for q in chunk))
        finished = self._clock.now()
        if first_failure is not None and not answered_any:
            group.failures += 1
            group.next_due = finished + self._backoff(group)
            log.warning(
                "source %s failing (%d in a row), retrying in %.0fs: %s",
                group.source,
                group.failures,
                group.next_due - finished,
                first_failure.reason,
            )
        else:
            if group.failures:
                log.info("source %s recovered", group.source)
            group.failures = 0
            group.next_due = started + group.interval
        self._wake.set()

    def _still_wanted(self, queries: list[_Query], batch: FetchBatch) -> list[_Query]:
        """The queries whose window did not change while their call was in flight;
        answers for the others are dropped from `batch`, as they cover a window
        nobody shows any more."""
        current = self.windows()
        kept: list[_Query] = []
        for query in queries:
            if current.get(query.key) == query.window:
                kept.append(query)
            else:
                batch.results.pop(query.key, None)
                batch.failures.pop(query.key, None)
        return kept

    def _record(self, queries: list[_Query], batch: FetchBatch) -> None:
        """Keep one call's answers; a query it did not answer counts as failed."""
        finished = self._clock.now()
        for key, result in batch.results.items():
            self._store.record(key, result, finished)
        for key, failure in batch.failures.items():
            self._store.record_failure(key, failure, finished)
        answered = set(batch.results) | set(batch.failures)
        for query in queries:
            if query.key not in answered:
                self._store.record_failure(
                    query.key,
                    FetchFailure("the source returned nothing for this query"),
                    finished,
                )

    async def _call(
        self,
        source: Source | None,
        group: _Group,
        queries: list[_Query],
        now: float,
    ) -> FetchBatch:
        keys = [q.key for q in queries]
        if source is None:
            return _all_failed(keys, f"no source named {group.source!r}")
        requests = [self._request(query, now) for query in queries]
        limit = self._limit(group.source, queries)
        try:
            return await asyncio.wait_for(source.fetch(requests), limit)
        except TimeoutError:
            return _all_failed(keys, f"timed out after {limit:g}s")
        except SourceError as error:
            return _all_failed(keys, error.reason, throttled=error.throttled)
        except Exception as error:
            # A defect in a source must not take the console down; it shows in the
            # panels and the log keeps the traceback for whoever fixes it.
            log.exception("source %s raised", group.source)
            return _all_failed(keys, f"{type(error).__name__}: {error}")

    def _limit(self, source: str, queries: list[_Query]) -> float:
        """The whole call's deadline: the poller's own, or longer when the source
        or a query sets a longer timeout of its own, so that theirs can fire first
        and name the one query that was slow."""
        own = [self._source_timeouts.get(source, 0.0)]
        own += [_timeout_of(query.params) for query in queries]
        longest = max(own)
        return max(self._timeout, longest + CALL_MARGIN) if longest else self._timeout

    def _request(self, query: _Query, now: float) -> FetchRequest:
        state = self._store.get(query.key)
        end = (now if query.end is None else min(query.end, now)) - query.shift
        start = end - query.range
        latest = state.latest_time() if state is not None else None
        if latest is not None:
            start = max(start, min(latest, end))
        return FetchRequest(query.key, query.params, start, end, query.step)

    def _backoff(self, group: _Group) -> float:
        base = group.interval * 2.0 ** min(group.failures, 10)
        ceiling = max(group.interval, MAX_BACKOFF)
        return min(base, ceiling) * self._rng.uniform(0.8, 1.2)


def _timeout_of(params: Mapping[str, object]) -> float:
    timeout = params.get("timeout")
    return float(timeout) if isinstance(timeout, int | float) else 0.0


def _period_of(params: Mapping[str, object]) -> float:
    period = params.get("period")
    return float(period) if isinstance(period, int | float) else 0.0


def _all_failed(keys: list[str], reason: str, *, throttled: bool = False) -> FetchBatch:
    failure = FetchFailure(reason, throttled=throttled)
    return FetchBatch(failures={key: failure for key in keys})

"""What the console knows about each query: its samples, and how fresh they are.

Memory is bounded by design: a query keeps at most `max_series` series of at most
`capacity` samples each, in compact buffers (console/series_buffer.py), and the
store holds only the queries the visible screens ask for (`retain` drops the rest).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from console.results import (
    FetchFailure,
    QueryResult,
    SeriesResult,
    TableResult,
)
from console.series_buffer import SeriesBuffer

DEFAULT_CAPACITY = 2000
"""Samples kept per series unless a query asks for fewer."""

MAX_SERIES = 200
"""Series kept per query; a query returning more keeps the first ones it returned."""


class Freshness(StrEnum):
    """How much to trust what the store holds for a query."""

    WAITING = "waiting"
    """Never answered yet."""
    LIVE = "live"
    """Answered within twice its refresh interval."""
    STALE = "stale"
    """The last answer is older than twice its refresh interval."""
    FAILING = "failing"
    """The last call failed."""


@dataclass(eq=False)
class QueryState:
    """Samples and health of one query."""

    key: str
    interval: float
    capacity: int
    series: dict[str, SeriesBuffer] = field(default_factory=dict)
    table: TableResult | None = None
    last_success: float | None = None
    last_attempt: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    throttled: bool = False
    failures: int = 0
    """Consecutive failed calls; zero after a success."""
    version: int = 0
    """Bumped on every change, so readers can tell whether anything moved."""

    def freshness(self, now: float) -> Freshness:
        """How far to trust this query's data at `now`."""
        if self.last_error is not None and (
            self.last_success is None
            or (self.last_error_at or 0.0) >= self.last_success
        ):
            return Freshness.FAILING
        if self.last_success is None:
            return Freshness.WAITING
        if now - self.last_success > 2 * self.interval:
            return Freshness.STALE
        return Freshness.LIVE

    def latest_time(self) -> float | None:
        """The newest sample's time across all series, if any."""
        times = [points[-1][0] for points in self.series.values() if points]
        return max(times) if times else None

    def has_data(self) -> bool:
        """True when there is at least one sample or a table."""
        return self.table is not None or any(self.series.values())


class Store:
    """Ring buffers per query key, and each query's last success and error."""

    def __init__(
        self, capacity: int = DEFAULT_CAPACITY, max_series: int = MAX_SERIES
    ) -> None:
        self._capacity = capacity
        self._max_series = max_series
        self._states: dict[str, QueryState] = {}

    def __len__(self) -> int:
        return len(self._states)

    def __iter__(self) -> Iterator[QueryState]:
        return iter(self._states.values())

    def get(self, key: str) -> QueryState | None:
        """The state of one query, if it was ever asked for."""
        return self._states.get(key)

    def ensure(self, key: str, interval: float, points: int) -> QueryState:
        """The state for `key`, created if new; its refresh and size follow demand."""
        capacity = max(2, min(self._capacity, points))
        state = self._states.get(key)
        if state is None:
            state = QueryState(key=key, interval=interval, capacity=capacity)
            self._states[key] = state
            return state
        state.interval = interval
        if capacity != state.capacity:
            state.capacity = capacity
            state.series = {
                name: points_.resized(capacity)
                for name, points_ in state.series.items()
            }
        return state

    def retain(self, keys: Iterable[str]) -> None:
        """Forget every query not in `keys`: nothing on screen needs it."""
        wanted = set(keys)
        for key in [key for key in self._states if key not in wanted]:
            del self._states[key]

    def reset_series(self, key: str) -> None:
        """Forget the samples held for `key` so that its next call fetches its whole
        window again; until then it counts as waiting, not as empty."""
        state = self._states.get(key)
        if state is None:
            return
        state.series = {}
        state.last_success = None
        state.last_error = None
        state.last_error_at = None
        state.version += 1

    def clear(self) -> None:
        """Forget every answer and error held, keeping which queries are wanted:
        each counts as waiting until it is answered again."""
        for state in self._states.values():
            state.series = {}
            state.table = None
            state.last_success = None
            state.last_attempt = None
            state.last_error = None
            state.last_error_at = None
            state.throttled = False
            state.failures = 0
            state.version += 1

    def record_attempt(self, key: str, now: float) -> None:
        """Note that a call for `key` started."""
        state = self._states.get(key)
        if state is not None:
            state.last_attempt = now

    def record(self, key: str, result: QueryResult, now: float) -> None:
        """Keep a successful answer."""
        state = self._states.get(key)
        if state is None:
            return
        if isinstance(result, TableResult):
            state.table = result
        else:
            self._merge_series(state, result)
        state.last_success = now
        state.last_error = None
        state.last_error_at = None
        state.throttled = False
        state.failures = 0
        state.version += 1

    def record_failure(self, key: str, failure: FetchFailure, now: float) -> None:
        """Keep a failed answer's reason; the data already held stays."""
        state = self._states.get(key)
        if state is None:
            return
        state.last_error = failure.reason
        state.last_error_at = now
        state.throttled = failure.throttled
        state.failures += 1
        state.version += 1

    def _merge_series(self, state: QueryState, result: SeriesResult) -> None:
        if result.replace:
            state.series = {}
        # Series keep the order the source gave them (the profile's order, for
        # most sources): legends, bars and tiles follow it.
        for name, incoming in result.series.items():
            buffer = state.series.get(name)
            if buffer is None:
                if len(state.series) >= self._max_series:
                    continue
                buffer = SeriesBuffer(state.capacity)
                state.series[name] = buffer
            newest = buffer.newest_time()
            if newest is None:
                newest = float("-inf")
            # Sources may repeat the sample at the window's edge; only newer ones
            # extend the buffer, which keeps it sorted without a sort.
            buffer.extend(point for point in incoming if point[0] > newest)

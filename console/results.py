"""What sources return: plain series of (timestamp, value) and tables.

Sources build these; the store keeps them; evaluation and widgets read them. They are
plain data so that every layer can be tested without the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Point = tuple[float, float]
"""A sample: seconds since the epoch, and the value at that time."""

Cell = str | float | int | None
"""One cell of a table: text, a number, or nothing."""


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """Named series of samples, oldest first, as one query returned them.

    A query may return one series (a single metric) or many (one per core, per
    endpoint, per region). `replace` tells the store to drop what it held for this
    query first, for sources that return their whole window on each call.
    """

    series: Mapping[str, Sequence[Point]]
    replace: bool = False


@dataclass(frozen=True, slots=True)
class TableResult:
    """Rows of cells under named columns, as one query returned them."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]


QueryResult = SeriesResult | TableResult
"""Anything one query can return."""


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One query as the poller hands it to its source.

    `key` identifies the query across panels: two panels asking the same thing share
    one key and one request. `start` and `end` bound the window wanted; a source that
    keeps no history may answer with just the latest sample.
    """

    key: str
    params: Mapping[str, object]
    start: float
    end: float
    step: float


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """Why one query of a batch failed, in a line short enough to show in a panel."""

    reason: str
    throttled: bool = False


@dataclass(slots=True)
class FetchBatch:
    """What a source returns for one call: a result or a failure per request key."""

    results: dict[str, QueryResult] = field(default_factory=dict)
    failures: dict[str, FetchFailure] = field(default_factory=dict)

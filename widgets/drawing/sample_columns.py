"""Samples as two columns, times ascending, cut to a window: what charts draw from.

A chart of forty series an hour long reduces some thirty thousand samples each
time its data changes. Walking them as `(time, value)` tuples one by one in
Python costs tens of milliseconds, during which a keypress waits. Held as two
columns with the times in order, the window is found by bisection and the work
per sample (finding its bucket, the largest value of a bucket) runs inside
built-ins that loop in C.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import le
from typing import Protocol, runtime_checkable

Point = tuple[float, float]
"""A sample: (unix timestamp in seconds, value)."""


@runtime_checkable
class Columnar(Protocol):
    """A holder of samples that can hand them over as two columns, oldest first."""

    def columns(self) -> tuple[Sequence[float], Sequence[float]]:
        """Copies of the times and the values, in the order they were added."""
        ...


@dataclass(frozen=True, slots=True)
class Columns:
    """Samples as parallel columns: times ascending, every time and value finite."""

    times: Sequence[float]
    values: Sequence[float]

    def __len__(self) -> int:
        return len(self.times)

    @property
    def latest(self) -> float | None:
        """The value of the newest sample, if there is one."""
        return self.values[-1] if self.times else None

    def within(self, start: float, end: float) -> Columns:
        """The samples with `start <= time <= end`."""
        low = bisect_left(self.times, start)
        high = bisect_right(self.times, end, low)
        if low == 0 and high == len(self.times):
            return self
        return Columns(self.times[low:high], self.values[low:high])


def columns_of(
    points: Iterable[Point] | Columns,
    start: float = -math.inf,
    end: float = math.inf,
) -> Columns:
    """`points` as columns: samples with a non-finite time or value left out,
    sorted by time (stably, so equal times keep their order), cut to
    `start <= time <= end`."""
    if isinstance(points, Columns):
        return points.within(start, end)
    times: Sequence[float]
    values: Sequence[float]
    if isinstance(points, Columnar):
        times, values = points.columns()
    else:
        pairs = list(points)
        times = [time for time, _ in pairs]
        values = [value for _, value in pairs]
    # A sum is finite only if every term is (or it overflowed: then the slow
    # filter below runs for nothing, and is still right).
    if not (math.isfinite(sum(times)) and math.isfinite(sum(values))):
        kept = [
            (time, value)
            for time, value in zip(times, values, strict=True)
            if math.isfinite(time) and math.isfinite(value)
        ]
        times = [time for time, _ in kept]
        values = [value for _, value in kept]
    if not all(map(le, times, islice(times, 1, None))):
        order = sorted(range(len(times)), key=times.__getitem__)
        times = [times[i] for i in order]
        values = [values[i] for i in order]
    return Columns(times, values).within(start, end)

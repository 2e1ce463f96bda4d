"""Time buckets aligned to absolute time, shared by charts, sparklines and heatmaps.

A drawing that is as wide as N buckets puts each sample into bucket
`floor(t / duration)` counted from the epoch, not from the window's start. As the
window slides, a sample stays in the same bucket and the picture only moves when
the newest bucket begins; a window that slid by less than one bucket draws
exactly as before, so the panel sends nothing new to the terminal.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice, repeat
from operator import sub, truediv

from widgets.drawing.sample_columns import Columns, Point, columns_of


@dataclass(frozen=True)
class TimeBuckets:
    """`count` consecutive buckets of `duration` seconds, the last holding `end`."""

    first: int
    """Absolute index (since the epoch) of the leftmost bucket."""
    count: int
    """How many buckets the drawing has room for."""
    duration: float
    """Seconds covered by one bucket."""

    def index_of(self, timestamp: float) -> int | None:
        """The bucket holding `timestamp`, from 0 at the left; `None` if outside."""
        index = math.floor(timestamp / self.duration) - self.first
        return index if 0 <= index < self.count else None

    def start_of(self, index: int) -> float:
        """The time at which bucket `index` begins."""
        return (self.first + index) * self.duration

    def position_of(self, timestamp: float) -> float:
        """Where `timestamp` falls, in buckets from the left edge (fractional)."""
        return timestamp / self.duration - self.first


@dataclass(frozen=True)
class Bucketed:
    """One series reduced to buckets: the largest value in each and its timing."""

    values: list[float | None]
    """Largest value of each bucket; `None` where the bucket holds no sample."""
    first_time: list[float]
    """Time of the earliest sample in each bucket (meaningless where empty)."""
    last_time: list[float]
    """Time of the latest sample in each bucket (meaningless where empty)."""
    times: Sequence[float]
    """The times of the samples in the buckets, ascending."""

    @cached_property
    def interval(self) -> float | None:
        """Median time between consecutive samples, or `None` with fewer than two.

        Worked out when first asked for: only a line crossing empty buckets needs
        it, and a dense series (the usual case) has none."""
        return _median_interval(self.times)


def time_buckets(
    start: float, end: float, count: int, *, per_cell: int = 1
) -> TimeBuckets:
    """`count` buckets spanning `start`..`end`, aligned to multiples of their length.

    The span is rounded to a millisecond first so that `end - start` computed
    from slightly different floats still gives the very same buckets. With
    `per_cell` buckets to a cell, the window moves a whole cell at a time: the
    newest cell is the one holding `end`, however far into it `end` is, so the
    picture scrolls once per cell rather than once per bucket.
    """
    count = max(1, count)
    per_cell = max(1, per_cell)
    span = round(max(end - start, 0.001) * 1000) / 1000
    duration = span / count
    last = (math.floor(end / (duration * per_cell)) + 1) * per_cell - 1
    return TimeBuckets(first=last - count + 1, count=count, duration=duration)


def bucket_points(points: Iterable[Point] | Columns, buckets: TimeBuckets) -> Bucketed:
    """Each bucket's largest value: the maximum keeps a one-sample spike visible.

    An average or the last value would flatten the very error burst or latency
    spike an on-call engineer is looking for once a bucket holds several samples;
    the maximum over-states a busy bucket instead, which is the safer mistake.
    Non-finite values are skipped.

    The samples' bucket numbers are computed in one pass of built-ins; as times
    ascend, so do the numbers, and each non-empty bucket is one run of them,
    found by bisection and reduced with `max` over a slice.
    """
    count = buckets.count
    values: list[float | None] = [None] * count
    first_time = [0.0] * count
    last_time = [0.0] * count
    columns = columns_of(points)
    times = columns.times
    samples = columns.values
    first = buckets.first
    keys = list(map(math.floor, map(truediv, times, repeat(buckets.duration))))
    low = bisect_left(keys, first)
    high = bisect_left(keys, first + count, low)
    at = low
    while at < high:
        key = keys[at]
        after = bisect_right(keys, key, at, high)
        index = key - first
        values[index] = max(samples[at:after]) if after - at > 1 else samples[at]
        first_time[index] = times[at]
        last_time[index] = times[after - 1]
        at = after
    return Bucketed(values, first_time, last_time, times[low:high])


def _median_interval(times: Sequence[float]) -> float | None:
    """The median of the positive gaps between consecutive (ascending) times."""
    gaps: list[float] = sorted(
        filter((0.0).__lt__, map(sub, islice(times, 1, None), times))
    )
    if not gaps:
        return None
    return gaps[len(gaps) // 2]


def joined(bucketed: Bucketed, left: int, right: int) -> bool:
    """Whether a line should join the non-empty buckets `left` and `right`.

    Neighbouring buckets always join. Buckets further apart join only when the
    samples on either side are no more than one and a half sampling intervals
    apart: a series sampled every minute in 40-second buckets leaves every third
    bucket empty without having any gap, while a missed sample breaks the line.
    """
    if right == left + 1:
        return True
    interval = bucketed.interval
    if interval is None:
        return False
    return bucketed.first_time[right] - bucketed.last_time[left] <= interval * 1.5

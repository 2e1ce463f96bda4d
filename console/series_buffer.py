"""The samples of one series, kept compactly: two arrays of doubles.

A series held as a deque of `(time, value)` tuples costs about 110 bytes a sample
(the tuple, two float objects, the deque's slot); two `array('d')` cost 16. At 5,000
series of a few hundred samples that is the difference between a console that fits
beside the others on a bastion and one that does not. Readers still see a sequence
of `(time, value)` pairs, oldest first.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import overload

from console.results import Point


class SeriesBuffer(Sequence[Point]):
    """At most `capacity` samples, oldest first; appending past it drops the oldest.

    Dropped samples are only skipped until they make up half the arrays, then cut
    away in one move, so appending stays cheap and the arrays stay within twice the
    capacity.
    """

    __slots__ = ("_start", "_times", "_values", "capacity")

    def __init__(self, capacity: int, points: Iterable[Point] = ()) -> None:
        if capacity < 1:
            raise ValueError("a series buffer holds at least one sample")
        self.capacity = capacity
        self._times = array("d")
        self._values = array("d")
        self._start = 0
        self.extend(points)

    def __len__(self) -> int:
        return len(self._times) - self._start

    def __iter__(self) -> Iterator[Point]:
        return islice(zip(self._times, self._values, strict=True), self._start, None)

    @overload
    def __getitem__(self, index: int) -> Point: ...

    @overload
    def __getitem__(self, index: slice) -> list[Point]: ...

    def __getitem__(self, index: int | slice) -> Point | list[Point]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("series buffer index out of range")
        at = self._start + index
        return (self._times[at], self._values[at])

    def __repr__(self) -> str:
        return f"SeriesBuffer(capacity={self.capacity}, samples={len(self)})"

    def columns(self) -> tuple[array[float], array[float]]:
        """Copies of the times and the values, oldest first: what charts reduce
        with built-ins instead of walking the samples one tuple at a time."""
        return self._times[self._start :], self._values[self._start :]

    def newest_time(self) -> float | None:
        """The newest sample's time, if there is one."""
        return self._times[-1] if len(self) else None

    def extend(self, points: Iterable[Point]) -> None:
        """Append samples (the caller keeps them in time order)."""
        for time, value in points:
            self._times.append(time)
            self._values.append(value)
        excess = len(self) - self.capacity
        if excess > 0:
            self._start += excess
        if self._start and self._start >= len(self._times) // 2:
            del self._times[: self._start]
            del self._values[: self._start]
            self._start = 0

    def resized(self, capacity: int) -> SeriesBuffer:
        """A copy holding at most `capacity` of the newest samples."""
        return SeriesBuffer(capacity, self)

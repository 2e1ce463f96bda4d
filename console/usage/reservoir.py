"""Bounded samples of durations, and the figures read from them.

A long shift makes millions of source calls; keeping every duration would grow
without end. A reservoir keeps a uniform random sample of at most `size` of them,
which is enough for a median and a 95th percentile to within a few percent.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

RESERVOIR_SIZE = 256
"""Durations kept per source or panel; memory is this many floats per key."""


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """The value below which `fraction` (0 to 1) of `values` fall; nearest rank.

    None when there are no values.
    """
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(slots=True)
class Reservoir:
    """A uniform sample of at most `size` durations out of all that were added."""

    size: int = RESERVOIR_SIZE
    samples: list[float] = field(default_factory=list)
    seen: int = 0
    """How many durations were added in all, kept or not."""
    rng: random.Random = field(default_factory=lambda: random.Random(0x5EED))

    def add(self, value: float) -> None:
        """Offer one duration; it replaces a kept one with the right probability."""
        self.seen += 1
        if len(self.samples) < self.size:
            self.samples.append(value)
            return
        slot = self.rng.randrange(self.seen)
        if slot < self.size:
            self.samples[slot] = value

    def percentile(self, fraction: float) -> float | None:
        """A percentile of the kept durations; None before the first."""
        return percentile(self.samples, fraction)


@dataclass(slots=True)
class CallStats:
    """Durations and failures of one source's calls, or of one panel's draws."""

    calls: int = 0
    errors: int = 0
    """Calls that failed, in whole or in part."""
    slowest: float = 0.0
    durations: Reservoir = field(default_factory=Reservoir)

    def add(self, seconds: float, *, failed: bool = False) -> None:
        """Count one call that took `seconds`."""
        self.calls += 1
        self.errors += failed
        self.slowest = max(self.slowest, seconds)
        self.durations.add(seconds)

    @property
    def p50(self) -> float | None:
        """The median duration, in seconds."""
        return self.durations.percentile(0.50)

    @property
    def p95(self) -> float | None:
        """The 95th percentile duration, in seconds."""
        return self.durations.percentile(0.95)

    def to_json(self, kept: int = 64) -> dict[str, object]:
        """Counts and up to `kept` of the sampled durations (in milliseconds,
        rounded), so that a report can merge intervals into one percentile."""
        samples = self.durations.samples
        step = max(1, len(samples) // kept)
        return {
            "calls": self.calls,
            "errors": self.errors,
            "max_ms": round(self.slowest * 1000, 1),
            "samples_ms": [round(value * 1000, 1) for value in samples[::step][:kept]],
        }


class StatsBook:
    """`CallStats` per key (a source's name, or `dashboard/panel`), bounded by the
    number of keys, which the profile bounds."""

    def __init__(self, max_keys: int = 2000) -> None:
        self._stats: dict[str, CallStats] = {}
        self._max_keys = max_keys

    def __bool__(self) -> bool:
        return bool(self._stats)

    def add(self, key: str, seconds: float, *, failed: bool = False) -> None:
        """Count one call of `key`; a key past `max_keys` is not counted."""
        stats = self._stats.get(key)
        if stats is None:
            if len(self._stats) >= self._max_keys:
                return
            stats = self._stats[key] = CallStats()
        stats.add(seconds, failed=failed)

    def get(self, key: str) -> CallStats | None:
        """The figures of one key, if it was ever counted."""
        return self._stats.get(key)

    def items(self) -> Mapping[str, CallStats]:
        """Every key's figures."""
        return self._stats

    def to_json(self) -> dict[str, object]:
        """Every key's figures as JSON, keys sorted."""
        return {key: self._stats[key].to_json() for key in sorted(self._stats)}

    def clear(self) -> None:
        """Forget every figure."""
        self._stats.clear()

"""Fake source kinds and a known-good profile for the loader and lint tests.

The real kinds are written elsewhere and pull in their own dependencies; these two
are small enough that a test can see exactly what a query or a source block may say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from console.clock import Clock
from console.sources.base import QueryParams, Source, SourceKind, SourceOptions

HERE = Path(__file__).parent
GOOD_DIR = HERE / "profiles_good"
BAD_DIR = HERE / "profiles_bad"
GOOD_PROFILE = GOOD_DIR / "minimal.yaml"


class MetricsOptions(SourceOptions):
    """Options of the fake `metrics` source."""

    seed: int = 0
    """Seed of the fake data."""
    region: Literal["us-east-1", "eu-west-1"] = "us-east-1"
    """Where the fake data comes from."""


class MetricsParams(QueryParams):
    """What a query of the fake `metrics` source asks for."""

    metric: str
    """The metric's name."""
    scale: float = Field(default=1.0, gt=0)
    """A factor applied to every value."""
    period: int | None = Field(default=None, gt=0)
    """Seconds between the metric's own data points, as CloudWatch's `period`."""


class ClockOptions(SourceOptions):
    """The fake `clock` source takes no options."""


class ClockParams(QueryParams):
    """The fake `clock` source takes no parameters."""


def _no_source(name: str, options: SourceOptions, clock: Clock) -> Source:
    raise NotImplementedError("the loader tests never build a source")


FAKE_KINDS: dict[str, SourceKind] = {
    "metrics": SourceKind("metrics", MetricsOptions, MetricsParams, _no_source),
    "clock": SourceKind("clock", ClockOptions, ClockParams, _no_source),
}
"""Source kinds for tests, keyed by their `type:` name."""

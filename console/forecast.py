"""When a series will cross a level, from a straight line fitted to its recent past.

A forecast is only given when the line explains the samples well (R² at least
`MIN_R_SQUARED`, at least `MIN_POINTS` samples): a noisy series gets "no forecast",
never a number the fit cannot stand behind.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from console.durations import format_duration
from console.profile_schema import Thresholds
from console.results import Point

MIN_POINTS = 6
"""Fewer samples than this give no forecast."""
MIN_R_SQUARED = 0.6
"""A fit explaining less of the variance than this gives no forecast."""


@dataclass(frozen=True, slots=True)
class Line:
    """A least-squares line through samples: value = slope * t + intercept."""

    slope: float
    """Change per second."""
    intercept: float
    r_squared: float
    """How much of the samples' variance the line explains, 0 to 1."""

    def at(self, when: float) -> float:
        """The line's value at `when`."""
        return self.slope * when + self.intercept


@dataclass(frozen=True, slots=True)
class Forecast:
    """What the trend says about a level."""

    verdict: Literal["crossing", "clear", "unsure"]
    """`crossing`: the line reaches the level within the look-ahead; `clear`: it
    does not; `unsure`: the fit is too poor to say."""
    level: Literal["critical", "warning"] = "critical"
    seconds: float | None = None
    """With `crossing`, how long until the line reaches the level."""

    @property
    def text(self) -> str:
        """`critical in ~23m`, `no forecast`, or empty when the way is clear."""
        if self.verdict == "unsure":
            return "no forecast"
        if self.verdict == "crossing" and self.seconds is not None:
            return f"{self.level} in ~{format_duration(self.seconds)}"
        return ""


def fit_line(points: Sequence[Point]) -> Line | None:
    """The least-squares line through the points; None for fewer than two
    distinct times. A perfectly flat series has R² of 1 (nothing to explain)."""
    samples = [(t, v) for t, v in points if not math.isnan(v)]
    if len(samples) < 2:
        return None
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_v = sum(v for _, v in samples) / n
    s_tt = sum((t - mean_t) ** 2 for t, _ in samples)
    if s_tt == 0:
        return None
    s_tv = sum((t - mean_t) * (v - mean_v) for t, v in samples)
    slope = s_tv / s_tt
    intercept = mean_v - slope * mean_t
    s_vv = sum((v - mean_v) ** 2 for _, v in samples)
    if s_vv == 0:
        return Line(slope, intercept, 1.0)
    residual = sum((v - (slope * t + intercept)) ** 2 for t, v in samples)
    return Line(slope, intercept, max(0.0, 1.0 - residual / s_vv))


def forecast_breach(
    points: Sequence[Point],
    thresholds: Thresholds,
    *,
    now: float,
    lookahead: float,
) -> Forecast:
    """Whether the trend of `points` reaches the critical level (or, with none, the
    warning level) within `lookahead` seconds of `now`.

    Only samples from the last `lookahead` seconds (at least the last minute) are
    fitted: the recent trend is the one that matters for the next stretch.
    """
    level_name: Literal["critical", "warning"] = "critical"
    level = thresholds.critical
    if level is None:
        level_name, level = "warning", thresholds.warning
    if level is None:
        return Forecast("clear")
    recent = [p for p in points if p[0] >= now - max(lookahead, 60.0)]
    line = fit_line(recent) if len(recent) >= MIN_POINTS else None
    if line is None or line.r_squared < MIN_R_SQUARED:
        return Forecast("unsure", level_name)
    above = thresholds.direction == "above"
    current = line.at(now)
    if (current >= level) if above else (current <= level):
        return Forecast("clear", level_name)
    heading = line.slope > 0 if above else line.slope < 0
    if not heading:
        return Forecast("clear", level_name)
    seconds = (level - current) / line.slope
    if seconds > lookahead:
        return Forecast("clear", level_name)
    return Forecast("crossing", level_name, seconds)

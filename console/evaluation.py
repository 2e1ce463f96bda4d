"""From samples to what a panel should say: its state, its headline value, and why.

The order of judgement is deliberate: a panel whose source fails or whose data went
stale says so before anything else, so that old numbers never look live.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from console.durations import format_duration
from console.profile_schema import Panel, Thresholds
from console.results import Point
from console.store import Freshness, QueryState


class PanelState(StrEnum):
    """What a panel's border and badge show."""

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    NO_DATA = "no_data"
    STALE = "stale"
    ERROR = "error"

    @property
    def label(self) -> str:
        """The badge text, short enough for a narrow panel."""
        return _LABELS[self]

    @property
    def is_breach(self) -> bool:
        """True for warning and critical."""
        return self in (PanelState.WARNING, PanelState.CRITICAL)


_LABELS = {
    PanelState.OK: "OK",
    PanelState.WARNING: "WARN",
    PanelState.CRITICAL: "CRIT",
    PanelState.NO_DATA: "NO DATA",
    PanelState.STALE: "STALE",
    PanelState.ERROR: "ERROR",
}

_SEVERITY = {
    PanelState.OK: 0,
    PanelState.NO_DATA: 1,
    PanelState.STALE: 2,
    PanelState.WARNING: 3,
    PanelState.ERROR: 4,
    PanelState.CRITICAL: 5,
}


def worst(states: Iterable[PanelState]) -> PanelState:
    """The most severe state of several; OK when there are none."""
    return max(states, key=_SEVERITY.__getitem__, default=PanelState.OK)


@dataclass(frozen=True, slots=True)
class PanelStatus:
    """The judgement on one panel at one moment."""

    state: PanelState
    reason: str
    """A short line saying why, shown inside the panel when not OK."""
    value: float | None = None
    """The headline number (the worst series reduced by the panel's `stat`)."""
    series: str | None = None
    """The series that gave the headline number."""


def classify(value: float, thresholds: Thresholds | None) -> PanelState:
    """OK, WARNING or CRITICAL for one value against the panel's levels."""
    if thresholds is None or math.isnan(value):
        return PanelState.OK
    above = thresholds.direction == "above"

    def breaches(level: float | None) -> bool:
        if level is None:
            return False
        return value >= level if above else value <= level

    if breaches(thresholds.critical):
        return PanelState.CRITICAL
    if breaches(thresholds.warning):
        return PanelState.WARNING
    return PanelState.OK


def reduce(
    points: Sequence[Point],
    stat: str,
    since: float | None = None,
    until: float | None = None,
) -> float | None:
    """One number for a series: its last, mean, max, min or sum, within the window
    from `since` to `until` (either end left open when None)."""
    if stat not in ("mean", "max", "min", "sum"):
        # The newest number in the window: read from the end, not the whole series.
        for t, v in reversed(points):
            if until is not None and t > until:
                continue
            if since is not None and t < since:
                return None
            if not math.isnan(v):
                return v
        return None
    values = [
        v
        for t, v in points
        if (since is None or t >= since)
        and (until is None or t <= until)
        and not math.isnan(v)
    ]
    if not values:
        return None
    match stat:
        case "mean":
            return sum(values) / len(values)
        case "max":
            return max(values)
        case "min":
            return min(values)
        case _:
            return sum(values)


def series_values(
    panel: Panel,
    states: Sequence[QueryState],
    since: float | None,
    until: float | None = None,
) -> list[tuple[str, float]]:
    """Each series of the panel reduced to one number, in series order."""
    values: list[tuple[str, float]] = []
    for state in states:
        for name, points in state.series.items():
            value = reduce(points, panel.stat, since, until)
            if value is not None:
                values.append((name, value))
    return values


def evaluate_panel(
    panel: Panel,
    states: Sequence[QueryState | None],
    now: float,
    range_seconds: float,
    end: float | None = None,
) -> PanelStatus:
    """Judge a panel from its queries' states at `now`, over the window of
    `range_seconds` ending at `end` (None: ending now)."""
    if panel.type == "text":
        return PanelStatus(PanelState.OK, "")
    known = [state for state in states if state is not None]
    if len(known) < len(states) or not known:
        return PanelStatus(PanelState.NO_DATA, "waiting for data")
    failing = [s for s in known if s.freshness(now) is Freshness.FAILING]
    if failing:
        return PanelStatus(PanelState.ERROR, _failure_reason(failing[0], now))
    if any(s.freshness(now) is Freshness.WAITING for s in known):
        return PanelStatus(PanelState.NO_DATA, "waiting for data")
    stale = [s for s in known if s.freshness(now) is Freshness.STALE]
    if stale:
        age = now - (stale[0].last_success or now)
        return PanelStatus(
            PanelState.STALE, f"stale: last data {format_duration(age)} ago"
        )
    if not any(state.has_data() for state in known):
        return PanelStatus(PanelState.NO_DATA, "the source returned no data")
    edge = now if end is None else end
    values = series_values(panel, known, edge - range_seconds, end)
    if not values:
        if any(state.table is not None for state in known):
            return PanelStatus(PanelState.OK, "")
        return PanelStatus(
            PanelState.NO_DATA, f"no data in the last {format_duration(range_seconds)}"
        )
    judged = [
        (classify(value, panel.thresholds), name, value) for name, value in values
    ]
    state = worst(s for s, _, _ in judged)
    name, value = _headline(judged, state, panel.thresholds)
    reason = ""
    if state.is_breach and panel.thresholds is not None:
        reason = _breach_reason(state, name, value, panel)
    return PanelStatus(state, reason, value, name)


def _headline(
    judged: list[tuple[PanelState, str, float]],
    state: PanelState,
    thresholds: Thresholds | None,
) -> tuple[str, float]:
    candidates = [(name, value) for s, name, value in judged if s is state]
    below = thresholds is not None and thresholds.direction == "below"
    pick = min if below else max
    return pick(candidates, key=lambda item: item[1])


def _breach_reason(state: PanelState, name: str, value: float, panel: Panel) -> str:
    assert panel.thresholds is not None
    level = (
        panel.thresholds.critical
        if state is PanelState.CRITICAL
        else panel.thresholds.warning
    )
    sign = ">=" if panel.thresholds.direction == "above" else "<="
    unit = panel.unit
    return f"{name} {value:.4g}{unit} {sign} {level:g}{unit}"


def _failure_reason(state: QueryState, now: float) -> str:
    prefix = "throttled" if state.throttled else "error"
    reason = f"{prefix}: {state.last_error}"
    if state.last_success is not None:
        reason += f" (data {format_duration(now - state.last_success)} old)"
    return reason

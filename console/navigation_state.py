"""Where the user is looking: the time window, the panel filter and the drill path.

One `NavigationState` lives on the app. Keys change it, screens read it, and a saved
view captures it by these field names. It holds plain data only, so that it can be
stored, compared and restored without the user interface.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from console.durations import format_duration
from console.profile_schema import Dashboard, Panel

RANGE_STEPS: tuple[float, ...] = (900.0, 3600.0, 10800.0, 43200.0, 86400.0, 604800.0)
"""The ranges `+` and `-` step through: 15m, 1h, 3h, 12h, 24h and 7d."""

PAN_FRACTION = 0.5
"""How much of the range one press of `[` or `]` moves the window."""

DrillStep = tuple[str, dict[str, str]]
"""One stop of the drill path: a dashboard id and the variables it was opened with."""


def zoom_in(current: float) -> float:
    """The next shorter range than `current`; the shortest stays the shortest."""
    shorter = [step for step in RANGE_STEPS if step < current]
    return shorter[-1] if shorter else RANGE_STEPS[0]


def zoom_out(current: float) -> float:
    """The next longer range than `current`; the longest stays the longest."""
    longer = [step for step in RANGE_STEPS if step > current]
    return longer[0] if longer else RANGE_STEPS[-1]


def pan(
    range_seconds: float, end: float | None, now: float, steps: int
) -> float | None:
    """The window's new right edge after moving `steps` half-ranges (negative: back).

    None means live. A window moved up to or past `now` is live again: there is no
    future to look at.
    """
    start_from = now if end is None else end
    moved = start_from + steps * range_seconds * PAN_FRACTION
    return None if moved >= now else moved


@dataclass
class NavigationState:
    """The time window, filter and drill path of the console, as a view saves them."""

    range: float | None = None
    """Seconds the charts show, set by zooming. None: each dashboard's own range."""
    range_end: float | None = None
    """The window's right edge in epoch seconds; None while live (ending now)."""
    filter: str = ""
    """Only panels whose title contains this text (any case) are shown; empty: all."""
    drill_path: list[DrillStep] = field(default_factory=list)
    """The dashboards followed to get here, oldest first, each with the variables it
    was opened with; the last is the one on screen. Empty before the first opens."""
    panel_ranges: dict[str, float] = field(default_factory=dict)
    """Ranges set on single panels from their drill-down, keyed `dashboard/panel`;
    they win over the zoomed range and the profile's own."""

    @property
    def live(self) -> bool:
        """True when the window ends now and moves with the clock."""
        return self.range_end is None

    def dashboard_range(self, dashboard: Dashboard) -> float:
        """The range a dashboard shows: the zoomed one, or its own."""
        return self.range if self.range is not None else dashboard.range

    def panel_range(self, dashboard: Dashboard, panel: Panel) -> float:
        """The range a panel shows. A panel set from its drill-down keeps that; a
        panel whose profile gives it a range keeps it through zooming; the others
        follow the dashboard."""
        override = self.panel_ranges.get(panel_key(dashboard.id, panel.id))
        if override is not None:
            return override
        if panel.range is not None:
            return panel.range
        return self.dashboard_range(dashboard)

    def window_end(self, now: float) -> float:
        """The window's right edge at `now`."""
        return now if self.range_end is None else self.range_end

    def enter(self, dashboard_id: str, variables: Mapping[str, str]) -> None:
        """Start a new drill path at a dashboard chosen directly (a number key, the
        list, the palette); the filter is for the dashboard it was typed on."""
        self.drill_path = [(dashboard_id, dict(variables))]
        self.filter = ""

    def follow(self, dashboard_id: str, variables: Mapping[str, str]) -> None:
        """Add a dashboard reached through a drill link to the path."""
        self.drill_path.append((dashboard_id, dict(variables)))
        self.filter = ""

    def vary(self, dashboard_id: str, variables: Mapping[str, str]) -> None:
        """Note new variable values on the dashboard on screen (the selector)."""
        step = (dashboard_id, dict(variables))
        if self.drill_path:
            self.drill_path[-1] = step
        else:
            self.drill_path.append(step)

    def back(self) -> DrillStep | None:
        """Leave the dashboard on screen; the step to return to, or None when the
        path has nowhere further back to go (the path is then unchanged)."""
        if len(self.drill_path) < 2:
            return None
        self.drill_path.pop()
        self.filter = ""
        return self.drill_path[-1]


def panel_key(dashboard_id: str, panel_id: str) -> str:
    """The key of a panel in `NavigationState.panel_ranges`."""
    return f"{dashboard_id}/{panel_id}"


def matches_filter(title: str, text: str) -> bool:
    """True when a panel titled `title` passes the filter `text`."""
    return text.strip().casefold() in title.casefold()


def describe_end(end: float, now: float) -> str:
    """A past window's right edge for the header: `14:20 (-1h)`, with the date when
    it is more than a day back."""
    moment = time.localtime(end)
    clock = time.strftime("%b %d %H:%M" if now - end > 86400 else "%H:%M", moment)
    return f"{clock} (-{format_duration(max(0.0, now - end))})"

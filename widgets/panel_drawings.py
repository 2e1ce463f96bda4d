"""From a panel's data to its picture: picks the drawing for the panel's type and
feeds it the series, values and levels it needs."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence

from textual.strip import Strip

from console.alert_model import Alert, AlertState
from console.durations import format_duration
from console.evaluation import (
    PanelState,
    PanelStatus,
    classify,
    reduce,
)
from console.forecast import forecast_breach
from console.health import HealthHistory, HealthScore
from console.profile_schema import Panel, PanelType
from console.results import Point
from console.store import QueryState
from widgets.drawing.bar_chart import draw_bar_chart
from widgets.drawing.big_number import draw_single_value
from widgets.drawing.cell_grid import PLAIN
from widgets.drawing.gauge import draw_gauge
from widgets.drawing.health_board import Contributor, draw_health_score
from widgets.drawing.heatmap import HeatRow, draw_heatmap
from widgets.drawing.line_chart import ChartSeries, draw_line_chart
from widgets.drawing.number_format import format_value
from widgets.drawing.palette import Palette, State, Thresholds
from widgets.drawing.pie_chart import draw_pie_chart
from widgets.drawing.state_tiles import Tile, draw_alert_tile, draw_status_board

MIN_HEIGHTS: dict[PanelType, int] = {
    "line_chart": 8,
    "heatmap": 7,
    "table": 6,
    "bar_chart": 5,
    "pie_chart": 5,
    "status_board": 5,
    "health_score": 5,
    "text": 4,
}
"""Lines (border included) below which a reflowed panel would not be legible."""


def min_height(panel_type: PanelType) -> int:
    """The fewest lines a panel of this type is drawn in when panels reflow."""
    return MIN_HEIGHTS.get(panel_type, 5)


class PanelData:
    """What a panel last received: its queries' states, its status, and the time."""

    def __init__(self, spec: Panel, range_seconds: float) -> None:
        self.spec = spec
        self.range_seconds = range_seconds
        self.states: list[QueryState] = []
        self.status = PanelStatus(PanelState.NO_DATA, "waiting for data")
        self.now = time.time()
        self.since: float | None = None
        self.alert: Alert | None = None
        """The panel's own alert, while it has one."""
        self.markers: list[float] = []
        """Times of the annotations to mark on charts."""
        self.health: HealthScore | None = None
        """A health score panel's score and what made it."""
        self.health_history: HealthHistory | None = None
        """A health score panel's recent scores, for its trend."""
        self.earlier: list[QueryState] = []
        """A line chart's queries over its `compare` window, that long ago."""

    def update(
        self,
        states: Sequence[QueryState | None],
        status: PanelStatus,
        now: float,
        since: float | None,
    ) -> None:
        """Take the newest states and judgement."""
        self.states = [state for state in states if state is not None]
        self.status = status
        self.now = now
        self.since = since

    @property
    def start(self) -> float:
        """The left edge of the panel's window."""
        return self.now - self.range_seconds

    def format(self, value: float | None) -> str:
        """A value with the panel's unit and decimals."""
        return format_value(value, self.spec.unit, self.spec.decimals)

    def named_series(self) -> list[tuple[str, Sequence[Point]]]:
        """Every series of every query, named for legends."""
        found: list[tuple[str, Sequence[Point]]] = []
        for query, state in zip(self.spec.all_queries(), self.states, strict=False):
            many = len(state.series) > 1
            for name, points in state.series.items():
                label = name
                if query.label:
                    label = f"{query.label} {name}" if many else query.label
                found.append((label, points))
        return found

    def earlier_series(self) -> list[tuple[str, list[Point]]]:
        """The `compare` window's series, moved forward onto the live window and
        named with how long ago they were, for example `p99 1d ago`."""
        shift = self.spec.compare
        if not shift:
            return []
        ago = f"{format_duration(shift)} ago"
        found: list[tuple[str, list[Point]]] = []
        for query, state in zip(self.spec.all_queries(), self.earlier, strict=False):
            many = len(state.series) > 1
            for name, points in state.series.items():
                label = name
                if query.label:
                    label = f"{query.label} {name}" if many else query.label
                moved = [(t + shift, v) for t, v in points]
                found.append((f"{label} {ago}", moved))
        return found

    def values(self) -> list[tuple[str, float]]:
        """Each series reduced to one number over the window, named as in legends."""
        reduced = (
            (name, reduce(points, self.spec.stat, self.start))
            for name, points in self.named_series()
        )
        return [(name, value) for name, value in reduced if value is not None]

    def forecast_text(self) -> str:
        """`critical in ~23m` or `no forecast` for a panel with `forecast:` set;
        empty otherwise, or when the trend reaches no level in time."""
        spec = self.spec
        if spec.forecast is None or spec.thresholds is None:
            return ""
        series = self.named_series()
        if not series:
            return ""
        above = spec.thresholds.direction == "above"

        def last(item: tuple[str, Sequence[Point]]) -> float:
            points = item[1]
            if not points:
                return -math.inf if above else math.inf
            return points[-1][1]

        _, points = (max if above else min)(series, key=last)
        forecast = forecast_breach(
            points, spec.thresholds, now=self.now, lookahead=spec.forecast
        )
        return forecast.text

    def thresholds(self) -> Thresholds | None:
        """The panel's levels in the drawing layer's terms."""
        levels = self.spec.thresholds
        if levels is None:
            return None
        return Thresholds(levels.warning, levels.critical, levels.direction)


Drawing = Callable[[PanelData, int, int, Palette], list[Strip]]


def draw_panel(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    """The panel's picture, `height` strips of `width` cells."""
    drawing = DRAWINGS.get(data.spec.type)
    if drawing is None:
        return [Strip.blank(width, PLAIN) for _ in range(height)]
    return drawing(data, width, height, palette)


def _line_chart(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    series = [ChartSeries(name, points) for name, points in data.named_series()]
    series += [
        ChartSeries(name, points, earlier=True)
        for name, points in data.earlier_series()
    ]
    return draw_line_chart(
        series,
        start=data.start,
        end=data.now,
        width=width,
        height=height,
        palette=palette,
        y_min=data.spec.min,
        y_max=data.spec.max,
        thresholds=data.thresholds(),
        unit=data.spec.unit,
        decimals=data.spec.decimals,
        markers=data.markers,
    )


def _bar_chart(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    return draw_bar_chart(
        data.values(),
        width=width,
        height=height,
        palette=palette,
        unit=data.spec.unit,
        decimals=data.spec.decimals,
        thresholds=data.thresholds(),
        max_value=data.spec.max,
    )


def _pie_chart(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    return draw_pie_chart(
        data.values(),
        width=width,
        height=height,
        palette=palette,
        unit=data.spec.unit,
        decimals=data.spec.decimals,
    )


def _gauge(data: PanelData, width: int, height: int, palette: Palette) -> list[Strip]:
    value = data.status.value
    if value is None:
        values = data.values()
        value = values[0][1] if values else None
    return draw_gauge(
        value,
        minimum=data.spec.min if data.spec.min is not None else 0.0,
        maximum=data.spec.max if data.spec.max is not None else 100.0,
        width=width,
        height=height,
        palette=palette,
        unit=data.spec.unit,
        decimals=data.spec.decimals,
        thresholds=data.thresholds(),
        state=_drawing_state(data.status.state),
    )


def _single_value(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    series = data.named_series()
    points: Sequence[Point] = series[0][1] if series else ()
    stat = data.spec.stat
    current = reduce(points, stat, data.start)
    earlier = [p for p in points if p[0] < data.start]
    previous = reduce(earlier, stat, data.start - data.range_seconds)
    change = None
    if current is not None and previous not in (None, 0.0):
        assert previous is not None
        change = (current - previous) / abs(previous)
    window = [p for p in points if p[0] >= data.start]
    state: State = "no_data"
    if current is not None:
        state = _drawing_state(classify(current, data.spec.thresholds))
    return draw_single_value(
        current,
        data.spec.unit,
        data.spec.decimals,
        change=change,
        change_label=f"prev {format_duration(data.range_seconds)}",
        trend=window,
        trend_start=data.start,
        trend_end=data.now,
        state_style=palette.state(state),
        width=width,
        height=height,
        palette=palette,
    )


_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)")


def _bucket_order(name: str) -> tuple[int, float, str]:
    match = _LEADING_NUMBER.match(name)
    if match is None:
        return (1, 0.0, name)
    return (0, float(match.group(1)), name)


def _heatmap(data: PanelData, width: int, height: int, palette: Palette) -> list[Strip]:
    # Buckets are named like "50-100ms"; ordering by their leading number keeps
    # the rows in ascending latency rather than in alphabetical order.
    rows = sorted(data.named_series(), key=lambda item: _bucket_order(item[0]))
    return draw_heatmap(
        [HeatRow(name, points) for name, points in rows],
        start=data.start,
        end=data.now,
        width=width,
        height=height,
        palette=palette,
        unit=data.spec.unit,
        decimals=data.spec.decimals,
    )


def _alert_status(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    status = data.status
    state = status.state
    headline = status.reason
    if not headline:
        headline = "waiting" if status.value is None else data.format(status.value)
    details: list[str] = []
    alert = data.alert
    if alert is not None and alert.acknowledgement is not None:
        ack = alert.acknowledgement
        until = time.strftime("%H:%M", time.localtime(ack.until))
        details.append(f"ack {ack.user} until {until}: {ack.note}")
    if data.since is not None and state.is_breach:
        clock = time.strftime("%H:%M", time.localtime(data.since))
        details.append(f"since {clock} ({format_duration(data.now - data.since)})")
    levels = data.spec.thresholds
    if levels is not None:
        details.append(
            f"warn {_level(levels.warning, data.spec.unit)} · "
            f"crit {_level(levels.critical, data.spec.unit)}"
        )
    if data.spec.runbook:
        details.append(f"runbook: {data.spec.runbook}")
    words = None
    if alert is not None and alert.state is not AlertState.FIRING:
        words = _TILE_WORDS[alert.state]
    return draw_alert_tile(
        _drawing_state(state),
        headline,
        details,
        width=width,
        height=height,
        palette=palette,
        words=words,
        inverted=alert is not None and alert.inverted,
    )


_TILE_WORDS = {
    AlertState.PENDING: "PENDING",
    AlertState.ACKNOWLEDGED: "ACKNOWLEDGED",
    AlertState.SILENCED: "SILENCED",
    AlertState.RESOLVED: "RESOLVED",
}
"""The banner's first word on an alert tile whose alert is not plainly firing."""


def _status_board(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    levels = data.spec.thresholds
    tiles = [
        Tile(name, _drawing_state(classify(value, levels)), data.format(value))
        for name, value in data.values()
    ]
    return draw_status_board(tiles, width=width, height=height, palette=palette)


def _health_score(
    data: PanelData, width: int, height: int, palette: Palette
) -> list[Strip]:
    health = data.health
    spec = data.spec.health
    if health is None or spec is None:
        return draw_health_score(
            None,
            state_style=palette.no_data,
            change=None,
            change_label="",
            trend=(),
            trend_start=data.now,
            trend_end=data.now,
            contributors=(),
            width=width,
            height=height,
            palette=palette,
        )
    contributors = [
        Contributor(c.title, _drawing_state(c.state), c.lost)
        for c in health.worst(spec.worst)
    ]
    contributors += [
        Contributor(c.title, _drawing_state(c.state), None) for c in health.unknown
    ]
    history = data.health_history
    trend = history.points() if history is not None else []
    # The change is measured against the oldest score kept, which is younger
    # than the trend window until the console has run that long.
    span = data.now - trend[0][0] if trend else 0.0
    state: State = "no_data"
    if health.score is not None:
        state = _drawing_state(classify(health.score, data.spec.thresholds))
    return draw_health_score(
        health.score,
        state_style=palette.state(state),
        change=history.change() if history is not None else None,
        change_label=f"{format_duration(span)} ago",
        trend=trend,
        trend_start=data.now - spec.trend,
        trend_end=data.now,
        contributors=contributors,
        width=width,
        height=height,
        palette=palette,
    )


def _level(level: float | None, unit: str) -> str:
    return "–" if level is None else f"{level:g}{unit}"


def _drawing_state(state: PanelState) -> State:
    return _STATES[state]


_STATES: dict[PanelState, State] = {
    PanelState.OK: "ok",
    PanelState.WARNING: "warning",
    PanelState.CRITICAL: "critical",
    PanelState.NO_DATA: "no_data",
    PanelState.STALE: "stale",
    PanelState.ERROR: "error",
}


DRAWINGS: dict[PanelType, Drawing] = {
    "line_chart": _line_chart,
    "bar_chart": _bar_chart,
    "pie_chart": _pie_chart,
    "gauge": _gauge,
    "single_value": _single_value,
    "heatmap": _heatmap,
    "alert_status": _alert_status,
    "status_board": _status_board,
    "health_score": _health_score,
}
"""The drawing of each panel type; tables and text panels use Textual widgets."""

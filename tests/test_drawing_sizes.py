"""Every drawing fills exactly the size asked for, at every size, in every palette."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from textual.app import App
from textual.strip import Strip

from widgets.drawing.bar_chart import draw_bar_chart
from widgets.drawing.big_number import draw_big_number, draw_single_value
from widgets.drawing.gauge import draw_gauge
from widgets.drawing.heatmap import HeatRow, draw_heatmap
from widgets.drawing.line_chart import ChartSeries, draw_line_chart
from widgets.drawing.palette import Palette, Thresholds
from widgets.drawing.pie_chart import draw_pie_chart
from widgets.drawing.sparkline import draw_sparkline
from widgets.drawing.state_tiles import Tile, draw_alert_tile, draw_status_board

END = 1_800_000_000.0
START = END - 3600
WAVE = [(START + i * 30, 50 + 40 * math.sin(i / 9)) for i in range(121)]
STEPS = [(START + i * 60, float(i)) for i in range(61)]
SIZES = [
    (1, 1),
    (1, 5),
    (5, 1),
    (5, 2),
    (11, 3),
    (12, 3),
    (13, 4),
    (20, 5),
    (40, 6),
    (80, 24),
    (123, 17),
    (240, 60),
]
THRESHOLDS = Thresholds(70.0, 90.0)

Drawer = Callable[[int, int, Palette], list[Strip]]


def _themed() -> Palette:
    app: App[None] = App()
    return Palette.from_theme_variables(app.get_css_variables())


PALETTES = {"themed": _themed(), "monochrome": Palette.monochrome()}

DRAWERS: dict[str, Drawer] = {
    "line_chart": lambda w, h, p: draw_line_chart(
        [ChartSeries("wave", WAVE), ChartSeries("steps", STEPS)],
        start=START,
        end=END,
        width=w,
        height=h,
        palette=p,
        thresholds=THRESHOLDS,
        unit="%",
    ),
    "line_chart_empty": lambda w, h, p: draw_line_chart(
        [], start=START, end=END, width=w, height=h, palette=p
    ),
    "sparkline": lambda w, h, p: [
        draw_sparkline(WAVE, start=START, end=END, width=w, style=p.ok)
        for _ in range(h)
    ],
    "bar_chart": lambda w, h, p: draw_bar_chart(
        [("api", 120.0), ("orders", 1800.5), ("payments", -3.0), ("search", 77.0)],
        width=w,
        height=h,
        palette=p,
        unit="req/s",
    ),
    "bar_chart_thresholds": lambda w, h, p: draw_bar_chart(
        [(f"host-{i}", i * 10.0) for i in range(30)],
        width=w,
        height=h,
        palette=p,
        thresholds=THRESHOLDS,
    ),
    "pie_chart": lambda w, h, p: draw_pie_chart(
        [("web", 60.0), ("db", 30.0), ("a", 0.5), ("b", 0.7), ("cache", 8.0)],
        width=w,
        height=h,
        palette=p,
        unit="B",
    ),
    "gauge": lambda w, h, p: draw_gauge(
        72.5,
        minimum=0,
        maximum=100,
        width=w,
        height=h,
        palette=p,
        unit="%",
        thresholds=THRESHOLDS,
    ),
    "gauge_no_value": lambda w, h, p: draw_gauge(
        None, minimum=0, maximum=1, width=w, height=h, palette=p
    ),
    "big_number": lambda w, h, p: draw_big_number(
        1234.5, "ms", None, width=w, height=h, style=p.warning
    ),
    "single_value": lambda w, h, p: draw_single_value(
        0.873,
        "%",
        1,
        change=-0.125,
        change_label="prev 1h",
        trend=WAVE,
        trend_start=START,
        trend_end=END,
        state_style=p.ok,
        width=w,
        height=h,
        palette=p,
    ),
    "heatmap": lambda w, h, p: draw_heatmap(
        [HeatRow(f"p{q}", [(t, v * q / 50) for t, v in WAVE]) for q in (50, 90, 99)],
        start=START,
        end=END,
        width=w,
        height=h,
        palette=p,
        unit="ms",
    ),
    "status_board": lambda w, h, p: draw_status_board(
        [
            Tile("api", "ok", "12 ms"),
            Tile("database", "critical", "CPU 97%"),
            Tile("cache", "warning", "hit 71%"),
            Tile("queue", "stale", "5m old"),
            Tile("storage", "no_data"),
            Tile("lambda", "error", "timeout"),
        ],
        width=w,
        height=h,
        palette=p,
    ),
    "alert_tile": lambda w, h, p: draw_alert_tile(
        "critical",
        "High 5xx rate on web",
        ["52 errors/min > 50", "since 03:12 (8m)"],
        width=w,
        height=h,
        palette=p,
    ),
}


@pytest.mark.parametrize("palette_name", sorted(PALETTES))
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("drawer_name", sorted(DRAWERS))
def test_exact_size(drawer_name: str, size: tuple[int, int], palette_name: str) -> None:
    width, height = size
    strips = DRAWERS[drawer_name](width, height, PALETTES[palette_name])
    assert len(strips) == height
    for strip in strips:
        assert strip.cell_length == width
        assert sum(segment.cell_length for segment in strip) == width


@pytest.mark.parametrize("drawer_name", sorted(DRAWERS))
def test_same_input_draws_identical_strips(drawer_name: str) -> None:
    palette = PALETTES["themed"]
    first = DRAWERS[drawer_name](80, 20, palette)
    second = DRAWERS[drawer_name](80, 20, palette)
    assert first == second


@pytest.mark.parametrize("drawer_name", sorted(DRAWERS))
def test_monochrome_output_has_no_colour(drawer_name: str) -> None:
    for strip in DRAWERS[drawer_name](80, 20, PALETTES["monochrome"]):
        for segment in strip:
            style = segment.style
            if style is not None:
                assert style.color is None
                assert style.bgcolor is None

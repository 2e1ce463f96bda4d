"""Bar charts, pie charts as proportional bars, and sparklines."""

from __future__ import annotations

from textual.app import App
from textual.strip import Strip

from widgets.drawing.bar_chart import bar_text, draw_bar_chart
from widgets.drawing.palette import Palette, Thresholds
from widgets.drawing.pie_chart import draw_pie_chart
from widgets.drawing.sparkline import LEVELS, draw_sparkline

PALETTE = Palette.from_theme_variables(App[None]().get_css_variables())


def _text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def test_bar_text_has_eighth_precision() -> None:
    assert bar_text(0) == ""
    assert bar_text(1) == "▏"
    assert bar_text(8) == "█"
    assert bar_text(13) == "█▋"
    assert bar_text(-4) == ""


def test_bars_have_label_bar_and_value() -> None:
    strips = draw_bar_chart(
        [("api", 50.0), ("orders", 100.0)], width=30, height=2, palette=PALETTE
    )
    api, orders = (_text(strip) for strip in strips)
    assert api.startswith("api ") and api.endswith(" 50")
    assert orders.startswith("orders ") and orders.endswith(" 100")
    assert orders.count("█") == 19
    assert api.count("█") == 9 and "▌" in api


def test_more_bars_than_lines_keeps_the_largest() -> None:
    bars = [(f"host-{i}", float(i)) for i in range(10)]
    texts = [
        _text(s) for s in draw_bar_chart(bars, width=30, height=4, palette=PALETTE)
    ]
    assert [text.split()[0] for text in texts[:3]] == ["host-7", "host-8", "host-9"]
    assert texts[3].startswith("+7 more")


def test_bars_take_their_threshold_state() -> None:
    strips = draw_bar_chart(
        [("low", 10.0), ("high", 95.0)],
        width=30,
        height=2,
        palette=PALETTE,
        thresholds=Thresholds(70.0, 90.0),
    )
    assert any(seg.style == PALETTE.ok for seg in strips[0] if "█" in seg.text)
    assert any(seg.style == PALETTE.critical for seg in strips[1] if "█" in seg.text)


def test_pie_bar_is_proportional_and_small_slices_merge() -> None:
    slices = [("web", 60.0), ("db", 30.0), ("a", 0.5), ("b", 0.7), ("cache", 8.8)]
    strips = draw_pie_chart(slices, width=50, height=7, palette=PALETTE, unit="B")
    bar = strips[0]
    assert bar == strips[1]
    web = next(seg for seg in bar if seg.style == PALETTE.series_style(0))
    assert web.cell_length == 30
    legend = [_text(strip) for strip in strips[2:]]
    assert legend[0].startswith("█ web")
    assert "60.0%" in legend[0] and "60 B" in legend[0]
    assert legend[3].startswith("░ other") and "1.2%" in legend[3]
    assert not any(" a " in line for line in legend)


def test_pie_legend_counts_what_does_not_fit() -> None:
    slices = [(f"s{i}", 10.0) for i in range(6)]
    texts = [
        _text(s) for s in draw_pie_chart(slices, width=30, height=4, palette=PALETTE)
    ]
    assert texts[-1].startswith("+4 more")


def test_pie_without_positive_values_says_no_data() -> None:
    strips = draw_pie_chart([("a", 0.0)], width=20, height=3, palette=PALETTE)
    assert "no data" in _text(strips[1])


def test_sparkline_levels_and_gaps() -> None:
    points = [(float(t), 0.0 if t < 40 else 80.0) for t in range(120)]
    points = [(t, v) for t, v in points if not 60 <= t < 90]
    text = _text(draw_sparkline(points, start=0, end=120, width=12, style=PALETTE.ok))
    assert text.startswith(LEVELS[0] * 3)
    assert text[5:8] == "   "
    assert text[8:11] == LEVELS[-1] * 3


def test_sparkline_is_aligned_to_absolute_time() -> None:
    points = [(float(t), float(t % 17)) for t in range(0, 1000)]
    first = draw_sparkline(points, start=200, end=1000, width=40, style=PALETTE.ok)
    moved = draw_sparkline(points, start=205, end=1005, width=40, style=PALETTE.ok)
    assert first == moved

"""Gauges, big numbers and single-value panels."""

from __future__ import annotations

from textual.app import App
from textual.strip import Strip

from widgets.drawing.big_number import (
    FONT,
    big_text,
    change_text,
    draw_big_number,
    draw_single_value,
)
from widgets.drawing.gauge import MARKER, draw_gauge
from widgets.drawing.palette import Palette, Thresholds

PALETTE = Palette.from_theme_variables(App[None]().get_css_variables())
THRESHOLDS = Thresholds(70.0, 90.0)


def _text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def test_gauge_parts() -> None:
    strips = draw_gauge(
        72.5,
        minimum=0,
        maximum=100,
        width=40,
        height=4,
        palette=PALETTE,
        unit="%",
        thresholds=THRESHOLDS,
    )
    value, markers, bar, bounds = (_text(strip) for strip in strips)
    assert value.strip() == "72.5%"
    assert any(seg.style is not None and seg.style.bold for seg in strips[0])
    assert markers.index(MARKER) == 28 and markers.rindex(MARKER) == 36
    assert bar.startswith("█" * 29)
    assert "╌" in bar and bar.endswith("━")
    assert bounds.startswith("0") and bounds.endswith("100%")
    filled = next(seg for seg in strips[2] if "█" in seg.text)
    assert filled.style == PALETTE.warning


def test_gauge_on_one_line_keeps_value_and_bar() -> None:
    (line,) = draw_gauge(
        0.5, minimum=0, maximum=1, width=20, height=1, palette=PALETTE, decimals=1
    )
    assert _text(line).startswith("0.5 █")


def test_gauge_without_value_shows_no_data() -> None:
    strips = draw_gauge(None, minimum=0, maximum=1, width=20, height=2, palette=PALETTE)
    assert _text(strips[0]).strip() == "—"
    assert "█" not in _text(strips[1])


def test_big_text_lines_are_even() -> None:
    for char, glyph in FONT.items():
        assert len({len(row) for row in glyph}) == 1, char
    rows = big_text("12.5%")
    assert rows is not None and len({len(row) for row in rows}) == 1
    assert big_text("1e-07") is None


def test_big_number_falls_back_to_plain_text() -> None:
    big = draw_big_number(1234.5, "ms", None, width=30, height=3, style=PALETTE.ok)
    assert "┃" in _text(big[1]) and _text(big[2]).rstrip().endswith(" s")
    narrow = draw_big_number(1234.5, "ms", None, width=6, height=3, style=PALETTE.ok)
    assert _text(narrow[1]) == "1.23 s"


def test_change_text() -> None:
    assert change_text(0.125, "prev 1h") == ("▲", "12.5% vs prev 1h")
    assert change_text(-0.5, "prev 1h") == ("▼", "50.0% vs prev 1h")
    assert change_text(0.0001, "") == ("▶", "0.0%")


def test_single_value_composes_number_change_and_sparkline() -> None:
    trend = [(float(t), float(t % 9)) for t in range(100)]
    strips = draw_single_value(
        87.3,
        "%",
        1,
        change=0.125,
        change_label="prev 1h",
        trend=trend,
        trend_start=0,
        trend_end=100,
        state_style=PALETTE.warning,
        width=40,
        height=7,
        palette=PALETTE,
    )
    texts = [_text(strip) for strip in strips]
    assert "┏━┓" in texts[1]
    assert texts[4].strip() == "▲ 12.5% vs prev 1h"
    assert set(texts[6].strip()) <= set("▁▂▃▄▅▆▇█")
    assert texts[6].strip()


def test_single_value_when_short_keeps_the_value() -> None:
    (line,) = draw_single_value(
        87.3,
        "%",
        1,
        change=0.1,
        change_label="prev 1h",
        trend=[],
        trend_start=0,
        trend_end=1,
        state_style=PALETTE.ok,
        width=20,
        height=1,
        palette=PALETTE,
    )
    assert _text(line).strip() == "87.3%"

"""The braille line chart: scale, time buckets, gaps, thresholds, legend, stability."""

from __future__ import annotations

import re

from rich.style import Style
from textual.app import App
from textual.strip import Strip

from widgets.drawing.line_chart import ChartSeries, draw_line_chart
from widgets.drawing.palette import Palette, Thresholds
from widgets.drawing.time_buckets import time_buckets

PALETTE = Palette.from_theme_variables(App[None]().get_css_variables())
HOUR = 3600.0
END = 1_800_000_000.0 + 1.0
"""Just after a whole hour, which is a bucket boundary at any chart width."""
START = END - HOUR


def _text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def _cells(strip: Strip) -> list[tuple[str, Style | None]]:
    return [(char, segment.style) for segment in strip for char in segment.text]


def _axis(strip: Strip) -> str:
    """The y-axis part of a chart line: label and axis character."""
    text = _text(strip)
    return text[: min(text.find(char) for char in "┤│" if char in text) + 1]


def _styles(strips: list[Strip]) -> set[Style | None]:
    return {segment.style for strip in strips for segment in strip}


def _chart(series: list[ChartSeries], **options: object) -> list[Strip]:
    arguments: dict[str, object] = {
        "start": START,
        "end": END,
        "width": 80,
        "height": 20,
        "palette": PALETTE,
    }
    arguments.update(options)
    return draw_line_chart(series, **arguments)  # type: ignore[arg-type]


def _every(seconds: float, value: float = 50.0) -> list[tuple[float, float]]:
    count = int(HOUR // seconds)
    return [(START + i * seconds, value + (i % 7)) for i in range(count + 1)]


def test_too_small_says_so() -> None:
    strips = draw_line_chart(
        [ChartSeries("a", _every(60))],
        start=START,
        end=END,
        width=11,
        height=5,
        palette=PALETTE,
    )
    assert [_text(strip).strip() for strip in strips] == ["", "", "too small", "", ""]


def test_no_data_says_so() -> None:
    strips = _chart([ChartSeries("a", []), ChartSeries("b", [(END + 10, 1.0)])])
    assert "no data" in _text(strips[10])
    assert all(_text(strip).strip() == "" for strip in strips if strip != strips[10])


def test_axes_and_legend() -> None:
    strips = _chart(
        [ChartSeries("cpu", _every(30)), ChartSeries("mem", _every(60, 20.0))],
        unit="%",
    )
    texts = [_text(strip) for strip in strips]
    assert texts[0].lstrip().startswith("60%┤")
    assert texts[17].lstrip().startswith("20%┤")
    assert re.search(r"\d\d:\d\d", texts[18])
    assert texts[19].startswith(f"━ cpu {50 + 120 % 7}% ")
    assert f"━ mem {20 + 60 % 7}%" in texts[19]


def test_series_take_distinct_styles() -> None:
    strips = _chart(
        [ChartSeries("a", _every(30, 10.0)), ChartSeries("b", _every(30, 90.0))]
    )
    used = _styles(strips)
    assert PALETTE.series_style(0) in used
    assert PALETTE.series_style(1) in used
    assert PALETTE.series_style(0) != PALETTE.series_style(1)


def test_newest_sample_changing_within_its_bucket_changes_few_lines() -> None:
    points = [(START + i * 30, 40.0 + (i % 10)) for i in range(121)]
    before = _chart([ChartSeries("a", points)], y_min=0, y_max=100)
    changed = [*points[:-1], (points[-1][0], points[-1][1] + 4)]
    after = _chart([ChartSeries("a", changed)], y_min=0, y_max=100)
    changed_rows = [
        y for y, (old, new) in enumerate(zip(before, after, strict=True)) if old != new
    ]
    legend = len(before) - 1
    assert legend in changed_rows
    plot_rows = [y for y in changed_rows if y != legend]
    assert 0 < len(plot_rows) <= 3
    for y in plot_rows:
        old, new = _cells(before[y]), _cells(after[y])
        differing = [x for x in range(80) if old[x] != new[x]]
        # Only the newest column, where the last segment ends, was redrawn.
        assert min(differing) >= 78


def test_buckets_are_aligned_to_absolute_time() -> None:
    series = [ChartSeries("a", _every(30))]
    reference = _chart(series)
    for shift in (0.5, 5.0, 15.0):
        moved = draw_line_chart(
            series,
            start=START + shift,
            end=END + shift,
            width=80,
            height=20,
            palette=PALETTE,
        )
        assert moved == reference


def test_a_new_bucket_shifts_the_picture_but_keeps_the_scale() -> None:
    series = [ChartSeries("a", _every(30))]
    reference = _chart(series)
    later = _chart(series, start=START + 60, end=END + 60)
    assert [_axis(s) for s in later[:18]] == [_axis(s) for s in reference[:18]]
    assert later != reference


def _is_braille(char: str) -> bool:
    return "\u2801" <= char <= "\u28ff"


def _plot_of_busiest_row(strips: list[Strip]) -> str:
    """The plot part of the line holding the most braille cells."""
    rows = [_text(strip) for strip in strips]
    row = max(rows, key=lambda text: sum(map(_is_braille, text)))
    axis = max(row.find("│"), row.find("┤"))
    return row[axis + 1 :]


def test_gaps_break_the_line() -> None:
    points = [(t, 50.0) for t, _ in _every(30) if not START + 1200 < t < START + 2400]
    strips = _chart([ChartSeries("a", points)], y_min=0, y_max=100, show_legend=False)
    plot = _plot_of_busiest_row(strips)
    third = len(plot) // 3
    assert all(_is_braille(char) for char in plot[2 : third - 2])
    assert plot[third + 2 : 2 * third - 2].strip() == ""
    assert all(_is_braille(char) for char in plot[2 * third + 2 : -2])


def test_sparse_sampling_is_not_a_gap() -> None:
    points = [(START + i * 120, 50.0) for i in range(31)]
    strips = _chart([ChartSeries("a", points)], y_min=0, y_max=100, show_legend=False)
    plot = _plot_of_busiest_row(strips).strip()
    assert len(plot) > 70
    assert all(_is_braille(char) for char in plot)


def test_gap_is_not_drawn_to_zero() -> None:
    points = [(t, 50.0) for t, _ in _every(30) if not START + 1200 < t < START + 2400]
    strips = _chart([ChartSeries("a", points)], y_min=0, y_max=100, show_legend=False)
    braille_rows = [
        y for y, strip in enumerate(strips) if any(map(_is_braille, _text(strip)))
    ]
    assert len(braille_rows) == 1


def test_thresholds_are_drawn_and_in_view() -> None:
    strips = _chart(
        [ChartSeries("a", _every(30, 10.0))],
        thresholds=Thresholds(70.0, 90.0),
    )
    used = _styles(strips)
    assert PALETTE.threshold_warning in used
    assert PALETTE.threshold_critical in used
    assert _text(strips[0]).lstrip().startswith("100┤")


def test_legend_value_takes_its_state_colour() -> None:
    strips = _chart(
        [ChartSeries("a", [(START + 10, 10.0), (END - 10, 95.0)])],
        thresholds=Thresholds(70.0, 90.0),
    )
    legend = strips[-1]
    value = [segment for segment in legend if segment.text.startswith("95")]
    assert value and value[0].style == PALETTE.critical


def test_legend_counts_series_without_room() -> None:
    series = [ChartSeries(f"series-{i}", _every(300, i * 5.0)) for i in range(8)]
    legend = _text(_chart(series, width=40)[-1])
    assert legend.startswith("━ series-0")
    assert re.search(r"\+\d+\s*$", legend)


def test_fixed_bounds_clamp_values_to_the_plot() -> None:
    strips = _chart([ChartSeries("a", _every(30, 500.0))], y_min=0, y_max=100)
    assert _text(strips[0]).lstrip().startswith("100┤")
    top_plot = _text(strips[0])[5:]
    assert top_plot.strip()


def test_the_picture_scrolls_a_whole_cell_at_a_time() -> None:
    series = [ChartSeries("a", _every(30))]
    reference = _chart(series)
    cell = HOUR / 77  # two buckets: the plot is 77 cells wide at 80 columns
    same_cell = _chart(series, start=START + cell * 0.9, end=END + cell * 0.9)
    next_cell = _chart(series, start=START + cell, end=END + cell)
    assert same_cell == reference
    assert next_cell != reference


def test_time_buckets_align_to_the_epoch() -> None:
    buckets = time_buckets(1000.0, 2000.0, 10)
    assert buckets.duration == 100.0
    assert buckets.start_of(buckets.count - 1) == 2000.0
    assert buckets.index_of(2050.0) == 9
    assert buckets.index_of(1099.0) is None
    cells = time_buckets(1000.0, 2000.0, 10, per_cell=2)
    assert cells.start_of(cells.count - 2) == 2000.0
    assert time_buckets(1010.0, 2010.0, 10) == buckets

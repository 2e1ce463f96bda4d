"""A line chart's `compare` window: the same queries a day (or a week) earlier,
fetched under their own key and drawn dimmed behind the live lines."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App

from console.clock import ManualClock
from console.poller import Demand
from console.problems import ProfileError
from console.profile_loader import load_profile_text
from console.session import Session
from tests.test_poller import CountingSource, make_poller
from widgets.drawing.line_chart import ChartSeries, draw_line_chart
from widgets.drawing.palette import Palette

T0 = 1_800_000_000.0
DAY = 86400.0

PROFILE = """
profile: compare
title: Compare
sources:
  synth: {type: testdata}
dashboards:
  - id: main
    title: Main
    range: 1h
    panels:
      - id: latency
        title: Latency
        type: line_chart
        at: {x: 0, y: 0, w: 12, h: 8}
        query: {source: synth, metric: latency, shape: latency}
        compare: 1d
      - id: now
        title: Now
        type: single_value
        at: {x: 0, y: 8, w: 4, h: 4}
        query: {source: synth, metric: latency, shape: latency}
"""


def test_a_compare_panel_asks_for_a_copy_one_day_earlier() -> None:
    loaded = load_profile_text(PROFILE, "compare.yaml")
    session = Session(loaded.profile, ManualClock(T0))
    dashboard = loaded.profile.dashboards[0]
    demands = session.demands(dashboard)
    shifts = sorted(d.shift for d in demands)
    assert shifts == [0.0, 0.0, DAY], "the line chart gets an earlier copy"
    (earlier,) = [d for d in demands if d.shift]
    (key,) = session.compare_keys(dashboard.panels[0])
    assert earlier.key == key and key.endswith("@-86400s")
    assert session.compare_keys(dashboard.panels[1]) == []
    asyncio.run(session.close())


async def test_the_earlier_copy_is_fetched_for_the_window_a_day_before() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, store, _ = make_poller(clock, source)
    live = Demand("a", {"metric": "cpu"}, interval=10, range=600)
    earlier = Demand("a", {"metric": "cpu"}, interval=10, range=600, shift=DAY)
    poller.set_demands([live, earlier])
    tasks = poller.poll_due(clock.now())
    await asyncio.gather(*tasks)
    windows = sorted((r.start, r.end) for call in source.calls for r in call)
    assert windows == [(T0 - DAY - 600, T0 - DAY), (T0 - 600, T0)]
    held = store.get(earlier.key)
    assert held is not None and list(held.series["v"]) == [(T0 - DAY, 1.0)]
    assert earlier.key != live.key


def test_earlier_series_are_drawn_muted_with_a_dotted_legend_mark() -> None:
    palette = Palette.from_theme_variables(App[None]().get_css_variables())
    points = [(T0 - 600 + 60 * i, float(i)) for i in range(11)]
    strips = draw_line_chart(
        [
            ChartSeries("p99", points),
            ChartSeries("p99 1d ago", [(t, v / 2) for t, v in points], earlier=True),
        ],
        start=T0 - 600,
        end=T0,
        width=60,
        height=10,
        palette=palette,
    )
    legend = "".join(segment.text for segment in strips[-1])
    assert "━ p99" in legend and "┄ p99 1d ago" in legend
    muted = [
        segment
        for strip in strips[:-2]
        for segment in strip
        if segment.style == palette.muted
        and any(0x2801 <= ord(char) <= 0x28FF for char in segment.text)
    ]
    assert muted, "the earlier line is drawn in braille, in the muted style"


def test_compare_on_a_panel_that_is_not_a_line_chart_is_a_located_error() -> None:
    bad = PROFILE.rstrip() + "\n        compare: 7d\n"
    line = bad.splitlines().index("        compare: 7d") + 1
    with pytest.raises(ProfileError) as caught:
        load_profile_text(bad, "bad.yaml")
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"bad.yaml:{line}:9: compare draws an earlier window on line charts, "
        "not a single_value"
    )

"""Samples as columns, and bucketing by bisection, checked against the plain way."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from textual.app import App

from console.series_buffer import SeriesBuffer
from widgets.drawing.line_chart import ChartSeries, draw_line_chart
from widgets.drawing.palette import Palette
from widgets.drawing.sample_columns import Columns, Point, columns_of
from widgets.drawing.time_buckets import TimeBuckets, bucket_points, time_buckets

PALETTE = Palette.from_theme_variables(App[None]().get_css_variables())
END = 1_800_000_000.0
START = END - 3600.0


def _plain_buckets(
    points: list[Point], buckets: TimeBuckets
) -> tuple[list[float | None], list[float], list[float], float | None]:
    """Bucketing the obvious way, one sample at a time: the reference."""
    values: list[float | None] = [None] * buckets.count
    first = [0.0] * buckets.count
    last = [0.0] * buckets.count
    times: list[float] = []
    finite = [(t, v) for t, v in points if math.isfinite(t) and math.isfinite(v)]
    for time, value in sorted(finite, key=lambda point: point[0]):
        index = buckets.index_of(time)
        if index is None:
            continue
        times.append(time)
        current = values[index]
        if current is None:
            values[index] = value
            first[index] = time
        elif value > current:
            values[index] = value
        last[index] = time
    gaps = sorted(b - a for a, b in itertools.pairwise(times) if b > a)
    interval = gaps[len(gaps) // 2] if gaps else None
    return values, first, last, interval


def _random_points(rng: random.Random) -> list[Point]:
    step = rng.choice([1.0, 5.0, 7.0, 60.0, 61.0, 300.0])
    points = [
        (
            START - 500 + step * i + rng.choice([0.0, 0.0, rng.random() * 3]),
            rng.gauss(50, 20),
        )
        for i in range(int(4500 / step))
    ]
    if rng.random() < 0.3:
        points = [point for point in points if rng.random() < 0.7]
    if rng.random() < 0.3 and points:
        at = rng.randrange(len(points))
        points[at] = (points[at][0], rng.choice([math.nan, math.inf, -math.inf]))
    if rng.random() < 0.2 and points:
        points.append((math.nan, 1.0))
    if rng.random() < 0.3:
        rng.shuffle(points)
    return points


@pytest.mark.parametrize("seed", range(40))
def test_bucketing_matches_the_plain_way(seed: int) -> None:
    rng = random.Random(seed)
    points = _random_points(rng)
    buckets = time_buckets(START, END, rng.randint(1, 300), per_cell=rng.choice([1, 2]))
    got = bucket_points(points, buckets)
    values, first, last, interval = _plain_buckets(points, buckets)
    assert got.values == values
    filled = [i for i, value in enumerate(values) if value is not None]
    assert [got.first_time[i] for i in filled] == [first[i] for i in filled]
    assert [got.last_time[i] for i in filled] == [last[i] for i in filled]
    assert got.interval == interval


def test_columns_skip_non_finite_sort_and_cut() -> None:
    points = [(30.0, 3.0), (10.0, 1.0), (20.0, math.nan), (math.inf, 9.0), (40.0, 4.0)]
    columns = columns_of(points, 10.0, 30.0)
    assert list(columns.times) == [10.0, 30.0]
    assert list(columns.values) == [1.0, 3.0]
    assert columns.latest == 3.0
    assert columns_of([]).latest is None


def test_equal_times_keep_their_order() -> None:
    columns = columns_of([(5.0, 2.0), (1.0, 0.0), (5.0, 1.0)])
    assert list(columns.values) == [0.0, 2.0, 1.0]


def test_a_series_buffer_hands_over_its_columns() -> None:
    buffer = SeriesBuffer(3, [(1.0, 10.0), (2.0, 20.0), (3.0, 30.0), (4.0, 40.0)])
    times, values = buffer.columns()
    assert list(times) == [2.0, 3.0, 4.0]
    assert list(values) == [20.0, 30.0, 40.0]
    # Copies: the buffer may grow while a drawing holds them.
    buffer.extend([(5.0, 50.0)])
    assert list(times) == [2.0, 3.0, 4.0]
    assert isinstance(columns_of(buffer), Columns)


def test_a_chart_from_buffers_draws_as_from_lists() -> None:
    rng = random.Random(7)
    lists = [ChartSeries(f"s{i}", sorted(_random_points(rng))) for i in range(6)]
    buffers = [
        ChartSeries(item.name, SeriesBuffer(10_000, item.points)) for item in lists
    ]
    options: dict[str, object] = {
        "start": START,
        "end": END,
        "width": 90,
        "height": 16,
        "palette": PALETTE,
    }
    assert draw_line_chart(lists, **options) == draw_line_chart(  # type: ignore[arg-type]
        buffers,
        **options,  # type: ignore[arg-type]
    )

"""The synthetic source: repeatable values, aligned samples, the scripted incident."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import pytest
from pydantic import ValidationError

from console.clock import ManualClock
from console.results import FetchRequest, Point, SeriesResult, TableResult
from console.sources.incident_script import incident_intensity
from console.sources.testdata import (
    KIND,
    MAX_POINTS,
    TestdataOptions,
    TestdataSource,
)
from console.sources.testdata_params import TableName, TestdataParams
from console.sources.testdata_shapes import HISTOGRAM_BUCKETS
from console.sources.testdata_tables import COLUMNS

T0 = 1_700_000_040.0
"""When the sources under test are created (a multiple of 120)."""

ALL_SHAPES = (
    "wave",
    "noise",
    "spikes",
    "steps",
    "counter",
    "percent",
    "latency",
    "errors",
    "histogram",
)


def make_source(seed: int = 0, at: float = T0) -> tuple[TestdataSource, ManualClock]:
    clock = ManualClock(at)
    source = KIND.create("demo", TestdataOptions(seed=seed), clock)
    assert isinstance(source, TestdataSource)
    return source, clock


async def fetch_series(
    source: TestdataSource,
    params: Mapping[str, object],
    start: float,
    end: float,
    step: float = 1.0,
) -> dict[str, list[Point]]:
    batch = await source.fetch([FetchRequest("q", params, start, end, step)])
    assert not batch.failures, batch.failures
    result = batch.results["q"]
    assert isinstance(result, SeriesResult)
    assert result.replace is False
    return {name: list(points) for name, points in result.series.items()}


async def value_at(
    source: TestdataSource, clock: ManualClock, shape: str, when: float
) -> float:
    """The one sample of `shape` at `when`, asked for when the clock shows `when`."""
    clock.set(when)
    series = await fetch_series(source, {"shape": shape}, when, when)
    [(stamp, value)] = series["value"]
    assert stamp == when
    return value


async def test_same_seed_same_values() -> None:
    first, _ = make_source(seed=7)
    second, _ = make_source(seed=7)
    for shape in ALL_SHAPES:
        params = {"shape": shape, "metric": "m"}
        one = await fetch_series(first, params, T0 - 3600, T0, 60)
        two = await fetch_series(second, params, T0 - 3600, T0, 60)
        assert one == two, shape
        assert all(len(points) == 61 for points in one.values())


async def test_different_seed_different_values() -> None:
    first, _ = make_source(seed=1)
    second, _ = make_source(seed=2)
    one = await fetch_series(first, {"shape": "wave"}, T0 - 600, T0, 60)
    two = await fetch_series(second, {"shape": "wave"}, T0 - 600, T0, 60)
    assert one != two
    overridden = await fetch_series(
        second, {"shape": "wave", "seed": 1}, T0 - 600, T0, 60
    )
    assert overridden == one


async def test_backfill_and_later_poll_agree() -> None:
    source, clock = make_source()
    params = {"shape": "latency", "series": ["checkout", "search"]}
    backfill = await fetch_series(source, params, T0 - 3600, T0, 5)
    clock.advance(95)
    poll = await fetch_series(source, params, T0 - 30, clock.now(), 5)
    for name in ("checkout", "search"):
        earlier = dict(backfill[name])
        overlap = [(t, v) for t, v in poll[name] if t in earlier]
        assert len(overlap) == 7
        assert all(earlier[t] == v for t, v in overlap)


async def test_samples_are_aligned_to_the_step() -> None:
    source, _ = make_source()
    start, end = T0 - 1000.5, T0 - 7.25
    series = await fetch_series(source, {"shape": "noise"}, start, end, 60)
    stamps = [stamp for stamp, _ in series["value"]]
    assert stamps == sorted(stamps)
    assert all(stamp % 60 == 0 for stamp in stamps)
    assert stamps[0] == T0 - 960 and stamps[-1] == T0 - 60
    assert all(start <= stamp <= end for stamp in stamps)


async def test_point_cap_keeps_the_newest() -> None:
    source, _ = make_source()
    series = await fetch_series(source, {"shape": "wave"}, T0 - 86400, T0, 10)
    stamps = [stamp for stamp, _ in series["value"]]
    assert len(stamps) == MAX_POINTS
    assert stamps[-1] == T0
    assert stamps[0] == T0 - (MAX_POINTS - 1) * 10


async def test_window_stops_at_the_present() -> None:
    source, _ = make_source()
    series = await fetch_series(source, {"shape": "wave"}, T0 - 60, T0 + 600, 10)
    assert series["value"][-1][0] == T0
    empty = await fetch_series(source, {"shape": "wave"}, T0 + 60, T0 + 600, 10)
    assert empty == {"value": []}


async def test_series_are_named_after_metric_or_series() -> None:
    source, _ = make_source()
    assert set(await fetch_series(source, {}, T0, T0)) == {"value"}
    assert set(await fetch_series(source, {"metric": "cpu"}, T0, T0)) == {"cpu"}
    named = await fetch_series(source, {"series": ["a", "b", "c"]}, T0, T0)
    assert list(named) == ["a", "b", "c"]
    assert len({points[0][1] for points in named.values()}) == 3


async def test_latency_percentiles_sit_in_order() -> None:
    source, _ = make_source()
    params = {"shape": "latency", "series": ["p50", "p90", "p99", "p99.9"]}
    series = await fetch_series(source, params, T0 - 3600, T0, 60)
    for index in range(61):
        p50, p90, p99, p999 = (series[name][index][1] for name in params["series"])
        assert p50 < p90 < p99 < p999
        assert 120 < p99 < 240


@pytest.mark.parametrize("shape", ALL_SHAPES)
async def test_every_shape_gives_finite_values(shape: str) -> None:
    source, _ = make_source()
    series = await fetch_series(source, {"shape": shape}, T0 - 86400, T0, 60)
    values = [value for points in series.values() for _, value in points]
    assert values
    assert all(math.isfinite(value) and abs(value) < 1e7 for value in values)


async def test_percent_and_clamps_hold() -> None:
    source, _ = make_source()
    params = {"shape": "percent", "base": 95, "amplitude": 30, "noise": 0.3}
    values = [
        v for _, v in (await fetch_series(source, params, T0 - 86400, T0, 60))["value"]
    ]
    assert min(values) >= 0 and max(values) <= 100
    assert max(values) == 100
    clamped = {"shape": "wave", "min": 45, "max": 55}
    series = await fetch_series(source, clamped, T0 - 86400, T0, 60)
    assert all(45 <= v <= 55 for _, v in series["value"])


async def test_spikes_and_steps_have_their_shape() -> None:
    source, _ = make_source()
    spikes = await fetch_series(source, {"shape": "spikes"}, T0 - 86400, T0, 60)
    values = [v for _, v in spikes["value"]]
    assert max(values) > 30 and sorted(values)[len(values) // 2] < 20
    steps = await fetch_series(
        source, {"shape": "steps", "noise": 0}, T0 - 86400, T0, 60
    )
    assert len({v for _, v in steps["value"]}) <= 5


def test_incident_intensity_timeline() -> None:
    assert incident_intensity(-100, 20, 240) == 0
    assert incident_intensity(20, 20, 240) == 0
    assert incident_intensity(120, 20, 240) == 1
    assert incident_intensity(260, 20, 240) == 0
    ramp = [incident_intensity(s / 10, 20, 240) for s in range(200, 700)]
    assert ramp == sorted(ramp)
    recovery = [incident_intensity(s / 10, 20, 240) for s in range(2000, 2610)]
    assert recovery == sorted(recovery, reverse=True)
    steps = [abs(b - a) for a, b in itertools.pairwise(recovery)]
    assert max(steps) < 0.01
    short = [incident_intensity(s, 0, 20) for s in range(21)]
    assert max(short) == 1 and short[-1] == 0


@pytest.mark.parametrize("seed", range(8))
async def test_incident_crosses_demo_thresholds_in_the_first_minute(seed: int) -> None:
    source, clock = make_source(seed=seed)
    latency = {
        t: await value_at(source, clock, "latency", T0 + t) for t in (10, 35, 55)
    }
    errors = {t: await value_at(source, clock, "errors", T0 + t) for t in (10, 35, 55)}
    assert latency[10] < 250 and errors[10] < 0.6
    assert latency[35] >= 400 and errors[35] >= 2
    assert latency[55] >= 800 and errors[55] >= 5
    for t in (120, 180):
        assert await value_at(source, clock, "latency", T0 + t) >= 800
        assert await value_at(source, clock, "errors", T0 + t) >= 5
    after = T0 + 20 + 240 + 60
    assert await value_at(source, clock, "latency", after) < 400
    assert await value_at(source, clock, "errors", after) < 2


async def test_warning_not_before_25_seconds_nor_critical_before_40() -> None:
    for seed in range(8):
        source, clock = make_source(seed=seed)
        assert await value_at(source, clock, "latency", T0 + 24) < 400
        assert await value_at(source, clock, "latency", T0 + 40) < 800
        assert await value_at(source, clock, "errors", T0 + 24) < 2
        assert await value_at(source, clock, "errors", T0 + 40) < 5


async def test_history_before_the_source_started_is_calm() -> None:
    source, _ = make_source()
    history = await fetch_series(source, {"shape": "latency"}, T0 - 7200, T0, 10)
    assert max(v for _, v in history["value"]) < 250


async def test_incident_follows_options_and_params() -> None:
    clock = ManualClock(T0)
    options = TestdataOptions.model_validate(
        {"incident_start": "5m", "incident_length": 600}
    )
    source = TestdataSource("demo", options, clock)
    assert await value_at(source, clock, "latency", T0 + 200) < 400
    assert await value_at(source, clock, "latency", T0 + 300 + 120) >= 800
    clock.set(T0 + 420)
    calm = {"shape": "latency", "incident": False}
    series = await fetch_series(source, calm, T0 + 420, T0 + 420)
    assert series["value"][0][1] < 250
    picked = {"shape": "latency", "series": ["a", "b"], "incident": ["b"]}
    both = await fetch_series(source, picked, T0 + 420, T0 + 420)
    assert both["a"][0][1] < 250
    assert both["b"][0][1] > 600
    wave = {"shape": "wave", "incident": True, "incident_peak": 500}
    assert (await fetch_series(source, wave, T0 + 420, T0 + 420))["value"][0][1] > 400


async def test_requests_drop_a_little_during_the_incident() -> None:
    source, clock = make_source()
    params = {"shape": "counter", "incident": True, "noise": 0}
    calm = await fetch_series(source, params, T0 - 60, T0 - 60)
    clock.set(T0 + 120)
    worst = await fetch_series(source, params, T0 + 120, T0 + 120)
    ratio = worst["value"][0][1] / calm["value"][0][1]
    assert 0.75 < ratio < 0.95


async def test_histogram_buckets_shift_slower_in_the_incident() -> None:
    source, clock = make_source()
    clock.set(T0 + 120)
    series = await fetch_series(source, {"shape": "histogram"}, T0, T0 + 120, 120)
    assert list(series) == [name for name, _ in HISTOGRAM_BUCKETS]
    assert all(len(points) == 2 for points in series.values())
    calm = {name: points[0][1] for name, points in series.items()}
    worst = {name: points[1][1] for name, points in series.items()}
    assert all(value >= 0 for value in (*calm.values(), *worst.values()))
    assert calm["0-50ms"] > worst["0-50ms"]
    assert worst["400-800ms"] + worst["800-1600ms"] > 10 * (
        calm["400-800ms"] + calm["800-1600ms"] + 1
    )


@pytest.mark.parametrize("table", ["endpoints", "services", "regions"])
async def test_tables_are_well_formed_and_repeatable(table: TableName) -> None:
    first, clock = make_source()
    second, _ = make_source()
    request = FetchRequest("t", {"table": table}, T0 - 60, T0 + 30, 10)
    one = (await first.fetch([request])).results["t"]
    two = (await second.fetch([request])).results["t"]
    assert isinstance(one, TableResult)
    assert one == two
    assert tuple(one.columns) == COLUMNS[table]
    assert one.rows and all(len(row) == len(one.columns) for row in one.rows)
    assert all(isinstance(row[0], str) for row in one.rows)
    clock.advance(120)
    later = (await first.fetch([request])).results["t"]
    assert isinstance(later, TableResult) and later.rows != one.rows


async def test_services_table_shows_the_incident() -> None:
    source, clock = make_source()
    request = FetchRequest("t", {"table": "services"}, T0, T0, 1)
    calm = (await source.fetch([request])).results["t"]
    assert isinstance(calm, TableResult)
    assert {row[1] for row in calm.rows} == {"ok"}
    clock.advance(120)
    later = FetchRequest("t", {"table": "services"}, T0, T0 + 120, 1)
    worst = (await source.fetch([later])).results["t"]
    assert isinstance(worst, TableResult)
    assert "critical" in {row[1] for row in worst.rows}


@pytest.mark.parametrize(
    "params",
    [
        {"shape": "wave", "colour": "red"},
        {"shape": "sawtooth"},
        {"table": "customers"},
        {"table": "services", "base": 3},
        {"table": "services", "shape": "wave"},
        {"shape": "histogram", "series": ["a"]},
        {"min": 10, "max": 5},
        {"series": ["a"], "incident": ["b"]},
        {"noise": 2},
    ],
)
async def test_bad_params_are_refused(params: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        TestdataParams.model_validate(params)
    source, _ = make_source()
    batch = await source.fetch(
        [
            FetchRequest("bad", params, T0 - 60, T0, 10),
            FetchRequest("good", {"shape": "wave"}, T0 - 60, T0, 10),
        ]
    )
    assert set(batch.failures) == {"bad"} and set(batch.results) == {"good"}
    assert "\n" not in batch.failures["bad"].reason


async def test_a_full_dump_of_the_params_is_accepted_again() -> None:
    """The session hands sources a dump with every default filled in."""
    for params in ({"table": "services"}, {"shape": "histogram"}, {"series": ["a"]}):
        dumped = TestdataParams.model_validate(params).model_dump(mode="json")
        assert TestdataParams.model_validate(dumped).model_dump(mode="json") == dumped
    source, _ = make_source()
    dumped = TestdataParams.model_validate({"table": "services"}).model_dump()
    batch = await source.fetch([FetchRequest("t", dumped, T0, T0, 1)])
    assert not batch.failures


async def test_bad_step_fails_alone() -> None:
    source, _ = make_source()
    batch = await source.fetch([FetchRequest("q", {}, T0 - 60, T0, 0)])
    assert "step" in batch.failures["q"].reason


async def test_large_backfill_is_complete() -> None:
    source, _ = make_source()
    requests = [
        FetchRequest(f"q{i}", {"shape": shape}, T0 - 86400, T0, 30)
        for i, shape in enumerate(ALL_SHAPES)
    ]
    batch = await source.fetch(requests)
    assert not batch.failures and len(batch.results) == len(ALL_SHAPES)
    await source.close()


def test_kind_describes_the_source() -> None:
    assert KIND.type_name == "testdata"
    assert KIND.min_interval == 1.0
    assert KIND.options_model is TestdataOptions
    options = TestdataOptions()
    assert (options.seed, options.incident_start, options.incident_length) == (
        0,
        20.0,
        240.0,
    )
    with pytest.raises(ValidationError):
        TestdataOptions.model_validate({"seeds": 1})
    for model in (TestdataOptions, TestdataParams):
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no docstring"

"""The host source, reading this very machine: plausible values, rates and processes."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Mapping
from typing import NamedTuple

import psutil
import pytest
from pydantic import ValidationError

from console.clock import ManualClock
from console.results import FetchBatch, FetchRequest, Point, SeriesResult, TableResult
from console.sources import host_metrics
from console.sources.host import KIND, HostOptions, HostSource
from console.sources.host_params import HostParams
from console.sources.host_processes import COLUMNS

NOW = 1_700_000_000.0

RATE_PAUSE = host_metrics.MIN_RATE_SPAN + 0.05
"""Long enough between two polls for a rate to be measured."""


def make_source() -> HostSource:
    source = KIND.create("host", HostOptions(), ManualClock(NOW))
    assert isinstance(source, HostSource)
    return source


async def fetch(source: HostSource, params: Mapping[str, object]) -> FetchBatch:
    return await source.fetch([FetchRequest("q", params, NOW - 60, NOW, 1)])


async def series_of(
    source: HostSource, params: Mapping[str, object]
) -> dict[str, list[Point]]:
    batch = await fetch(source, params)
    assert not batch.failures, batch.failures
    result = batch.results["q"]
    assert isinstance(result, SeriesResult)
    assert result.replace is False
    for points in result.series.values():
        assert all(stamp == NOW for stamp, _ in points)
        assert len(points) <= 1
    return {name: list(points) for name, points in result.series.items()}


def latest(series: dict[str, list[Point]]) -> dict[str, float]:
    return {name: points[-1][1] for name, points in series.items() if points}


async def test_cpu_is_a_percentage_from_the_first_poll() -> None:
    source = make_source()
    cpu = latest(await series_of(source, {"metric": "cpu"}))
    assert set(cpu) == {"cpu"}
    assert 0 <= cpu["cpu"] <= 100


async def test_cpu_per_core_has_one_series_per_core() -> None:
    source = make_source()
    cores = latest(await series_of(source, {"metric": "cpu_per_core"}))
    assert len(cores) == psutil.cpu_count()
    assert list(cores) == [f"core {n}" for n in range(len(cores))]
    assert all(0 <= value <= 100 for value in cores.values())


async def test_load_memory_swap_and_processes() -> None:
    source = make_source()
    load = latest(await series_of(source, {"metric": "load"}))
    assert set(load) == {"1m", "5m", "15m"}
    assert all(value >= 0 for value in load.values())
    memory = latest(await series_of(source, {"metric": "memory"}))
    assert set(memory) == {"used %"} and 0 < memory["used %"] <= 100
    in_bytes = latest(await series_of(source, {"metric": "memory", "unit": "bytes"}))
    total = psutil.virtual_memory().total
    assert set(in_bytes) == {"used", "available"}
    assert in_bytes["used"] + in_bytes["available"] == pytest.approx(total)
    swap = latest(await series_of(source, {"metric": "swap"}))
    assert 0 <= swap["used %"] <= 100
    count = latest(await series_of(source, {"metric": "processes"}))
    assert count["processes"] >= 1


async def test_disk_usage_per_mount() -> None:
    source = make_source()
    usage = latest(await series_of(source, {"metric": "disk_usage"}))
    assert usage
    assert all(name.startswith("/") for name in usage)
    assert all(0 <= value <= 100 for value in usage.values())
    root = latest(await series_of(source, {"metric": "disk_usage", "mounts": ["/"]}))
    assert list(root) == ["/"]
    used = await series_of(source, {"metric": "disk_usage", "unit": "bytes"})
    assert all(value > 0 for value in latest(used).values())
    batch = await fetch(source, {"metric": "disk_usage", "mounts": ["/no/such/dir"]})
    assert "/no/such/dir" in batch.failures["q"].reason


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"metric": "net_io"}, {"sent", "received"}),
        ({"metric": "disk_io"}, {"read", "write"}),
    ],
)
async def test_rates_start_on_the_second_poll(
    params: dict[str, object], names: set[str]
) -> None:
    if params["metric"] == "disk_io" and psutil.disk_io_counters() is None:
        pytest.skip("this machine reports no disk counters")
    source = make_source()
    first = await series_of(source, params)
    assert set(first) == names
    assert all(points == [] for points in first.values())
    await asyncio.sleep(RATE_PAUSE)
    second = latest(await series_of(source, params))
    assert set(second) == names
    assert all(value >= 0 for value in second.values())


async def test_rates_of_one_interface_and_unknown_ones() -> None:
    source = make_source()
    interface = sorted(psutil.net_io_counters(pernic=True))[0]
    params = {"metric": "net_io", "interface": interface}
    await series_of(source, params)
    await asyncio.sleep(RATE_PAUSE)
    assert set(latest(await series_of(source, params))) == {"sent", "received"}
    batch = await fetch(source, {"metric": "net_io", "interface": "nope0"})
    reason = batch.failures["q"].reason
    assert "nope0" in reason and "\n" not in reason
    batch = await fetch(source, {"metric": "disk_io", "disk": "nodisk9"})
    assert "nodisk9" in batch.failures["q"].reason


class _FakeNic(NamedTuple):
    bytes_sent: int
    bytes_recv: int


async def test_a_counter_that_goes_backwards_gives_no_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(host_metrics, "MIN_RATE_SPAN", 0.0)
    readings = iter([(1000, 5000), (3000, 9000), (10, 20), (110, 220)])

    def fake_counters(pernic: bool = False) -> dict[str, _FakeNic]:
        sent, received = next(readings)
        return {"eth9": _FakeNic(sent, received)}

    monkeypatch.setattr(psutil, "net_io_counters", fake_counters)
    source = make_source()
    params = {"metric": "net_io", "interface": "eth9"}
    assert latest(await series_of(source, params)) == {}
    grew = latest(await series_of(source, params))
    assert grew["sent"] > 0 and grew["received"] > grew["sent"]
    assert latest(await series_of(source, params)) == {}
    assert set(latest(await series_of(source, params))) == {"sent", "received"}


async def test_top_processes_table() -> None:
    source = make_source()
    batch = await fetch(source, {"metric": "top_processes", "limit": 5})
    table = batch.results["q"]
    assert isinstance(table, TableResult)
    assert tuple(table.columns) == COLUMNS
    assert 1 <= len(table.rows) <= 5
    assert all(len(row) == len(COLUMNS) for row in table.rows)
    assert all(isinstance(row[0], int) for row in table.rows)
    cpu = [row[3] if isinstance(row[3], float) else 0.0 for row in table.rows]
    assert cpu == sorted(cpu, reverse=True)
    default = (await fetch(source, {"metric": "top_processes"})).results["q"]
    assert isinstance(default, TableResult) and len(default.rows) <= 10


async def test_top_processes_copes_with_processes_that_vanish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = make_source()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        params = {"metric": "top_processes", "limit": 200}
        table = (await fetch(source, params)).results["q"]
        assert isinstance(table, TableResult)
        assert child.pid in {row[0] for row in table.rows}
    finally:
        child.kill()
        child.wait()
    real_pids = psutil.pids
    # A pid that no process has: listed, then gone before it could be read.
    monkeypatch.setattr(psutil, "pids", lambda: [*real_pids(), 2**22 + 7])
    batch = await fetch(source, params)
    assert not batch.failures
    table = batch.results["q"]
    assert isinstance(table, TableResult)
    assert child.pid not in {row[0] for row in table.rows}
    await source.close()


async def test_reading_runs_off_the_event_loop() -> None:
    source = make_source()
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        # The first poll waits out the CPU priming span and the first process
        # scan's pause, all in the worker thread.
        batch = await source.fetch(
            [
                FetchRequest("cpu", {"metric": "cpu"}, NOW, NOW, 1),
                FetchRequest("top", {"metric": "top_processes"}, NOW, NOW, 1),
            ]
        )
    finally:
        ticker.cancel()
    assert set(batch.results) == {"cpu", "top"}
    assert ticks >= 10


async def test_equal_queries_share_one_reading() -> None:
    source = make_source()
    params = {"metric": "net_io"}
    await source.fetch([FetchRequest("a", params, NOW, NOW, 1)])
    await asyncio.sleep(RATE_PAUSE)
    batch = await source.fetch(
        [FetchRequest("a", params, NOW, NOW, 1), FetchRequest("b", params, NOW, NOW, 1)]
    )
    assert batch.results["a"] == batch.results["b"]
    result = batch.results["b"]
    assert isinstance(result, SeriesResult) and result.series["sent"]


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "gpu"},
        {},
        {"metric": "cpu", "limit": 3},
        {"metric": "memory", "interface": "eth0"},
        {"metric": "net_io", "disk": "sda"},
        {"metric": "cpu", "unit": "bytes"},
        {"metric": "top_processes", "limit": 0},
        {"metric": "cpu", "colour": "red"},
    ],
)
async def test_bad_params_are_refused(params: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        HostParams.model_validate(params)
    source = make_source()
    batch = await source.fetch(
        [
            FetchRequest("bad", params, NOW, NOW, 1),
            FetchRequest("good", {"metric": "load"}, NOW, NOW, 1),
        ]
    )
    assert set(batch.failures) == {"bad"} and set(batch.results) == {"good"}


def test_a_full_dump_of_the_params_is_accepted_again() -> None:
    """The session hands sources a dump with every default filled in."""
    for params in ({"metric": "top_processes"}, {"metric": "net_io"}):
        dumped = HostParams.model_validate(params).model_dump(mode="json")
        assert HostParams.model_validate(dumped).model_dump(mode="json") == dumped


def test_kind_describes_the_source() -> None:
    assert KIND.type_name == "host"
    assert KIND.min_interval == 1.0
    assert KIND.params_model is HostParams
    with pytest.raises(ValidationError):
        HostOptions.model_validate({"interval": 5})
    for name, info in HostParams.model_fields.items():
        assert info.description, f"HostParams.{name} has no docstring"

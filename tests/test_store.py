"""The store: bounded ring buffers, merging of overlapping answers, freshness."""

from __future__ import annotations

from console.results import FetchFailure, SeriesResult, TableResult
from console.store import Freshness, Store


def test_ring_buffer_keeps_only_the_newest_samples() -> None:
    store = Store(capacity=100)
    state = store.ensure("q", interval=1, points=10)
    store.record("q", SeriesResult({"a": [(float(t), 1.0) for t in range(50)]}), 50)
    assert len(state.series["a"]) == 10
    assert state.series["a"][0][0] == 40.0


def test_capacity_is_capped_by_the_store() -> None:
    store = Store(capacity=5)
    state = store.ensure("q", interval=1, points=1_000_000)
    assert state.capacity == 5


def test_overlapping_answers_do_not_duplicate_samples() -> None:
    store = Store()
    state = store.ensure("q", interval=1, points=100)
    store.record("q", SeriesResult({"a": [(1.0, 1.0), (2.0, 2.0)]}), 2)
    store.record("q", SeriesResult({"a": [(2.0, 2.0), (3.0, 3.0)]}), 3)
    assert list(state.series["a"]) == [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]


def test_series_per_query_are_bounded() -> None:
    store = Store(max_series=3)
    state = store.ensure("q", interval=1, points=10)
    series = {f"s{i:02d}": [(1.0, 1.0)] for i in range(10)}
    store.record("q", SeriesResult(series), 1)
    assert sorted(state.series) == ["s00", "s01", "s02"]


def test_failure_keeps_data_and_reports_failing_until_a_success() -> None:
    store = Store()
    state = store.ensure("q", interval=10, points=10)
    assert state.freshness(0) is Freshness.WAITING
    store.record("q", TableResult(["a"], [[1]]), 100)
    store.record_failure("q", FetchFailure("boom"), 110)
    assert state.table is not None, "old data stays"
    assert state.freshness(111) is Freshness.FAILING
    assert state.failures == 1
    store.record("q", TableResult(["a"], [[2]]), 120)
    assert state.freshness(121) is Freshness.LIVE
    assert state.failures == 0


def test_version_moves_on_every_change() -> None:
    store = Store()
    state = store.ensure("q", interval=10, points=10)
    before = state.version
    store.record("q", SeriesResult({"a": [(1.0, 1.0)]}), 1)
    store.record_failure("q", FetchFailure("x"), 2)
    assert state.version == before + 2


def test_retain_forgets_what_nobody_asks_for() -> None:
    store = Store()
    store.ensure("a", 1, 10)
    store.ensure("b", 1, 10)
    store.retain(["b"])
    assert store.get("a") is None and len(store) == 1

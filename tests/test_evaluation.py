"""Judging panels: failures and staleness come before thresholds, so old or failing
data never looks live; thresholds work in both directions."""

from __future__ import annotations

from typing import Any

from console.evaluation import PanelState, classify, evaluate_panel, reduce
from console.profile_schema import Panel, Thresholds
from console.results import FetchFailure, SeriesResult, TableResult
from console.store import Store


def panel(**overrides: Any) -> Panel:
    fields: dict[str, Any] = {
        "id": "p",
        "title": "P",
        "type": "line_chart",
        "at": {"x": 0, "y": 0, "w": 6, "h": 6},
        "query": {"source": "s"},
        "thresholds": {"warning": 10, "critical": 20},
    }
    fields.update(overrides)
    return Panel.model_validate(fields)


def store_with(values: list[float], now: float = 100.0) -> Store:
    store = Store()
    store.ensure("k", interval=10, points=100)
    points = [(now - len(values) + i + 1, v) for i, v in enumerate(values)]
    store.record("k", SeriesResult({"a": points}), now)
    return store


def test_classify_above_and_below() -> None:
    above = Thresholds(warning=10, critical=20)
    assert classify(5, above) is PanelState.OK
    assert classify(10, above) is PanelState.WARNING
    assert classify(25, above) is PanelState.CRITICAL
    below = Thresholds(warning=20, critical=10, direction="below")
    assert classify(25, below) is PanelState.OK
    assert classify(15, below) is PanelState.WARNING
    assert classify(10, below) is PanelState.CRITICAL
    assert classify(1e9, None) is PanelState.OK


def test_reduce_statistics() -> None:
    points = [(1.0, 1.0), (2.0, 5.0), (3.0, 3.0)]
    assert reduce(points, "last") == 3.0
    assert reduce(points, "max") == 5.0
    assert reduce(points, "min") == 1.0
    assert reduce(points, "sum") == 9.0
    assert reduce(points, "mean") == 3.0
    assert reduce(points, "last", since=10.0) is None


def test_breach_gives_state_value_and_reason() -> None:
    store = store_with([1, 2, 25])
    status = evaluate_panel(panel(unit="ms"), [store.get("k")], 100.0, 3600)
    assert status.state is PanelState.CRITICAL
    assert status.value == 25
    assert "25ms >= 20ms" in status.reason


def test_no_query_state_means_no_data() -> None:
    status = evaluate_panel(panel(), [None], 100.0, 3600)
    assert status.state is PanelState.NO_DATA


def test_stale_beats_thresholds() -> None:
    store = store_with([25])
    status = evaluate_panel(panel(), [store.get("k")], 100.0 + 21, 3600)
    assert status.state is PanelState.STALE
    assert "21s ago" in status.reason


def test_failure_beats_everything_and_says_how_old_the_data_is() -> None:
    store = store_with([25])
    store.record_failure("k", FetchFailure("connection refused"), 160.0)
    status = evaluate_panel(panel(), [store.get("k")], 160.0, 3600)
    assert status.state is PanelState.ERROR
    assert status.reason == "error: connection refused (data 1m old)"


def test_throttled_failure_says_throttled() -> None:
    store = store_with([1])
    store.record_failure("k", FetchFailure("Rate exceeded", throttled=True), 101.0)
    status = evaluate_panel(panel(), [store.get("k")], 101.0, 3600)
    assert status.reason.startswith("throttled: Rate exceeded")


def test_table_panel_with_rows_is_ok() -> None:
    store = Store()
    store.ensure("k", interval=10, points=10)
    store.record("k", TableResult(["a"], [["x"]]), 100.0)
    status = evaluate_panel(panel(type="table"), [store.get("k")], 100.0, 3600)
    assert status.state is PanelState.OK


def test_text_panel_is_always_ok() -> None:
    text = panel(type="text", query=None, text="hello")
    assert evaluate_panel(text, [], 0.0, 3600).state is PanelState.OK

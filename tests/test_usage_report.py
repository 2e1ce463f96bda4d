"""The usage report: figures from records made with a fake clock, its JSON checked
against the published schema, and `watchdeck usage` reading the real store."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from console.cli import main
from console.clock import ManualClock
from console.profile_loader import LoadedProfile
from console.storage.records import Acknowledgement
from console.storage.sqlite_store import SqliteStateStore, default_store_path
from console.usage.load_watch import LoadResult
from console.usage.recorder import UsageRecorder
from console.usage.recording_store import RecordingStateStore
from console.usage.report import build_report
from console.usage.report_schema import REPORT_SCHEMA
from console.usage.report_text import render_feedback, render_text


def a_week_of_use(clock: ManualClock, store: SqliteStateStore) -> None:
    """Two people over two sessions: `service` opened three times and slow because
    of its latency panel; `host` once; `latency` never; one note, two acks."""
    for user, opens in (("ana", ["service", "host", "service"]), ("bo", ["service"])):
        recorder = UsageRecorder(
            store, clock, user=user, host="bastion", profile="demo"
        )
        recording = RecordingStateStore(store, recorder)
        recorder.started()
        for dashboard in opens:
            recorder.dashboard_opened(dashboard)
            slow = 4.0 if dashboard == "service" else 0.5
            recorder.loaded(
                LoadResult(
                    dashboard,
                    slow,
                    {"requests": 0.2, "latency": slow},
                    ["latency"] if user == "bo" else [],
                )
            )
            for _ in range(20):
                recorder.source_called("shop", 0.05, failed=False)
                recorder.source_called("host", 0.9, failed=user == "bo")
                recorder.panel_drawn(dashboard, "latency", 0.004)
            clock.advance(60)
        recorder.drilled("service", "latency")
        recording.acknowledge(
            Acknowledgement("panel:service/latency", user, clock.now(), 1e12)
        )
        if user == "ana":
            recorder.feedback("service", "latency", "p99 by region would help")
        recorder.action("drill")
        recorder.close()
        clock.advance(3600)


def report_of(clock: ManualClock, demo: LoadedProfile) -> dict[str, Any]:
    store = SqliteStateStore.in_memory()
    start = clock.now()
    a_week_of_use(clock, store)
    return build_report(
        store.usage(since=0), [demo.profile], since=start, until=clock.now()
    )


def test_the_report_ranks_dashboards_and_names_the_unused_one(
    frozen_clock: ManualClock, demo_profile: LoadedProfile
) -> None:
    report = report_of(frozen_clock, demo_profile)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["sessions"] == 2
    assert report["users"] == ["ana", "bo"]
    used = [
        (row["dashboard"], row["opens"], row["users"]) for row in report["dashboards"]
    ]
    assert used == [("service", 3, 2), ("host", 1, 1)]
    assert [row["drills"] for row in report["dashboards"]] == [2, 0]
    assert [row["dashboard"] for row in report["unused"]] == ["latency"]
    assert report["acks_per_user"] == [
        {"user": "ana", "acks": 1},
        {"user": "bo", "acks": 1},
    ]
    assert report["actions"] == {"drill": 2}


def test_the_report_says_which_dashboard_is_slow_and_why(
    frozen_clock: ManualClock, demo_profile: LoadedProfile
) -> None:
    report = report_of(frozen_clock, demo_profile)
    slowest = report["slowest_dashboards"][0]
    assert slowest["dashboard"] == "service"
    assert (slowest["p50_s"], slowest["p95_s"], slowest["loads"]) == (4.0, 4.0, 3)
    assert slowest["load_errors"] == 1
    assert slowest["slowest_panel"] == "latency"
    assert slowest["slowest_panel_sources"] == ["shop"]
    sources = {row["source"]: row for row in report["sources"]}
    assert sources["host"]["errors"] == 20
    assert sources["host"]["p95_ms"] == 900.0
    assert sources["shop"]["p50_ms"] == 50.0
    assert report["sources"][0]["source"] == "host", "the failing source first"
    panel = report["panels"][0]
    assert (panel["dashboard"], panel["panel"], panel["load_errors"]) == (
        "service",
        "latency",
        1,
    )
    assert panel["draw_p95_ms"] == 4.0


def test_the_text_report_and_the_feedback_list(
    frozen_clock: ManualClock, demo_profile: LoadedProfile
) -> None:
    report = report_of(frozen_clock, demo_profile)
    text = render_text(report)
    assert "2 session(s) by 2 user(s)" in text
    assert "demo/service                      3 opens     2 drills  2 user(s)" in text
    assert "drill                     2" in text
    assert "demo/latency" in text.split("Dashboards nobody opened")[1]
    assert "slowest panel latency (4s, from shop)" in text
    notes = render_feedback(report)
    assert notes.strip().endswith(
        "ana          demo/service/latency: p99 by region would help"
    )


def test_records_outside_the_period_are_left_out(
    frozen_clock: ManualClock, demo_profile: LoadedProfile
) -> None:
    store = SqliteStateStore.in_memory()
    a_week_of_use(frozen_clock, store)
    later = frozen_clock.now() + 1
    report = build_report(
        store.usage(since=0), [demo_profile.profile], since=later, until=later + 9
    )
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["dashboards"] == [] and report["sessions"] == 0
    assert len(report["unused"]) == 3


@pytest.fixture
def private_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return default_store_path()


def test_watchdeck_usage_prints_json_that_fits_the_schema(
    private_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStateStore(private_data)
    a_week_of_use(ManualClock(time.time() - 86400), store)
    store.close()
    status = main(["usage", "--format", "json", "--profile", "demo"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    report = json.loads(captured.out)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["dashboards"][0]["dashboard"] == "service"
    assert main(["usage", "--feedback", "--since", "2d"]) == 0
    assert "p99 by region would help" in capsys.readouterr().out


def test_watchdeck_usage_refuses_a_bad_period(
    private_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["usage", "--since", "soon"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("watchdeck: --since: 'soon' is not a duration")
    assert not private_data.exists(), "reading the report creates no store"

"""The usage recorder, with a fake clock and an in-memory SQLite store."""

from __future__ import annotations

from collections.abc import Sequence

from console.clock import ManualClock
from console.results import FetchFailure, SeriesResult
from console.storage.interface import ReadOnlyRefused, StateStore
from console.storage.records import Acknowledgement, UsageRecord
from console.storage.sqlite_store import SqliteStateStore
from console.store import Store
from console.usage.load_watch import LoadWatch
from console.usage.recorder import (
    FLUSH_DELAY,
    RETENTION,
    STATS_INTERVAL,
    UsageRecorder,
)
from console.usage.recording_store import RecordingStateStore
from console.usage.reservoir import Reservoir, percentile


def make(
    clock: ManualClock, store: StateStore | None = None, *, enabled: bool = True
) -> tuple[UsageRecorder, StateStore, list[int]]:
    kept = store or SqliteStateStore.in_memory()
    pending: list[int] = []
    recorder = UsageRecorder(
        kept,
        clock,
        user="ana",
        host="bastion-1",
        profile="demo",
        enabled=enabled,
        on_pending=lambda: pending.append(1),
    )
    return recorder, kept, pending


def kinds(records: Sequence[UsageRecord]) -> list[str]:
    return [record.kind for record in records]


def test_nothing_waits_and_no_flush_is_due_before_anything_happens(
    frozen_clock: ManualClock,
) -> None:
    recorder, store, pending = make(frozen_clock)
    assert recorder.flush_at() is None
    assert pending == []
    assert store.usage(since=0) == []


def test_a_session_keeps_start_dashboards_with_durations_drills_and_end(
    frozen_clock: ManualClock,
) -> None:
    recorder, store, pending = make(frozen_clock)
    start = frozen_clock.now()
    recorder.started()
    recorder.dashboard_opened("service")
    frozen_clock.advance(90)
    recorder.drilled("service", "latency")
    recorder.dashboard_opened("host")
    frozen_clock.advance(30)
    recorder.close()
    records = store.usage(since=0)
    assert kinds(records) == ["start", "drill", "dashboard", "dashboard", "end"]
    assert [(r.dashboard, r.duration) for r in records if r.kind == "dashboard"] == [
        ("service", 90.0),
        ("host", 30.0),
    ]
    assert records[0].at == start
    assert records[-1].duration == 120.0
    assert {(r.user, r.host) for r in records} == {("ana", "bastion-1")}
    assert all(r.detail["profile"] == "demo" for r in records)
    # One timer request when the first record started waiting, not one per record.
    assert pending == [1]


def test_records_wait_for_the_flush_delay_then_go_in_one_batch(
    frozen_clock: ManualClock,
) -> None:
    recorder, store, _ = make(frozen_clock)
    recorder.started()
    recorder.drilled("service", "requests")
    assert recorder.flush_at() == frozen_clock.now() + FLUSH_DELAY
    assert store.usage(since=0) == []
    frozen_clock.advance(FLUSH_DELAY)
    assert recorder.flush()
    assert kinds(store.usage(since=0)) == ["start", "drill"]
    assert recorder.flush_at() is None


def test_actions_are_counted_into_one_record(frozen_clock: ManualClock) -> None:
    recorder, store, _ = make(frozen_clock)
    for name in ["drill", "back", "drill", "switch", "drill"]:
        recorder.action(name)
    recorder.flush()
    (record,) = store.usage(since=0)
    assert record.kind == "actions"
    assert record.detail["counts"] == {"drill": 3, "back": 1, "switch": 1}


def test_source_and_draw_figures_are_summed_per_interval_not_per_call(
    frozen_clock: ManualClock,
) -> None:
    recorder, store, _ = make(frozen_clock)
    for index in range(100):
        recorder.source_called("prom", 0.010 + index / 1000, failed=index % 10 == 0)
        recorder.panel_drawn("service", "latency", 0.002)
    assert recorder.flush_at() == frozen_clock.now() + STATS_INTERVAL
    recorder.flush()
    assert store.usage(since=0) == [], "figures wait for their interval"
    frozen_clock.advance(STATS_INTERVAL)
    recorder.flush()
    records = store.usage(since=0)
    assert kinds(records) == ["source_stats", "render_stats"]
    prom = records[0].detail["stats"]["prom"]
    assert (prom["calls"], prom["errors"]) == (100, 10)
    assert prom["max_ms"] == 109.0
    assert 0 < len(prom["samples_ms"]) <= 64
    assert records[1].detail["stats"]["service/latency"]["calls"] == 100
    assert records[0].duration == STATS_INTERVAL
    live = recorder.live_sources.get("prom")
    assert live is not None and live.calls == 100


def test_with_recording_off_nothing_is_kept_but_live_figures_are(
    frozen_clock: ManualClock,
) -> None:
    recorder, store, pending = make(frozen_clock, enabled=False)
    recorder.started()
    recorder.dashboard_opened("service")
    recorder.action("drill")
    recorder.source_called("prom", 0.5, failed=False)
    assert not recorder.feedback("service", None, "too slow")
    recorder.close()
    assert store.usage(since=0) == []
    assert pending == []
    assert recorder.flush_at() is None
    assert recorder.live_sources.get("prom") is not None


def test_feedback_is_kept_with_dashboard_and_panel(
    frozen_clock: ManualClock,
) -> None:
    recorder, store, _ = make(frozen_clock)
    assert recorder.feedback("service", "latency", "  p99 would help here  ")
    assert recorder.flush()
    (record,) = store.usage(since=0)
    assert (record.kind, record.dashboard, record.panel) == (
        "feedback",
        "service",
        "latency",
    )
    assert record.detail["text"] == "p99 would help here"
    assert not recorder.feedback("service", None, "   "), "an empty note is no note"


def test_the_buffer_is_bounded_and_says_how_many_it_dropped(
    frozen_clock: ManualClock,
) -> None:
    store = SqliteStateStore.in_memory()
    recorder = UsageRecorder(
        store, frozen_clock, user="u", host="h", profile="p", max_buffer=10
    )
    for index in range(25):
        recorder.drilled("service", f"p{index}")
    recorder.flush()
    records = store.usage(since=0)
    assert kinds(records).count("drill") == 10
    assert records[-1].kind == "dropped"
    assert records[-1].detail["records"] == 15
    assert next(r.panel for r in records if r.kind == "drill") == "p15"


def test_a_store_that_refuses_turns_recording_off_without_raising(
    frozen_clock: ManualClock,
) -> None:
    class Refusing(SqliteStateStore):
        def record_usage(self, records: Sequence[UsageRecord]) -> None:
            raise ReadOnlyRefused("the store is read-only")

    recorder, _, _ = make(frozen_clock, Refusing.in_memory())
    recorder.started()
    assert not recorder.flush()
    assert not recorder.enabled


def test_the_recording_store_counts_acks_and_view_saves(
    frozen_clock: ManualClock,
) -> None:
    recorder, inner, _ = make(frozen_clock)
    store = RecordingStateStore(inner, recorder)
    store.acknowledge(
        Acknowledgement("panel:service/latency", "bo", frozen_clock.now(), 1e12)
    )
    store.save_view(
        "mine", {}, profile_hash="x", user="ana", host="h", at=frozen_clock.now()
    )
    recorder.flush()
    records = inner.usage(since=0)
    assert kinds(records) == ["ack", "view_save"]
    assert (records[0].dashboard, records[0].panel, records[0].user) == (
        "service",
        "latency",
        "bo",
    )
    assert records[1].detail["view"] == "mine"
    assert len(store.acknowledgements(since=0)) == 1


def test_a_load_ends_when_every_panel_has_data_or_an_error(
    frozen_clock: ManualClock,
) -> None:
    store = Store()
    for key in ("a", "b", "c"):
        store.ensure(key, 30, 10)
    watch = LoadWatch(
        "service", {"one": ["a"], "two": ["b", "c"], "text": []}, frozen_clock.now()
    )
    assert watch.observe(store, frozen_clock.now()) is None
    assert watch.ready == {"text": 0.0}
    frozen_clock.advance(0.5)
    store.record("a", SeriesResult({"s": [(1.0, 1.0)]}), frozen_clock.now())
    store.record("b", SeriesResult({"s": [(1.0, 1.0)]}), frozen_clock.now())
    assert watch.observe(store, frozen_clock.now()) is None
    frozen_clock.advance(2.0)
    store.record_failure("c", FetchFailure("refused"), frozen_clock.now())
    result = watch.observe(store, frozen_clock.now())
    assert result is not None
    assert result.seconds == 2.5
    assert dict(result.panels) == {"text": 0.0, "one": 0.5, "two": 2.5}
    assert list(result.errors) == ["two"]
    assert watch.observe(store, frozen_clock.now()) is None, "reported once"


def test_percentiles_and_the_reservoir_bound() -> None:
    assert percentile([], 0.5) is None
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.5) == 2.0
    assert percentile(list(map(float, range(1, 101))), 0.95) == 95.0
    reservoir = Reservoir(size=50)
    for value in range(10_000):
        reservoir.add(float(value))
    assert len(reservoir.samples) == 50
    assert reservoir.seen == 10_000
    median = reservoir.percentile(0.5)
    assert median is not None and 2000 < median < 8000


def test_starting_forgets_records_older_than_the_retention(
    frozen_clock: ManualClock,
) -> None:
    store = SqliteStateStore.in_memory()
    now = frozen_clock.now()
    store.record_usage(
        [
            UsageRecord(now - RETENTION - 1, "drill", "u", "h"),
            UsageRecord(now - RETENTION + 1, "drill", "u", "h"),
        ]
    )
    recorder, _, _ = make(frozen_clock, store)
    recorder.prune()
    assert [r.at for r in store.usage(since=0)] == [now - RETENTION + 1]

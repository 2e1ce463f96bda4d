"""The SQLite state store: revisions never overwrite, several writers lose nothing,
corrupt files are moved aside, and read-only refuses every write."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from console.storage.interface import ReadOnlyRefused, StorageError
from console.storage.opening import open_state_store
from console.storage.records import (
    Acknowledgement,
    Annotation,
    SavedView,
    UsageRecord,
)
from console.storage.sqlite_store import SqliteStateStore

T0 = 1_800_000_000.0


def _save(
    store: SqliteStateStore,
    name: str,
    state: dict[str, object],
    based_on: int | None = None,
) -> SavedView:
    return store.save_view(
        name,
        state,
        profile_hash="h1",
        user="ana",
        host="bastion",
        at=T0,
        based_on=based_on,
    )


def test_each_save_adds_a_revision_and_keeps_the_old_ones(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    first = _save(store, "checkout", {"dashboard": "a"})
    second = _save(store, "checkout", {"dashboard": "b"}, based_on=1)
    assert (first.revision.revision, second.revision.revision) == (1, 2)
    assert second.conflict is None
    history = store.view_history("checkout")
    assert [r.state["dashboard"] for r in history] == ["a", "b"]
    latest = store.view("checkout")
    assert latest is not None and latest.revision == 2
    older = store.view("checkout", 1)
    assert older is not None and older.state == {"dashboard": "a"}
    assert store.view("nothing") is None
    assert store.view_names() == ["checkout"]


def test_a_save_based_on_an_old_revision_reports_the_newer_one(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    _save(store, "v", {"n": 1})
    _save(store, "v", {"n": 2}, based_on=1)  # a colleague saved revision 2
    mine = _save(store, "v", {"n": 3}, based_on=1)
    assert mine.revision.revision == 3
    assert mine.conflict is not None and mine.conflict.revision == 2
    assert len(store.view_history("v")) == 3


def test_acknowledgements_hold_until_they_end_or_are_cleared(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    ack = store.acknowledge(
        Acknowledgement("panel:d/p", "ana", T0, T0 + 600, note="on it")
    )
    assert [a.id for a in store.acknowledgements(active_at=T0 + 1)] == [ack.id]
    assert store.acknowledgements(active_at=T0 + 601) == []
    assert store.clear_acknowledgement("panel:d/p", user="bo", at=T0 + 60) == 1
    assert store.acknowledgements(active_at=T0 + 61) == []
    (cleared,) = store.acknowledgements(since=T0)
    assert cleared.cleared_by == "bo" and cleared.note == "on it"
    assert not cleared.active(T0 + 61)


def test_annotations_and_usage_come_back_in_time_order(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    store.annotate(Annotation(T0 + 5, "ana", "rolled back", profile="demo"))
    store.annotate(Annotation(T0 + 1, "ana", "paged db team", profile="demo"))
    store.annotate(Annotation(T0 + 2, "ana", "elsewhere", profile="other"))
    texts = [a.text for a in store.annotations(since=T0, profile="demo")]
    assert texts == ["paged db team", "rolled back"]
    assert [a.text for a in store.annotations(since=T0 + 3)] == ["rolled back"]
    store.record_usage(
        [
            UsageRecord(T0 + 2, "dashboard", "ana", "h", dashboard="x", duration=4.0),
            UsageRecord(T0 + 1, "start", "ana", "h", detail={"profile": "demo"}),
        ]
    )
    kinds = [r.kind for r in store.usage(since=T0)]
    assert kinds == ["start", "dashboard"]
    assert store.usage(since=T0)[0].detail == {"profile": "demo"}
    assert store.prune_usage(before=T0 + 2) == 1
    assert [r.kind for r in store.usage(since=0)] == ["dashboard"]


def test_the_store_file_and_its_folder_are_the_users_alone(tmp_path: Path) -> None:
    path = tmp_path / "data" / "watchdeck" / "state.db"
    store = SqliteStateStore(path)
    _save(store, "v", {})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for side in path.parent.glob("state.db-*"):
        assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0, side


def test_a_corrupt_file_is_moved_aside_and_a_new_one_started(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    store = SqliteStateStore(path)
    assert store.recovered_from is not None
    moved = Path(store.recovered_from)
    assert moved.exists() and b"shopping list" in moved.read_bytes()
    assert _save(store, "v", {"ok": True}).revision.revision == 1


def test_an_unwritable_place_gives_a_one_line_reason(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError) as caught:
        SqliteStateStore(blocker / "state.db")
    assert "cannot create the state store" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_read_only_refuses_every_write_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SqliteStateStore(path).close()
    before = path.read_bytes()
    store = open_state_store(path, read_only=True)
    with pytest.raises(ReadOnlyRefused):
        store.save_view("v", {}, profile_hash="", user="a", host="h", at=T0)
    with pytest.raises(ReadOnlyRefused):
        store.acknowledge(Acknowledgement("k", "a", T0, T0 + 1))
    with pytest.raises(ReadOnlyRefused):
        store.clear_acknowledgement("k", user="a", at=T0)
    with pytest.raises(ReadOnlyRefused):
        store.annotate(Annotation(T0, "a", "x"))
    store.record_usage([UsageRecord(T0, "start", "a", "h")])
    assert store.prune_usage(before=T0) == 0
    assert store.view_names() == []
    store.close()
    assert path.read_bytes() == before


def test_read_only_with_no_store_yet_creates_no_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = open_state_store(path, read_only=True)
    assert store.view_names() == [] and store.acknowledgements(active_at=T0) == []
    store.close()
    assert not path.exists()


def _writer(path: str, worker: int, saves: int) -> None:
    store = SqliteStateStore(Path(path))
    for n in range(saves):
        store.save_view(
            "shared",
            {"worker": worker, "n": n},
            profile_hash="h",
            user=f"user{worker}",
            host="h",
            at=T0 + n,
        )
        store.annotate(Annotation(T0 + n, f"user{worker}", f"{worker}-{n}"))
    store.close()


def test_four_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SqliteStateStore(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_writer, args=(str(path), worker, 25))
        for worker in range(4)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    store = SqliteStateStore(path)
    history = store.view_history("shared")
    assert [r.revision for r in history] == list(range(1, 101))
    seen = {(r.state["worker"], r.state["n"]) for r in history}
    assert seen == {(w, n) for w in range(4) for n in range(25)}
    assert len(store.annotations(since=0)) == 100
    assert not [p for p in os.listdir(tmp_path) if "tmp" in p]

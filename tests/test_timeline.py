"""The timeline: alert changes, acknowledgements and notes, in order, as Markdown
and JSON."""

from __future__ import annotations

import json

from console.storage.records import Acknowledgement, AlertChange, Annotation
from console.storage.sqlite_store import SqliteStateStore
from console.timeline import as_json, as_markdown, timeline_entries

T0 = 1_800_000_000.0


def test_entries_merge_in_time_order_within_the_window() -> None:
    store = SqliteStateStore.in_memory()
    store.record_alert_changes(
        [
            AlertChange(T0 - 7200, "panel:d/p", "old", "warning", "firing"),
            AlertChange(
                T0 + 10,
                "panel:d/p",
                "p99 latency",
                "critical",
                "firing",
                detail="812ms",
                profile="demo",
            ),
            AlertChange(
                T0 + 300,
                "panel:d/p",
                "p99 latency",
                "critical",
                "resolved",
                "acknowledged",
                profile="demo",
            ),
        ]
    )
    store.acknowledge(
        Acknowledgement(
            "panel:d/p", "alice", at=T0 + 60, until=T0 + 3660, note="rolling back"
        )
    )
    store.clear_acknowledgement("panel:d/p", user="bob", at=T0 + 200)
    store.annotate(
        Annotation(
            T0 + 120, "alice", "rolled back to v41", profile="demo", dashboard="service"
        )
    )
    entries = timeline_entries(store, since=T0 - 60, profile="demo")
    assert [(e.at - T0, e.kind) for e in entries] == [
        (10, "alert"),
        (60, "ack"),
        (120, "note"),
        (200, "unack"),
        (300, "alert"),
    ]
    assert entries[1].what == "p99 latency acknowledged"
    assert entries[1].who == "alice"
    assert "rolling back" in entries[1].detail
    assert entries[3].who == "bob"
    markdown = as_markdown(entries)
    assert "| time | kind | what | who | detail |" in markdown
    assert "rolled back to v41" in markdown
    decoded = json.loads(as_json(entries))
    assert decoded[0]["what"] == "p99 latency firing (critical)"
    assert len(decoded) == 5


def test_an_empty_window_says_so() -> None:
    store = SqliteStateStore.in_memory()
    assert "Nothing happened" in as_markdown(timeline_entries(store, since=T0))

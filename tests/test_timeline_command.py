"""`watchdeck timeline` as a user runs it, against a store file a test wrote."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from console.storage.records import Acknowledgement, AlertChange, Annotation
from console.storage.sqlite_store import SqliteStateStore

WATCHDECK = str(Path(sys.executable).parent / "watchdeck")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WATCHDECK, *args], capture_output=True, text=True, timeout=60, check=False
    )


def fill(path: Path) -> None:
    now = time.time()
    store = SqliteStateStore(path)
    store.record_alert_changes(
        [
            AlertChange(now - 3 * 3600, "k", "too old", "critical", "firing"),
            AlertChange(now - 600, "k", "p99 latency", "critical", "firing"),
        ]
    )
    store.acknowledge(
        Acknowledgement("k", "alice", at=now - 500, until=now + 3000, note="on it")
    )
    store.annotate(Annotation(now - 400, "alice", "rolled back to v41"))
    store.close()


def test_markdown_lists_the_window_in_order(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    fill(path)
    result = run("timeline", "--since", "2h", "--store", str(path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "too old" not in out
    firing = out.index("p99 latency firing")
    acked = out.index("p99 latency acknowledged")
    noted = out.index("rolled back to v41")
    assert firing < acked < noted


def test_json_is_a_list_of_entries(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    fill(path)
    result = run("timeline", "--since", "1d", "--format", "json", "--store", str(path))
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [e["kind"] for e in entries] == ["alert", "alert", "ack", "note"]


def test_a_bad_since_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run("timeline", "--since", "soon", "--store", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1

"""The state store survives: SIGKILL at random moments during writes leaves every
committed write and never a corrupt one, four processes writing at once lose
nothing, no temporary file is left behind, and a corrupt file is moved aside.

Writers are real processes writing a real SQLite file; the kills are real SIGKILLs.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.storage.sqlite_store import SqliteStateStore

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

KILLS = 200

WRITER = """
import sys, time
from pathlib import Path
from console.storage.records import Acknowledgement, Annotation
from console.storage.sqlite_store import SqliteStateStore

store = SqliteStateStore(Path(sys.argv[1]))
tag, count = sys.argv[2], int(sys.argv[3])
for n in range(count):
    store.save_view("shared", {"writer": tag, "n": n, "pad": "x" * 2000},
                    profile_hash="h", user=tag, host="h", at=time.time())
    store.annotate(Annotation(at=float(n), user=tag, text=f"{tag}-{n}"))
    store.acknowledge(Acknowledgement(alert_key=f"{tag}-{n}", user=tag,
                                      at=float(n), until=float(n) + 3600))
    # Written only after all three committed: the parent's floor for this writer.
    print(n, flush=True)
store.close()
"""


def start_writer(path: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )


def check_store(path: Path) -> tuple[int, int, int]:
    """Open the store as the console would; every view revision is whole and the
    revisions run 1..N without a gap. Returns (views, annotations, acks)."""
    store = SqliteStateStore(path)
    try:
        assert store.recovered_from is None, "the store was never corrupt"
        history = store.view_history("shared") if store.view_names() else []
        revisions = sorted(view.revision for view in history)
        assert revisions == list(range(1, len(revisions) + 1))
        for view in history:
            assert set(view.state) == {"writer", "n", "pad"}
            assert view.state["pad"] == "x" * 2000
        annotations = store.annotations(since=-1.0, until=1e12)
        acks = store.acknowledgements()
        return len(revisions), len(annotations), len(acks)
    finally:
        store.close()


def leftovers(folder: Path, path: Path) -> list[str]:
    allowed = {path.name, f"{path.name}-wal", f"{path.name}-shm"}
    return sorted(p.name for p in folder.iterdir() if p.name not in allowed)


def test_sigkill_at_random_moments_never_corrupts_or_loses_a_commit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.sqlite3"
    rng = random.Random(8)
    committed = 0
    for kill in range(KILLS):  # a few minutes: one process start per kill
        writer = start_writer(path, f"w{kill}", 10_000)
        time.sleep(rng.uniform(0.05, 0.4))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        assert writer.returncode == -signal.SIGKILL
        committed += len(out.split())
        views, annotations, acks = check_store(path)
        assert views >= committed, "every reported commit survived"
        # At most the one write in flight when killed may have landed beyond.
        assert views <= committed + 1 and annotations <= committed + 1
        assert acks <= committed + 1
        committed = views
        assert leftovers(tmp_path, path) == []
    print(f"\n{KILLS} SIGKILLs survived, {committed} view revisions intact")
    assert committed > 0, "the writers got some work done between kills"
    assert stat_mode(path) == 0o600


def stat_mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


def test_four_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    writers = [start_writer(path, f"p{index}", 100) for index in range(4)]
    for writer in writers:
        out, _ = writer.communicate(timeout=300)
        assert writer.returncode == 0
        assert len(out.split()) == 100
    views, annotations, acks = check_store(path)
    assert (views, annotations, acks) == (400, 400, 400)
    assert leftovers(tmp_path, path) == []


def test_a_corrupt_store_is_moved_aside_and_a_fresh_one_works(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    store = SqliteStateStore(path)
    try:
        moved = store.recovered_from
        assert moved is not None and Path(moved).exists()
        assert Path(moved).read_bytes().startswith(b"SQLite format 3")
        store.save_view("v", {"ok": True}, profile_hash="h", user="u", host="h", at=1)
        assert store.view_names() == ["v"]
    finally:
        store.close()
    assert stat_mode(path) == 0o600

"""What usage recording costs: time per event, and store bytes per hour of use.

No terminal and no app: a `UsageRecorder` on a manual clock writes to a SQLite
store in a temporary directory. First, the time each kind of event takes to count
(a source call, a panel draw, an action). Then an hour of busy use is simulated:
one source call per second, twelve panel draws per five seconds, an action every
ten seconds, a dashboard change every five minutes. Printed: records and bytes the
store grew by for that hour, and the wall time of all flushes.

    .venv/bin/python -m bench.usage_cost
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from console.clock import ManualClock
from console.storage.sqlite_store import SqliteStateStore
from console.usage.load_watch import LoadResult
from console.usage.recorder import UsageRecorder

START = 1_800_000_000.0
"""A fixed present for the manual clock."""

EVENTS = 200_000
"""Events counted per kind when timing one event."""


def per_event(count: Callable[[int], None]) -> float:
    """Microseconds one call of `count` takes, on average over `EVENTS`."""
    began = time.perf_counter()
    for index in range(EVENTS):
        count(index)
    return (time.perf_counter() - began) / EVENTS * 1e6


def store_size(path: Path) -> int:
    """Bytes of the store's file and its write-ahead log."""
    return sum(
        candidate.stat().st_size
        for candidate in (path, Path(f"{path}-wal"))
        if candidate.exists()
    )


def main() -> None:
    """Print the figures."""
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpu, "
        f"Python {platform.python_version()}"
    )
    clock = ManualClock(START)
    memory = SqliteStateStore.in_memory()
    recorder = UsageRecorder(memory, clock, user="u", host="h", profile="demo")
    timings = {
        "source call": per_event(
            lambda i: recorder.source_called(f"s{i % 8}", 0.05, i % 50 == 0)
        ),
        "panel draw": per_event(
            lambda i: recorder.panel_drawn("service", f"p{i % 12}", 0.002)
        ),
        "action": per_event(
            lambda i: recorder.action(("drill", "back", "move")[i % 3])
        ),
    }
    for name, micros in timings.items():
        print(f"{name:<12} {micros:6.2f} µs to count")
    memory.close()

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "state.db"
        store = SqliteStateStore(path)
        before = store_size(path)
        clock = ManualClock(START)
        recorder = UsageRecorder(store, clock, user="u", host="h", profile="demo")
        flushing = 0.0
        recorder.started()
        for second in range(3600):
            clock.set(START + second)
            recorder.source_called(f"s{second % 4}", 0.05 + (second % 7) / 100, False)
            if second % 5 == 0:
                for panel in range(12):
                    recorder.panel_drawn("service", f"p{panel}", 0.003)
            if second % 10 == 0:
                recorder.action("move")
            if second % 300 == 0:
                recorder.dashboard_opened(f"d{second // 300 % 3}")
                recorder.loaded(LoadResult(f"d{second // 300 % 3}", 0.8, {}, []))
            due = recorder.flush_at()
            if due is not None and clock.now() >= due:
                began = time.perf_counter()
                recorder.flush()
                flushing += time.perf_counter() - began
        recorder.close()
        records = len(store.usage(since=0))
        store.close()
        grown = store_size(path) - before
    print(
        f"one busy hour: {records} records, store grew {grown / 1024:.0f} KiB, "
        f"flushes took {flushing * 1000:.1f} ms in all"
    )


if __name__ == "__main__":
    main()

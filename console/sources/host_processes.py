"""The busiest processes of this machine, as a table, read with psutil.

A process's cpu % is its CPU time since the previous scan, so the scanner keeps one
`psutil.Process` per running process between scans. It runs in a worker thread.
"""

from __future__ import annotations

import time

import psutil

from console.results import Cell, TableResult

COLUMNS = ("pid", "name", "user", "cpu %", "memory %", "rss MB")
"""The columns of the top_processes table, in order."""

FIRST_SCAN_PAUSE = 0.25
"""Seconds between the two scans of the very first call, so that its cpu % figures
are measured rather than all zero. Spent in the worker thread, once."""

_ATTRIBUTES = ["name", "username", "cpu_percent", "memory_percent", "memory_info"]
_BYTES_PER_MB = 1024 * 1024


class ProcessScanner:
    """Lists processes by CPU use, remembering each between scans.

    Not safe to call from two threads at once; the host source serialises calls.
    """

    def __init__(self) -> None:
        self._known: dict[int, psutil.Process] = {}
        self._primed = False

    def top(self, limit: int) -> TableResult:
        """The `limit` processes using the most CPU, then the most memory."""
        if not self._primed:
            self._scan()
            self._primed = True
            time.sleep(FIRST_SCAN_PAUSE)
        rows = self._scan()
        rows.sort(key=_busiest_first)
        return TableResult(columns=COLUMNS, rows=rows[:limit])

    def forget(self) -> None:
        """Drop every remembered process."""
        self._known.clear()
        self._primed = False

    def _scan(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        alive: dict[int, psutil.Process] = {}
        for pid in psutil.pids():
            process = self._process(pid)
            if process is None:
                continue
            try:
                # as_dict fills in None where access is denied, and reads the
                # attributes in one pass of the process's files.
                info = process.as_dict(_ATTRIBUTES, ad_value=None)
            except psutil.NoSuchProcess:
                # The process ended between listing the pids and reading it.
                continue
            alive[pid] = process
            rows.append(_row(pid, info))
        # Only processes still running are kept, so the memory held stays in step
        # with the machine's process count.
        self._known = alive
        return rows

    def _process(self, pid: int) -> psutil.Process | None:
        known = self._known.get(pid)
        try:
            # A remembered process whose pid was reused by a new one would lend the
            # newcomer its CPU history; is_running compares creation times.
            if known is not None and known.is_running():
                return known
            return psutil.Process(pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            # Gone since the pids were listed, or hidden from us: either way there
            # is no row to show for it.
            return None


def _row(pid: int, info: dict[str, object]) -> list[Cell]:
    memory = info.get("memory_info")
    rss = getattr(memory, "rss", None)
    cpu = info.get("cpu_percent")
    percent = info.get("memory_percent")
    name = info.get("name")
    user = info.get("username")
    return [
        pid,
        name if isinstance(name, str) else None,
        user if isinstance(user, str) else None,
        round(cpu, 1) if isinstance(cpu, float) else None,
        round(percent, 2) if isinstance(percent, float) else None,
        round(rss / _BYTES_PER_MB, 1) if isinstance(rss, int) else None,
    ]


def _busiest_first(row: list[Cell]) -> tuple[float, float]:
    cpu, memory = row[3], row[4]
    return (
        -(cpu if isinstance(cpu, float) else 0.0),
        -(memory if isinstance(memory, float) else 0.0),
    )

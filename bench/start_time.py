"""How long from starting watchdeck to a complete first screen with data.

Each program runs in a pty (the harness of `bench.pty_run`), and what it writes is
fed into a terminal emulator model (pyte), so the benchmark sees the screen a user
would see. For watchdeck "complete" means: the header shows "● LIVE" (every panel
fresh) and no panel on screen says "NO DATA" or "waiting". The peers (htop, btop,
glances) have no such state, so for every program two more figures are given: the
first byte written, and the end of the first burst of output (the first moment
followed by half a second of quiet). `watchdeck snapshot`, which renders headless
once data has arrived, is timed as a further figure.

    (pyte, a terminal emulator model, comes with the dev extra)
    .venv/bin/python -m bench.start_time [--size 160x48] [--runs 1]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import io
import itertools
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.pty_run import (
    TerminalResponder,
    TerminalSize,
    _PtySession,
    spawn_in_pty,
    terminal_env,
)
from bench.scale_profile import make_profile
from bench.terminal_cost import (
    Program,
    cpu_model,
    default_programs,
    is_installed,
    program_version,
    scratch_home,
)

QUIET_GAP_S = 0.5
"""Output paused this long ends a burst: the first frame is taken as drawn."""

_SLICE_S = 0.005
FEED_QUIET_S = 0.02
"""Output paused this long is handed to the screen model (see `ScreenTap`)."""
_MIB = 1024 * 1024


def _pyte() -> Any:
    """The pyte module, imported late: it is a benchmark-only dependency."""
    try:
        return importlib.import_module("pyte")
    except ModuleNotFoundError:
        sys.exit("bench.start_time needs pyte: .venv/bin/pip install pyte")


class ScreenTap(io.BytesIO):
    """Takes the harness's transcript: keeps a model of the screen, and when each
    chunk of output arrived.

    Chunks are timed as they are read but reach the screen model only on `flush`,
    which `run_until` calls once the output has paused for `FEED_QUIET_S`. The
    model (pyte, pure Python) takes milliseconds per kilobyte; fed as each chunk
    arrives, it would hold up the reading of the next one (and the program, once
    the pty's buffer is full), adding its own time to every figure.
    """

    def __init__(self, size: TerminalSize) -> None:
        super().__init__()
        pyte = _pyte()
        self.screen = pyte.Screen(size.cols, size.rows)
        self._stream = pyte.ByteStream(self.screen)
        self.arrivals: list[tuple[float, int]] = []
        """(monotonic time, bytes) of every chunk read from the terminal."""
        self.watchers: list[Callable[[float], None]] = []
        """Called with a chunk's arrival time once it has reached the screen."""
        self._pending: list[tuple[float, bytes]] = []

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        now = time.monotonic()
        self.arrivals.append((now, len(chunk)))
        self._pending.append((now, chunk))
        return len(chunk)

    def waiting(self) -> list[tuple[float, bytes]]:
        """The chunks read but not yet fed to the model, with their arrival times."""
        return list(self._pending)

    def quiet(self, gap: float = 0.0) -> bool:
        """Whether chunks wait for the model and none arrived in the last `gap` s."""
        return bool(self._pending) and time.monotonic() - self.arrivals[-1][0] >= gap

    def flush(self) -> None:
        """Feed the waiting chunks to the screen model one by one, calling the
        watchers after each with its arrival time."""
        pending, self._pending = self._pending, []
        for arrived, chunk in pending:
            self._stream.feed(chunk)
            for watcher in list(self.watchers):
                watcher(arrived)

    def text(self) -> str:
        """The screen's characters, one line per row."""
        return "\n".join(self.screen.display)

    def first_quiet(self, after: float, gap: float = QUIET_GAP_S) -> float | None:
        """Arrival time of the last chunk before the first pause of `gap` seconds."""
        times = [t for t, _ in self.arrivals if t >= after]
        for current, following in itertools.pairwise(times):
            if following - current >= gap:
                return current
        if times and time.monotonic() - times[-1] >= gap:
            return times[-1]
        return None


@contextlib.contextmanager
def pty_screen(
    argv: Sequence[str],
    size: TerminalSize,
    env: Mapping[str, str],
    quit_keys: bytes = b"q",
) -> Iterator[tuple[_PtySession, ScreenTap]]:
    """Start `argv` in a pty whose output feeds a screen model; stop it afterwards."""
    tap = ScreenTap(size)
    started = time.monotonic()
    pid, master = spawn_in_pty(argv, size, env)
    session = _PtySession(
        pid,
        master,
        started=started,
        responder=TerminalResponder(size),
        sample_interval_s=0.5,
        measure_uss=False,
        transcript=tap,
    )
    try:
        yield session, tap
        session.stop(quit_keys, 3.0)
    finally:
        session.clean_up(3.0)


def watchdeck_complete(text: str) -> bool:
    """All panels on screen have data, and the header says they are fresh."""
    return "● LIVE" in text and "NO DATA" not in text and "waiting" not in text


def run_until(
    session: _PtySession,
    tap: ScreenTap,
    done: Callable[[], bool],
    timeout_s: float,
    *,
    since: float | None = None,
) -> bool:
    """Drain the program until `done()` or `timeout_s` after `since` (default: its
    start), feeding the screen model in the pauses; False on timeout or exit."""
    deadline = (session.started if since is None else since) + timeout_s
    while True:
        if tap.quiet(FEED_QUIET_S):
            tap.flush()
        if done():
            return True
        now = time.monotonic()
        if now >= deadline or not session.run_until(min(deadline, now + _SLICE_S)):
            tap.flush()
            return done()


@dataclass(frozen=True)
class StartFigures:
    """One program's start, in seconds from the moment it was started."""

    name: str
    first_output: float | None
    first_burst_end: float | None
    complete: float | None
    """watchdeck only: first screen with every panel showing data."""
    peak_rss_mib: float


def measure_start(
    name: str,
    argv: Sequence[str],
    size: TerminalSize,
    env: Mapping[str, str],
    *,
    complete: Callable[[str], bool] | None,
    timeout_s: float,
    quit_keys: bytes,
) -> StartFigures:
    """Start the program, wait for its first burst (and a complete screen)."""
    with pty_screen(argv, size, env, quit_keys) as (session, tap):
        done_at: list[float] = []

        def check(now: float) -> None:
            if complete is not None and not done_at and complete(tap.text()):
                done_at.append(now)

        tap.watchers.append(check)

        def finished() -> bool:
            burst = tap.first_quiet(session.started) is not None
            return burst and (complete is None or bool(done_at))

        run_until(session, tap, finished, timeout_s)
        session.sample()
        burst_end = tap.first_quiet(session.started)
    return StartFigures(
        name=name,
        first_output=session.first_output,
        first_burst_end=None if burst_end is None else burst_end - session.started,
        complete=done_at[0] - session.started if done_at else None,
        peak_rss_mib=session.peak_rss / _MIB,
    )


def time_snapshot(
    watchdeck: str, profile: str | None, size: TerminalSize, env: Mapping[str, str]
) -> float | None:
    """Wall time of `watchdeck snapshot`, which renders once data has arrived."""
    argv = [watchdeck, "snapshot", "--size", str(size)]
    if profile is not None:
        argv += ["--profile", profile]
    started = time.monotonic()
    done = subprocess.run(
        argv, capture_output=True, env=dict(env), timeout=120, check=False
    )
    elapsed = time.monotonic() - started
    return elapsed if done.returncode == 0 else None


def machine_lines(size: TerminalSize, programs: Sequence[Program]) -> list[str]:
    """Where and when the figures were taken, and the programs' versions."""
    now = datetime.datetime.now(datetime.UTC)
    memory = psutil.virtual_memory().total / (1024 * _MIB)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    versions = "; ".join(f"{p.name}: {program_version(p)}" for p in programs)
    return [
        f"date: {now:%Y-%m-%d %H:%M} UTC",
        f"machine: {cpu_model()}, {os.cpu_count()} logical cores, "
        f"{memory:.1f} GiB memory, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"load average at start: {load}",
        f"terminal: {size}, TERM=xterm-256color, LANG=C.UTF-8",
        f"versions: {versions}",
    ]


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _median(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    # A run that never got there counts as the slowest.
    if len(known) < len(values):
        known += [float("inf")] * (len(values) - len(known))
    middle = statistics.median(known) if known else None
    return None if middle is None or math.isinf(middle) else middle


@dataclass(frozen=True)
class StartRow:
    """Several starts of one program: the median of each figure, and the spread
    (fastest and slowest) of the one that matters most for it."""

    median: StartFigures
    spread: tuple[float | None, float | None]
    snapshot: float | None
    runs: int


def combine(
    runs: Sequence[StartFigures], snapshots: Sequence[float | None]
) -> StartRow:
    """Median figures over `runs` (one program), with the spread of the headline:
    the complete screen where there is one, else the end of the first burst."""
    first = runs[0]
    median = StartFigures(
        name=first.name,
        first_output=_median([r.first_output for r in runs]),
        first_burst_end=_median([r.first_burst_end for r in runs]),
        complete=_median([r.complete for r in runs]),
        peak_rss_mib=max(r.peak_rss_mib for r in runs),
    )
    headline = [
        r.complete if first.complete is not None else r.first_burst_end for r in runs
    ]
    known = [value for value in headline if value is not None]
    spread = (min(known), max(known)) if known else (None, None)
    snapshot = _median(snapshots) if any(s is not None for s in snapshots) else None
    return StartRow(median, spread, snapshot, len(runs))


def format_table(rows: Sequence[StartRow]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| program | runs | first output (s) | first burst ends (s)"
        " | complete with data (s) | fastest–slowest (s) | `snapshot` (s)"
        " | peak RSS MiB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        figures = row.median
        low, high = row.spread
        lines.append(
            f"| {figures.name} | {row.runs} | {_seconds(figures.first_output)} "
            f"| {_seconds(figures.first_burst_end)} | {_seconds(figures.complete)} "
            f"| {_seconds(low)}–{_seconds(high)} | {_seconds(row.snapshot)} "
            f"| {figures.peak_rss_mib:.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Time the start of watchdeck (demo, operations, a 200-panel profile) and its
    peers, each several times (the 200-panel profile once: it takes half a minute,
    and its figure is far above the noise)."""
    parser = argparse.ArgumentParser(prog="python -m bench.start_time")
    parser.add_argument("--size", type=TerminalSize.parse, default="160x48")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds (60)")
    parser.add_argument("--panels", type=int, default=200, help="generated (200)")
    parser.add_argument("--series", type=int, default=5000, help="generated (5000)")
    parser.add_argument(
        "--repeat", type=int, default=5, help="starts per program, medians shown (5)"
    )
    options = parser.parse_args(argv)
    size: TerminalSize = options.size
    programs = default_programs()
    watchdeck = programs[0].argv[0]
    print("\n".join(f"- {line}" for line in machine_lines(size, programs[1:])))
    rows: list[StartRow] = []
    with tempfile.TemporaryDirectory(prefix="watchdeck-start-") as scratch:
        generated = Path(scratch) / "generated.yaml"
        generated.write_text(make_profile(options.panels, options.series))
        label = f"watchdeck {options.panels} panels"
        runs: list[tuple[str, list[str], str | None, int]] = [
            ("watchdeck demo", [watchdeck, "run"], None, options.repeat),
            (
                "watchdeck operations",
                [watchdeck, "run", "--profile", "operations"],
                "operations",
                options.repeat,
            ),
            (
                label,
                [watchdeck, "run", "--profile", str(generated)],
                str(generated),
                1,
            ),
        ]
        for name, command, profile, repeat in runs:
            figures: list[StartFigures] = []
            snapshots: list[float | None] = []
            for _ in range(repeat):
                with scratch_home(True) as home:
                    env = terminal_env(extra=home)
                    figures.append(
                        measure_start(
                            name,
                            command,
                            size,
                            env,
                            complete=watchdeck_complete,
                            timeout_s=options.timeout,
                            quit_keys=programs[0].quit_keys,
                        )
                    )
                    snapshots.append(time_snapshot(watchdeck, profile, size, env))
            rows.append(combine(figures, snapshots))
        for program in programs:
            if program.name.startswith("watchdeck") or not is_installed(program):
                continue
            peer: list[StartFigures] = []
            for _ in range(options.repeat):
                with scratch_home(True) as home:
                    peer.append(
                        measure_start(
                            program.name,
                            program.argv,
                            size,
                            terminal_env(extra=home),
                            complete=None,
                            timeout_s=options.timeout,
                            quit_keys=program.quit_keys,
                        )
                    )
            rows.append(combine(peer, [None] * len(peer)))
    print()
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

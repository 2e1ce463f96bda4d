"""How long from a keypress to the screen that shows it, while panels poll.

watchdeck runs in a pty (the harness of `bench.pty_run`) whose output feeds a screen
model (pyte, see `bench.start_time`). Once the first complete screen is up (or after
`--settle` seconds, whichever comes first) and `--steady` seconds more have passed
(for the panels out of view to get their first data), Tab is pressed about fifty
times, with a pause of a few hundred milliseconds after each answer. For every press
two times are taken from the moment the key was written:

- first byte: the first output that follows the key;
- focus shown: the moment the screen shows the heavy border (the focused panel's) at
  another place than before the key.

The presses land at random moments of the 5 s polling cycle, so some of them meet a
repaint of every panel; the p95 is where that shows.

    .venv/bin/python -m bench.key_latency [--presses 50] [--size 160x48]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len

from bench.pty_run import TerminalSize, _PtySession, terminal_env
from bench.scale_profile import make_profile
from bench.start_time import (
    ScreenTap,
    machine_lines,
    pty_screen,
    run_until,
    watchdeck_complete,
)
from bench.terminal_cost import default_programs, scratch_home

TAB = b"\t"
FOCUS_CORNER = "┏━ "
"""The start of a heavy border's top line, before the panel's title: only the
focused panel has one. (The big digits of single values have heavy corners too,
never followed by a line and a space.)"""


def focus_marks(tap: ScreenTap) -> frozenset[tuple[int, int]]:
    """Where on screen focused panels' corners are."""
    return frozenset(
        (row, col)
        for row, line in enumerate(tap.screen.display)
        for col in range(len(line) - 2)
        if line[col : col + 3] == FOCUS_CORNER
    )


@dataclass(frozen=True)
class Press:
    """One keypress and what followed, in seconds after the key was written."""

    first_byte: float | None
    focus_shown: float | None


@dataclass(frozen=True)
class Latencies:
    """The presses of one run, and how the screen stood when they began."""

    name: str
    presses: list[Press]
    complete_before: bool
    """Whether every panel had data before the first press."""


def press_and_wait(session: _PtySession, tap: ScreenTap, timeout_s: float) -> Press:
    """Send Tab and wait for the focus to move on screen.

    The screen model is not fed while waiting: it would hold up the reading of
    the answer (see `ScreenTap`). The answer is found in the raw output instead,
    as a heavy corner written where none was before the key.
    """
    tap.flush()
    before = focus_marks(tap)
    sent = time.monotonic()
    os.write(session.master, TAB)
    deadline = sent + timeout_s
    focus: float | None = None
    scanned = 0
    while focus is None:
        chunks = tap.waiting()
        for index in range(scanned, len(chunks)):
            so_far = b"".join(chunk for _, chunk in chunks[: index + 1])
            if corners_drawn(so_far) - before:
                focus = chunks[index][0]
                break
        scanned = len(chunks)
        now = time.monotonic()
        if focus is not None or now >= deadline:
            break
        if not session.run_until(min(deadline, now + 0.005)):
            break
    chunks = tap.waiting()
    tap.flush()
    return Press(
        first_byte=chunks[0][0] - sent if chunks else None,
        focus_shown=None if focus is None else focus - sent,
    )


_ESCAPE = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])"
)
_CURSOR_TO = re.compile(rb"\x1b\[(\d*);?(\d*)H")


def corners_drawn(data: bytes) -> set[tuple[int, int]]:
    """Where (row, column; from 0) `data` writes focused panels' corners.

    A small reading of the output for what this benchmark needs: the cursor is
    followed through absolute moves (`CSI row;col H`, which is how Textual places
    every line it updates), carriage returns and line feeds, and every other
    escape sequence is skipped. A character cut off at the end is ignored.
    """
    cells: dict[tuple[int, int], str] = {}
    row = column = 0
    at = 0
    for escape in _ESCAPE.finditer(data):
        row, column = _advance(data[at : escape.start()], row, column, cells)
        move = _CURSOR_TO.fullmatch(escape.group())
        if move is not None:
            row = int(move.group(1) or 1) - 1
            column = int(move.group(2) or 1) - 1
        at = escape.end()
    _advance(data[at:], row, column, cells)
    return {
        (row, column)
        for (row, column), char in cells.items()
        if char == FOCUS_CORNER[0]
        and cells.get((row, column + 1)) == FOCUS_CORNER[1]
        and cells.get((row, column + 2)) == FOCUS_CORNER[2]
    }


def _advance(
    text: bytes, row: int, column: int, cells: dict[tuple[int, int], str]
) -> tuple[int, int]:
    for char in text.decode("utf-8", errors="ignore"):
        if char == "\r":
            column = 0
        elif char == "\n":
            row += 1
        else:
            cells[row, column] = char
            column += cell_len(char)
    return row, column


def measure(
    name: str,
    argv: Sequence[str],
    size: TerminalSize,
    *,
    presses: int,
    settle_s: float,
    steady_s: float,
    rng: random.Random,
) -> Latencies:
    """Start watchdeck, let it settle, and time `presses` presses of Tab."""
    with scratch_home(True) as home:
        env = terminal_env(extra=home)
        with pty_screen(argv, size, env, b"\x11") as (session, tap):
            complete = run_until(
                session, tap, lambda: watchdeck_complete(tap.text()), settle_s
            )
            # Panels scrolled out of view are still getting their first answers
            # (a 200-panel dashboard fills in over some seconds); the presses are
            # meant to meet the steady polling, not that.
            session.run_until(time.monotonic() + steady_s)
            tap.flush()
            results: list[Press] = []
            for _ in range(presses):
                results.append(press_and_wait(session, tap, 5.0))
                session.run_until(time.monotonic() + rng.uniform(0.15, 0.45))
    return Latencies(name, results, complete)


def _percentiles(values: list[float]) -> str:
    if not values:
        return "– | – | –"
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"{statistics.median(ms):.0f} | {p95:.0f} | {ms[-1]:.0f}"


def format_table(runs: Sequence[Latencies]) -> str:
    """p50, p95 and max of both times per run, as a Markdown table."""
    lines = [
        "| profile | data on screen | presses | focus shown p50 / p95 / max (ms)"
        " | first byte p50 / p95 / max (ms) | no answer in 5 s |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for run in runs:
        shown = [p.focus_shown for p in run.presses if p.focus_shown is not None]
        first = [p.first_byte for p in run.presses if p.first_byte is not None]
        missed = len(run.presses) - len(shown)
        lines.append(
            f"| {run.name} | {'complete' if run.complete_before else 'not yet'} "
            f"| {len(run.presses)} | {_percentiles(shown).replace(' | ', ' / ')} "
            f"| {_percentiles(first).replace(' | ', ' / ')} | {missed} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Key latency on the demo and on a generated 200-panel profile."""
    parser = argparse.ArgumentParser(prog="python -m bench.key_latency")
    parser.add_argument("--size", type=TerminalSize.parse, default="160x48")
    parser.add_argument("--presses", type=int, default=50, help="Tab presses (50)")
    parser.add_argument("--settle", type=float, default=30.0, help="seconds (30)")
    parser.add_argument(
        "--steady",
        type=float,
        default=20.0,
        help="seconds to run on after the screen is complete, before pressing (20)",
    )
    parser.add_argument("--panels", type=int, default=200, help="generated (200)")
    parser.add_argument("--series", type=int, default=5000, help="generated (5000)")
    parser.add_argument("--seed", type=int, default=1, help="pause between presses")
    options = parser.parse_args(argv)
    size: TerminalSize = options.size
    programs = default_programs()
    watchdeck = programs[0].argv[0]
    print("\n".join(f"- {line}" for line in machine_lines(size, programs[:1])))
    rng = random.Random(options.seed)
    runs: list[Latencies] = []
    with tempfile.TemporaryDirectory(prefix="watchdeck-keys-") as scratch:
        generated = Path(scratch) / "generated.yaml"
        generated.write_text(make_profile(options.panels, options.series))
        short = Path(scratch) / "generated-10m.yaml"
        short.write_text(make_profile(options.panels, options.series, span="10m"))
        label = f"{options.panels} panels, {options.series} series"
        commands = [
            ("demo", [watchdeck, "run"]),
            (f"{label}, range 1h", [watchdeck, "run", "--profile", str(generated)]),
            (f"{label}, range 10m", [watchdeck, "run", "--profile", str(short)]),
        ]
        for name, command in commands:
            runs.append(
                measure(
                    name,
                    command,
                    size,
                    presses=options.presses,
                    settle_s=options.settle,
                    steady_s=options.steady,
                    rng=rng,
                )
            )
    print()
    print(format_table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

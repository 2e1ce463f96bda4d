"""Run the installed `watchdeck lint` as a real process and measure what it cost.

Shared by the reliability tests (which check the exit status and the output) and
`bench/hostile_lint.py` (which prints the figures); tests never assert the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WATCHDECK = Path(sys.executable).parent / "watchdeck"


@dataclass(frozen=True, slots=True)
class LintRun:
    """What one `watchdeck lint` process printed and cost."""

    status: int
    out: str
    err: str
    seconds: float
    """Wall time from start to exit."""
    peak_mb: float
    """The process's peak resident memory, from the kernel's own accounting."""


def lint_process(*paths: Path, timeout: float = 60.0) -> LintRun:
    """Run `watchdeck lint paths...` and wait for it, reading its rusage."""
    started = time.monotonic()
    process = subprocess.Popen(
        [str(WATCHDECK), "lint", *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    # A hang guard only: a lint that hangs is killed, and fails on its status.
    guard = threading.Timer(timeout, process.kill)
    guard.start()
    try:
        out, err = _read_all(process)
    finally:
        guard.cancel()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return LintRun(process.returncode, out, err, seconds, usage.ru_maxrss / 1024)


def _read_all(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Both outputs, read without letting Popen reap the process, so that wait4
    can collect its resource usage."""
    assert process.stdout is not None and process.stderr is not None
    # Reading stdout then stderr is safe here: lint writes one summary line to
    # stderr, which can never fill the pipe while stdout is read.
    out = process.stdout.read()
    err = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    return out, err

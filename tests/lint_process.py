"""Run the installed `watchdeck lint` as a real process and measure what it cost.

Shared by the reliability tests (which check the exit status and the output) and
`bench/hostile_lint.py` (which prints the figures); tests never assert the time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
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


_LAUNCHER = """
import os, resource, subprocess, sys
result = subprocess.run(sys.argv[2:])
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as out:
    out.write(str(peak_kib))
sys.exit(result.returncode)
"""
"""Runs the command and writes its peak memory to a file. The kernel's peak for a
child counts the memory of the process it was forked from, up to the exec; a
large test process (hundreds of MB late in a full run) would be charged to every
lint. Forked from this small launcher instead, the lint is charged its own."""


def lint_process(*paths: Path, timeout: float = 60.0) -> LintRun:
    """Run `watchdeck lint paths...` and wait for it, reading its peak memory."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lint-peak-") as folder:
        peak_file = Path(folder) / "peak"
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _LAUNCHER,
                str(peak_file),
                str(WATCHDECK),
                "lint",
                *map(str, paths),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            start_new_session=True,
        )
        # A hang guard only: a lint that hangs is killed, and fails on its status.
        guard = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        guard.start()
        try:
            out, err = process.communicate()
        finally:
            guard.cancel()
        seconds = time.monotonic() - started
        peak_kib = float(peak_file.read_text()) if peak_file.exists() else 0.0
    return LintRun(process.returncode, out, err, seconds, peak_kib / 1024)

"""The mechanics of the pty benchmark harness, with tiny programs written inline.

No timing is asserted: only that bytes are counted exactly, queries are answered,
and nothing the harness started outlives it.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import psutil

from bench.pty_run import TerminalResponder, TerminalSize, run_in_pty

WRITER = textwrap.dedent(
    """
    import json, os, select, sys, tty
    tty.setraw(0)
    info = {"pid": os.getpid(), "size": list(os.get_terminal_size(0))}
    try:
        os.close(os.open("/dev/tty", os.O_RDWR))
        info["controlling_tty"] = True
    except OSError:
        info["controlling_tty"] = False
    # Ask the terminal who it is and wait for the answer, as some programs do.
    os.write(1, b"\\x1b[c")
    reply = b""
    while not reply.endswith(b"c") and select.select([0], [], [], 5)[0]:
        reply += os.read(0, 64)
    info["reply"] = reply.decode()
    count = 3
    while True:
        if select.select([0], [], [], 0.05)[0] and b"q" in os.read(0, 64):
            break
        count += os.write(1, b"x" * 100)
    info["count"] = count
    with open(sys.argv[1], "w") as out:
        json.dump(info, out)
    """
)
"""Writes about 2 kB/s until it reads "q", then reports what it wrote in total."""

STUBBORN = textwrap.dedent(
    """
    import os, signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = subprocess.Popen(["sleep", "60"])
    with open(sys.argv[1], "w") as out:
        out.write(f"{os.getpid()} {child.pid}")
    while True:
        os.write(1, b".")
        time.sleep(0.05)
    """
)
"""Ignores SIGTERM and leaves a child of its own in the process group."""


def _gone(pid: int) -> bool:
    """Dead: no such process, or a zombie left for init to reap."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_responder_answers_queries_split_across_reads() -> None:
    """A query cut in two by the reads is answered once, when it is complete."""
    responder = TerminalResponder(TerminalSize(80, 24))
    assert responder.feed(b"hello\x1b[") == b""
    assert responder.feed(b"c") == b"\x1b[?62;22c"
    assert responder.feed(b"\x1b[999;999H\x1b[6n") == b"\x1b[24;80R"
    assert responder.feed(b"\x1b[?2026$p\x1b[?2048$p") == (
        b"\x1b[?2026;2$y\x1b[?2048;0$y"
    )
    assert responder.feed(b"\x1b[0m\x1b]11;?\x1b") == b""
    assert responder.feed(b"\\") == b"\x1b]11;rgb:0000/0000/0000\x1b\\"
    assert responder.queries["DA1 primary device attributes"] == 1
    assert responder.queries["DSR 6n cursor position"] == 1
    assert responder.queries["OSC 11 colour"] == 1


def test_counts_every_byte_and_reaps_the_program(tmp_path: Path) -> None:
    """Every byte the program wrote is counted, and it is gone after its quit key."""
    report = tmp_path / "report.json"
    result = run_in_pty(
        [sys.executable, "-c", WRITER, str(report)],
        size=TerminalSize(100, 30),
        warmup_s=0.3,
        window_s=0.5,
        quit_keys=b"q",
    )
    info = json.loads(report.read_text())
    assert result.stopped_by == "quit key"
    assert result.returncode == 0
    assert result.total_bytes == info["count"]
    assert result.window_bytes > 0
    assert result.startup_bytes + result.window_bytes <= result.total_bytes
    assert result.cpu_percent is not None
    assert result.peak_rss_bytes > 0
    assert info["size"] == [100, 30]
    assert info["controlling_tty"]
    assert info["reply"] == "\x1b[?62;22c"
    assert result.queries == {"DA1 primary device attributes": 1}
    assert result.leftover_pids == ()
    assert _gone(info["pid"])


def test_kills_a_program_that_ignores_sigterm_and_its_children(
    tmp_path: Path,
) -> None:
    """Without a quit key: SIGTERM, then SIGKILL to the whole process group."""
    pids = tmp_path / "pids"
    result = run_in_pty(
        [sys.executable, "-c", STUBBORN, str(pids)],
        warmup_s=0.3,
        window_s=0.2,
        stop_grace_s=0.3,
    )
    program, child = (int(pid) for pid in pids.read_text().split())
    assert result.stopped_by == "SIGKILL"
    assert result.returncode == -9
    assert result.leftover_pids == ()
    assert _gone(program)
    assert _gone(child)

"""Every way out restores the terminal, SIGHUP ends the console promptly, the console
listens on no socket, and odd terminals and a resize storm draw without a crash.

The console runs under `sh` in tmux, so that after it ends the same terminal can be
asked (`stty -a`) whether it was left in a usable state: canonical mode and echo on.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.test_end_to_end_tmux import CRASHING_CONSOLE, WATCHDECK, Tmux, require_tmux

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

HANG_GUARD = 10.0
"""Seconds after which a console that has not ended fails the test: a hang guard,
not a speed requirement (figures are printed; see docs/reliability.md)."""


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(require_tmux(), tmp_path)
    yield session
    session.kill()


def start_under_shell(tmux: Tmux, command: list[str], **kwargs: object) -> Path:
    """Run `command` under sh, which records the terminal's modes once it ends."""
    after = tmux.home / "stty-after.txt"
    quoted = " ".join(f"'{part}'" for part in command)
    script = f"{quoted}; echo \"exit=$?\" > '{after}.status'; stty -a > '{after}'"
    tmux.start(["/bin/sh", "-c", script], **kwargs)  # type: ignore[arg-type]
    return after


def console_process(tmux: Tmux) -> psutil.Process:
    shell = psutil.Process(int(tmux.pane("#{pane_pid}")))
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        children = shell.children()
        if children:
            return children[0]
        time.sleep(0.05)
    raise AssertionError("the console never started")


def assert_terminal_restored(tmux: Tmux, after: Path) -> str:
    """The shell got its terminal back: modes sane, alternate screen left."""
    deadline = time.monotonic() + HANG_GUARD
    while not after.exists() or not after.read_text().strip():
        assert time.monotonic() < deadline, "the shell never ran stty afterwards"
        time.sleep(0.05)
    modes = after.read_text().split()
    assert "icanon" in modes and "echo" in modes, "canonical mode and echo are back"
    assert "-icanon" not in modes and "-echo" not in modes
    tmux.wait_dead(HANG_GUARD)
    assert tmux.pane("#{alternate_on}") == "0", "left the alternate screen"
    assert tmux.pane("#{mouse_any_flag}") == "0", "mouse reporting is off"
    return Path(f"{after}.status").read_text().strip()


@pytest.mark.parametrize("way", ["q", "ctrl-c", "SIGTERM", "SIGHUP", "exception"])
def test_every_way_out_restores_the_terminal(tmux: Tmux, way: str) -> None:
    command = (
        [sys.executable, "-c", CRASHING_CONSOLE]
        if way == "exception"
        else [str(WATCHDECK)]
    )
    after = start_under_shell(tmux, command)
    tmux.wait_for(lambda s: "p99 latency" in s)
    console = console_process(tmux)
    started = time.monotonic()
    if way == "q":
        tmux.keys("q")
    elif way == "ctrl-c":
        tmux.keys("C-c")
    elif way == "exception":
        tmux.keys("r")
    else:
        os.kill(console.pid, getattr(signal, way))
    console.wait(HANG_GUARD)
    took = time.monotonic() - started
    status = assert_terminal_restored(tmux, after)
    print(f"\n{way}: ended {took:.2f}s after, {status}")
    if way == "q":
        assert status == "exit=0"
    elif way == "exception":
        assert status != "exit=0"


def test_the_console_listens_on_no_socket(tmux: Tmux) -> None:
    tmux.start([str(WATCHDECK)])
    tmux.wait_for(lambda s: "p99 latency" in s and "LIVE" in s)
    console = psutil.Process(int(tmux.pane("#{pane_pid}")))
    family = [console, *console.children(recursive=True)]
    connections = [c for p in family for c in p.net_connections(kind="all")]
    listening = [c for c in connections if c.status == psutil.CONN_LISTEN]
    assert listening == []
    # /proc agrees: no socket of the process's own in the LISTEN state (0A).
    inodes = {
        os.readlink(f"/proc/{console.pid}/fd/{fd}")
        for fd in os.listdir(f"/proc/{console.pid}/fd")
    }
    sockets = {name[8:-1] for name in inodes if name.startswith("socket:[")}
    for table in ("tcp", "tcp6", "udp", "udp6"):
        lines = Path(f"/proc/{console.pid}/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            assert not (fields[9] in sockets and fields[3] == "0A"), line
    tmux.keys("q")
    tmux.wait_dead(HANG_GUARD)


@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "screen-256color", "NO_COLOR": "1"},
        {"TERM": "xterm", "LANG": "C.UTF-8"},
    ],
    ids=["tmux-term-no-color", "xterm-c-utf8-no-colorterm"],
)
def test_a_resize_storm_draws_without_a_crash(tmux: Tmux, env: dict[str, str]) -> None:
    tmux.start([str(WATCHDECK)], size=(80, 24), extra_env=env)
    tmux.wait_for(lambda s: "Requests" in s)
    sizes = [(60, 15), (200, 60), (80, 24), (41, 12), (132, 43), (20, 6)]
    for index in range(60):
        columns, lines = sizes[index % len(sizes)]
        tmux.run(
            "resize-window", "-t", tmux.session, "-x", str(columns), "-y", str(lines)
        )
    tmux.run("resize-window", "-t", tmux.session, "-x", "80", "-y", "24")
    screen = tmux.wait_for(lambda s: "Requests" in s and "Error rate" in s)
    assert "Traceback" not in screen
    # Digits recall bookmarks; the dashboard list (d) switches dashboards.
    tmux.keys("Tab", "d")
    tmux.wait_for(lambda s: "This host" in s)
    tmux.keys("Down", "Enter")
    tmux.wait_for(lambda s: "CPU per core" in s)
    tmux.keys("q")
    tmux.wait_dead(HANG_GUARD)
    assert tmux.exit_status() in ("0", None), tmux.screen()

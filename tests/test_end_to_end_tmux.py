"""The installed `watchdeck` command driven in tmux as a person would: wait for the
demo, press keys, read the screen, leave; and leaving by signal restores the terminal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow

WATCHDECK = Path(sys.executable).parent / "watchdeck"


def require_tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required in CI; scripts/install-system-packages.sh")
        pytest.skip("tmux is not installed")
    return tmux


class Tmux:
    """One detached tmux server and session running a command."""

    def __init__(self, tmux: str, home: Path) -> None:
        self.tmux = tmux
        self.socket = f"wd-{uuid.uuid4().hex[:8]}"
        self.session = "wd"
        self.home = home

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def start(
        self,
        command: list[str],
        size: tuple[int, int] = (120, 40),
        extra_env: dict[str, str] | None = None,
    ) -> None:
        env = {
            "HOME": str(self.home),
            "XDG_STATE_HOME": str(self.home / "state"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            **(extra_env or {}),
        }
        env_args = [f"{k}={v}" for k, v in env.items()]
        subprocess.run(
            [
                self.tmux,
                "-L",
                self.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                self.session,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                "env",
                "-i",
                *env_args,
                *command,
            ],
            check=True,
        )
        self.run("set-option", "-t", self.session, "remain-on-exit", "on")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def pane(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.session, fmt).strip()

    def wait_for(self, check: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"screen never showed what was expected:\n{screen}")

    def wait_dead(self, timeout: float) -> float:
        """Seconds until the pane's process ended; fails after `timeout`."""
        started = time.monotonic()
        dead_since: float | None = None
        while time.monotonic() - started < timeout:
            ended = self.pane("#{pane_dead}:#{pane_dead_status}#{pane_dead_signal}")
            now = time.monotonic()
            if ended.startswith("1:"):
                dead_since = dead_since or now
                # tmux marks the pane dead a moment before it records how it
                # ended, and on this sandbox sometimes never records it.
                if ended != "1:" or now - dead_since > 1.0:
                    return dead_since - started
            time.sleep(0.05)
        raise AssertionError(f"still running after {timeout}s:\n{self.screen()}")

    def exit_status(self) -> str | None:
        """How the pane's process ended, as tmux recorded it: the exit status, or
        None when tmux recorded nothing (seen now and then on this sandbox)."""
        status = self.pane("#{pane_dead_status}")
        signal_number = self.pane("#{pane_dead_signal}")
        if signal_number:
            return f"signal {signal_number}"
        return status or None

    def kill(self) -> None:
        self.run("kill-server")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(require_tmux(), tmp_path)
    yield session
    session.kill()


def test_demo_keys_drill_down_switch_help_and_quit(tmux: Tmux) -> None:
    tmux.start([str(WATCHDECK)])
    screen = tmux.wait_for(lambda s: "p99 latency" in s and "LIVE" in s)
    assert "Demo › checkout: service health" in screen
    tmux.wait_for(lambda s: "NO DATA" not in s, timeout=15)

    tmux.keys("Tab", "Tab", "Tab", "Tab")
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "query:" in s)
    assert "p99 latency" in screen and "thresholds" in screen
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "query:" not in s and "Requests" in s)

    tmux.keys("d")
    tmux.wait_for(lambda s: "This host" in s)
    tmux.keys("Down", "Enter")
    tmux.wait_for(lambda s: "CPU per core" in s and "Top processes" in s)
    tmux.keys("d")
    tmux.wait_for(lambda s: "This host" in s and "Enter opens" in s)
    tmux.keys("Up", "Enter")
    tmux.wait_for(lambda s: "Error rate" in s)

    tmux.keys("?")
    screen = tmux.wait_for(lambda s: "closes this help" in s)
    assert "Drill down" in screen and "Panel left" in screen
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "closes this help" not in s)

    tmux.keys("p")
    tmux.wait_for(lambda s: "PAUSED" in s)
    tmux.keys("p")
    tmux.wait_for(lambda s: "LIVE" in s)

    assert tmux.pane("#{alternate_on}") == "1"
    tmux.keys("q")
    tmux.wait_dead(5)
    assert tmux.pane("#{alternate_on}") == "0", "left the alternate screen"
    assert tmux.pane("#{mouse_any_flag}") == "0", "mouse tracking is off"
    assert tmux.exit_status() in ("0", None)


@pytest.mark.parametrize(
    ("sig", "limit"), [(signal.SIGTERM, 5.0), (signal.SIGHUP, 2.0)]
)
def test_signals_end_the_console_and_restore_the_terminal(
    tmux: Tmux, sig: signal.Signals, limit: float
) -> None:
    tmux.start([str(WATCHDECK)])
    tmux.wait_for(lambda s: "p99 latency" in s)
    pid = int(tmux.pane("#{pane_pid}"))
    process = psutil.Process(pid)
    os.kill(pid, sig)
    took = tmux.wait_dead(limit)
    assert took <= limit
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    if sig is signal.SIGTERM:
        assert tmux.pane("#{alternate_on}") == "0"


def test_ctrl_c_quits(tmux: Tmux) -> None:
    tmux.start([str(WATCHDECK)])
    tmux.wait_for(lambda s: "p99 latency" in s)
    tmux.keys("C-c")
    tmux.wait_dead(5)
    assert tmux.pane("#{alternate_on}") == "0"


def waiting_in_select(pid: int, timeout: float = 5.0) -> set[int]:
    """The threads of `pid` asleep in select(2): the input thread, once the others
    (the event loop in epoll, the writer and workers on locks) have settled."""
    deadline = time.monotonic() + timeout
    found: set[int] = set()
    while time.monotonic() < deadline:
        found = set()
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                if "poll_schedule" in (task / "wchan").read_text():
                    found.add(int(task.name))
        if len(found) == 1:
            return found
        time.sleep(0.1)
    return found


@pytest.mark.parametrize(
    "launch",
    ["{watchdeck}", "sh -c '{watchdeck}; echo left'"],
    ids=["from-the-shell", "under-a-parent-like-make"],
)
def test_ctrl_z_suspends_to_the_shell_and_fg_resumes_with_keys(
    tmux: Tmux, launch: str
) -> None:
    """Ctrl+Z stops it as a job, as in other terminal tools, the parent that started
    it too (or the shell would wait on for that parent); brought back with `fg`, it
    has ended its input thread and started a new one, which reads keys."""
    bash = shutil.which("bash") or "/bin/bash"
    tmux.start([bash, "--norc", "--noprofile"])
    tmux.keys(launch.format(watchdeck=WATCHDECK), "Enter")
    tmux.wait_for(lambda s: "p99 latency" in s and "LIVE" in s)
    shell = psutil.Process(int(tmux.pane("#{pane_pid}")))
    (console,) = [
        process
        for process in shell.children(recursive=True)
        if "python" in process.name() or "watchdeck" in process.name()
    ]
    (before,) = waiting_in_select(console.pid)
    tmux.keys("C-z")
    tmux.wait_for(lambda s: "Stopped" in s)
    tmux.keys("fg", "Enter")
    tmux.wait_for(lambda s: "p99 latency" in s and "LIVE" in s)
    (after,) = waiting_in_select(console.pid)
    assert after != before, "the old input thread ended and a new one reads"
    tmux.keys("?")
    tmux.wait_for(lambda s: "closes this help" in s)
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "closes this help" not in s and "Requests" in s)
    tmux.keys("q")
    console.wait(timeout=5)  # ends, or raises TimeoutExpired
    tmux.wait_for(lambda s: "p99 latency" not in s)


def test_ctrl_z_without_a_shell_to_return_to_says_so_and_runs_on(tmux: Tmux) -> None:
    """Started by tmux itself there is no job control: stopping would leave a blank
    terminal that nothing could bring back."""
    tmux.start([str(WATCHDECK)])
    tmux.wait_for(lambda s: "p99 latency" in s and "LIVE" in s)
    console = psutil.Process(int(tmux.pane("#{pane_pid}")))
    tmux.keys("C-z")
    tmux.wait_for(lambda s: "no shell to come back to" in s)
    assert console.status() != psutil.STATUS_STOPPED
    tmux.keys("?")
    tmux.wait_for(lambda s: "closes this help" in s)


def test_bad_profile_prints_located_problems_and_no_traceback(tmux: Tmux) -> None:
    bad = tmux.home / "bad.yaml"
    bad.write_text("profile: x\ntitle: X\ndashboards: []\ncolour: red\n")
    tmux.start([str(WATCHDECK), "--profile", str(bad)])
    tmux.wait_dead(10)
    screen = tmux.screen()
    assert f"{bad}:" in screen
    assert "Traceback" not in screen
    assert tmux.exit_status() in ("2", None)


@pytest.mark.parametrize(
    ("size", "env"),
    [
        ((80, 24), {"TERM": "xterm"}),
        ((160, 48), {"NO_COLOR": "1"}),
        ((240, 60), {"TERM": "screen-256color"}),
        ((100, 30), {"TERM": "xterm-256color", "COLORTERM": "truecolor"}),
    ],
    ids=["80x24-xterm16", "160x48-no-color", "240x60-tmux-term", "100x30-truecolor"],
)
def test_terminals_render_the_demo(
    tmux: Tmux, size: tuple[int, int], env: dict[str, str]
) -> None:
    tmux.start([str(WATCHDECK)], size=size, extra_env=env)
    screen = tmux.wait_for(lambda s: "Requests" in s and "LIVE" in s)
    assert "Traceback" not in screen
    tmux.wait_for(lambda s: "NO DATA" not in s, timeout=15)
    tmux.run("resize-window", "-t", tmux.session, "-x", "70", "-y", "20")
    tmux.wait_for(lambda s: "Requests" in s)
    tmux.keys("q")
    tmux.wait_dead(5)
    assert tmux.exit_status() in ("0", None), tmux.screen()
    assert "Traceback" not in tmux.screen()


CRASHING_CONSOLE = """
import sys
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import load_profile
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen

def explode(self):
    raise RuntimeError("a deliberate defect, raised by the test")

DashboardScreen.action_refresh = explode
app = WatchdeckApp(load_profile(shipped_profiles_dir() / "demo.yaml"))
app.run()
sys.exit(app.return_code or 0)
"""


def test_an_uncaught_exception_restores_the_terminal(tmux: Tmux) -> None:
    """The real console with one action patched to raise (a defect no real input
    can trigger on cue): the terminal must come back with the error shown."""
    tmux.start([sys.executable, "-c", CRASHING_CONSOLE])
    tmux.wait_for(lambda s: "p99 latency" in s)
    tmux.keys("r")
    tmux.wait_dead(10)
    assert tmux.pane("#{alternate_on}") == "0"
    assert tmux.pane("#{mouse_any_flag}") == "0"
    assert "a deliberate defect" in tmux.run(
        "capture-pane", "-p", "-S", "-200", "-t", tmux.session
    )
    assert tmux.exit_status() in ("1", None)

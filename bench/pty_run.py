"""Run a full-screen terminal program in a pseudo-terminal and measure its cost.

The program gets a pty of a fixed size as its controlling terminal, in a session and
process group of its own. The harness drains the master side continuously, so the
program never blocks on a full pty buffer, and answers the queries a real terminal
would answer. After a warm-up it measures a steady window: bytes written to the
terminal, CPU time of the whole process tree, and memory sampled every half second.
Then it stops the program and makes sure nothing of its process group is left.

Linux only: the CPU and memory figures come from psutil's Linux fields.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import selectors
import shutil
import signal
import struct
import termios
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import BinaryIO

import psutil

DEFAULT_TERM = "xterm-256color"
"""The terminal type most programs are tuned for, and what tmux and SSH pass on."""

DEFAULT_LANG = "C.UTF-8"
"""A UTF-8 locale present on every Debian system, so box drawing is not degraded."""

DEFAULT_PRIVATE_MODES: Mapping[int, int] = MappingProxyType({2026: 2})
"""DECRQM answers for private modes: synchronized output is supported (and reset),
as in most terminals of today; every other mode is reported as not recognized."""

_READ_SIZE = 65536
_TAIL_SIZE = 4096

_CLEARED_VARIABLES = (
    "COLORTERM",
    "COLUMNS",
    "FORCE_COLOR",
    "KITTY_WINDOW_ID",
    "LC_ALL",
    "LC_CTYPE",
    "LINES",
    "NO_COLOR",
    "STY",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "TMUX",
    "TMUX_PANE",
    "VTE_VERSION",
    "WT_SESSION",
)
"""Variables of the caller's own terminal that would change what a program draws:
COLUMNS and LINES override the pty size in curses, LC_ALL overrides LANG."""


@dataclass(frozen=True)
class TerminalSize:
    """A terminal's size in character cells."""

    cols: int
    rows: int

    @classmethod
    def parse(cls, text: str) -> TerminalSize:
        """Read a size written as `COLSxROWS`, e.g. `160x48`."""
        cols, sep, rows = text.lower().partition("x")
        if not sep or not cols.isdigit() or not rows.isdigit():
            raise ValueError(f"terminal size must look like 160x48, not {text!r}")
        size = cls(int(cols), int(rows))
        if size.cols < 1 or size.rows < 1:
            raise ValueError(f"terminal size must be positive, not {text!r}")
        return size

    def __str__(self) -> str:
        return f"{self.cols}x{self.rows}"


DEFAULT_SIZE = TerminalSize(80, 24)
"""The classic size, and the smallest a console on a bastion should cope with."""


def terminal_env(
    *,
    term: str = DEFAULT_TERM,
    colorterm: str | None = None,
    lang: str = DEFAULT_LANG,
    extra: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Build the environment of a program under test.

    Starts from `base` (the harness's own environment when left out), removes what
    describes the caller's real terminal and Textual's developer settings, then sets
    TERM, LANG and, only when given, COLORTERM. `extra` is applied last and wins.
    """
    env = dict(os.environ if base is None else base)
    for name in _CLEARED_VARIABLES:
        env.pop(name, None)
    for name in [name for name in env if name.startswith("TEXTUAL")]:
        del env[name]
    env["TERM"] = term
    env["LANG"] = lang
    if colorterm is not None:
        env["COLORTERM"] = colorterm
    env.update(extra or {})
    return env


_SEQUENCE = re.compile(
    rb"\x1b\[(?P<cup>\d*(?:;\d*)?)[Hf]"
    rb"|\x1b\[(?P<da1>0?)c"
    rb"|\x1b\[>(?P<da2>0?)c"
    rb"|\x1b\[(?P<dsr>[56])n"
    rb"|\x1b\[\?(?P<decrqm>\d+)\$p"
    rb"|\x1b\[(?P<window>1[48])t"
    rb"|\x1b\[>(?P<xtversion>0?)q"
    rb"|\x1b\[\?(?P<kitty>)u"
    rb"|\x1b\](?P<osc>1[01]);\?(?:\x07|\x1b\\)"
    rb"|\x1bP(?P<dcs>\+q|\$q)(?P<dcs_body>[^\x1b]*)\x1b\\"
)
"""Cursor moves (tracked so a position report is plausible) and terminal queries."""

_QUERY_NAMES = {
    "da1": "DA1 primary device attributes",
    "da2": "DA2 secondary device attributes",
    "decrqm": "DECRQM mode {}",
    "window": "XTWINOPS {}t size report",
    "xtversion": "XTVERSION",
    "kitty": "kitty keyboard flags (no reply, as xterm)",
    "osc": "OSC {} colour",
    "dcs": "DCS {} (answered as invalid)",
}
_OSC_COLOURS = {b"10": b"rgb:e5e5/e5e5/e5e5", b"11": b"rgb:0000/0000/0000"}
_LONGEST_PARTIAL = 256


class TerminalResponder:
    """Answers the queries a program writes, the way an xterm-like terminal would.

    Only the absolute cursor moves are tracked, so a cursor position report is right
    for the common "move to the far corner, then ask" size probe and approximate
    otherwise. Every query seen is counted by name in `queries`.
    """

    def __init__(
        self,
        size: TerminalSize,
        *,
        private_modes: Mapping[int, int] = DEFAULT_PRIVATE_MODES,
    ) -> None:
        self.size = size
        self.private_modes = private_modes
        self.queries: Counter[str] = Counter()
        self._row = 1
        self._col = 1
        self._partial = b""

    def feed(self, data: bytes) -> bytes:
        """Take the next bytes the program wrote; return what the terminal replies."""
        buffer = self._partial + data
        replies: list[bytes] = []
        end = 0
        for match in _SEQUENCE.finditer(buffer):
            end = match.end()
            reply = self._answer(match)
            if reply:
                replies.append(reply)
        # A query split across two reads must still be seen once: keep the unmatched
        # end of the buffer, from its first escape, to scan again with the next call.
        start = buffer.find(b"\x1b", max(end, len(buffer) - _LONGEST_PARTIAL))
        self._partial = buffer[start:] if start >= 0 else b""
        return b"".join(replies)

    def _answer(self, match: re.Match[bytes]) -> bytes:
        kind = match.lastgroup
        if kind == "dcs_body":
            kind = "dcs"
        value = match.group(kind) if kind else b""
        if kind == "cup":
            self._move_to(value)
            return b""
        if kind == "dsr":
            return self._status_report(value)
        if kind is not None:
            self.queries[_QUERY_NAMES[kind].format(value.decode())] += 1
        if kind == "da1":
            return b"\x1b[?62;22c"
        if kind == "da2":
            return b"\x1b[>1;10;0c"
        if kind == "decrqm":
            state = self.private_modes.get(int(value), 0)
            return b"\x1b[?%s;%d$y" % (value, state)
        if kind == "window":
            if value == b"18":
                return b"\x1b[8;%d;%dt" % (self.size.rows, self.size.cols)
            return b"\x1b[4;%d;%dt" % (self.size.rows * 16, self.size.cols * 8)
        if kind == "xtversion":
            return b"\x1bP>|xterm(390)\x1b\\"
        if kind == "osc":
            return b"\x1b]%s;%s\x1b\\" % (value, _OSC_COLOURS[value])
        if kind == "dcs":
            return b"\x1bP0%s\x1b\\" % value.replace(b"q", b"r")
        return b""

    def _move_to(self, params: bytes) -> None:
        row, _, col = params.partition(b";")
        self._row = min(max(int(row or b"1"), 1), self.size.rows)
        self._col = min(max(int(col or b"1"), 1), self.size.cols)

    def _status_report(self, code: bytes) -> bytes:
        if code == b"5":
            self.queries["DSR 5n device status"] += 1
            return b"\x1b[0n"
        self.queries["DSR 6n cursor position"] += 1
        return b"\x1b[%d;%dR" % (self._row, self._col)


@dataclass(frozen=True)
class PtyRunResult:
    """What one run of a program in a pty cost."""

    argv: tuple[str, ...]
    """The command that ran."""
    size: TerminalSize
    """The terminal size it ran in."""
    first_output_s: float | None
    """Seconds from start to the first byte written; None if it wrote nothing."""
    startup_bytes: int
    """Bytes written during the warm-up, first screen included."""
    window_bytes: int
    """Bytes written during the steady window."""
    window_s: float
    """The steady window's measured length in seconds (shorter if it exited)."""
    total_bytes: int
    """Every byte read from the terminal, shutdown output included."""
    cpu_percent: float | None
    """CPU time of the process tree over the window, in percent of one core; None
    when the program did not live through the window."""
    peak_rss_bytes: int
    """Largest resident set summed over the process tree, over the whole run."""
    peak_uss_bytes: int | None
    """Largest unique set summed over the tree; None when not measured."""
    queries: Mapping[str, int]
    """Terminal queries the program sent, by name, with how often."""
    replies_dropped: int
    """Replies not delivered because the program was not reading its input."""
    stopped_by: str
    """How it ended: "exited" on its own, "quit key", "SIGTERM" or "SIGKILL"."""
    returncode: int | None
    """Exit code, or minus the signal number; None if it could not be reaped."""
    leftover_pids: tuple[int, ...]
    """Processes of its group or tree still alive after the cleanup; normally none."""
    output_tail: bytes
    """The last bytes it wrote, to tell a crash message from a screen."""

    @property
    def bytes_per_second(self) -> float:
        """Bytes written per second during the steady window."""
        return self.window_bytes / self.window_s if self.window_s > 0 else 0.0

    @property
    def exited_early(self) -> bool:
        """Whether the program ended before the harness stopped it."""
        return self.stopped_by == "exited"


def set_window_size(fd: int, size: TerminalSize) -> None:
    """Set the size a terminal reports to the programs that ask (TIOCSWINSZ)."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size.rows, size.cols, 0, 0))


def spawn_in_pty(
    argv: Sequence[str],
    size: TerminalSize,
    env: Mapping[str, str],
    cwd: str | None = None,
) -> tuple[int, int]:
    """Start `argv` on a new pty as its controlling terminal; return (pid, master).

    The size is set before the program starts, so its first look at the terminal is
    right. The program leads a new session, hence a process group whose id is its
    pid. Raises FileNotFoundError when the executable is not on env's PATH.
    """
    executable = shutil.which(argv[0], path=env.get("PATH", os.defpath))
    if executable is None:
        raise FileNotFoundError(f"{argv[0]}: not installed")
    master, slave = os.openpty()
    set_window_size(slave, size)
    pid = os.fork()
    if pid == 0:
        # In the child only async-signal-safe work happens between fork and exec.
        try:
            os.close(master)
            os.login_tty(slave)
            if cwd is not None:
                os.chdir(cwd)
            os.execve(executable, list(argv), dict(env))
        except OSError as error:
            os.write(2, f"cannot start {argv[0]}: {error}\r\n".encode())
        finally:
            os._exit(127)
    os.close(slave)
    os.set_blocking(master, False)
    return pid, master


class _PtySession:
    """One program on one pty: drains its output, samples it, and stops it."""

    def __init__(
        self,
        pid: int,
        master: int,
        *,
        started: float,
        responder: TerminalResponder,
        sample_interval_s: float,
        measure_uss: bool,
        transcript: BinaryIO | None,
    ) -> None:
        self.pid = pid
        self.master = master
        self.responder = responder
        self.started = started
        self.first_output: float | None = None
        self.total_bytes = 0
        self.replies_dropped = 0
        self.peak_rss = 0
        self.peak_uss: int | None = 0 if measure_uss else None
        self.returncode: int | None = None
        self.tail = bytearray()
        self._eof = False
        self._sample_interval = sample_interval_s
        self._next_sample = self.started
        self._transcript = transcript
        self._root = psutil.Process(pid)
        self._known: dict[int, psutil.Process] = {pid: self._root}
        self._selector = selectors.DefaultSelector()
        self._selector.register(master, selectors.EVENT_READ)

    def run_until(self, deadline: float) -> bool:
        """Drain and sample until `deadline`; False if the program exited first."""
        while not self.reap():
            now = time.monotonic()
            if now >= deadline:
                return True
            if now >= self._next_sample:
                self.sample()
                self._next_sample = now + self._sample_interval
            timeout = min(deadline, self._next_sample) - now
            if self._eof:
                # Nothing left to read but the program lives on: poll its exit.
                time.sleep(min(timeout, 0.05))
            elif self._selector.select(timeout):
                self._read()
        return False

    def reap(self) -> bool:
        """Collect the program's exit status if it has ended; True once it has."""
        if self.returncode is not None:
            return True
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            # Someone else reaped it; its status is lost but it is gone.
            self.returncode = -1
            return True
        if pid == 0:
            return False
        self.returncode = os.waitstatus_to_exitcode(status)
        return True

    def _read(self) -> None:
        try:
            data = os.read(self.master, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            # EIO: no process holds the terminal open any more.
            data = b""
        if not data:
            self._eof = True
            self._selector.unregister(self.master)
            return
        if self.first_output is None:
            self.first_output = time.monotonic() - self.started
        self.total_bytes += len(data)
        self.tail += data
        del self.tail[:-_TAIL_SIZE]
        if self._transcript is not None:
            self._transcript.write(data)
        reply = self.responder.feed(data)
        if reply:
            self._write(reply)

    def _write(self, data: bytes) -> None:
        try:
            written = os.write(self.master, data)
        except OSError:
            written = 0
        if written < len(data):
            self.replies_dropped += 1

    def tree(self) -> list[psutil.Process]:
        """The program and its live descendants; remembered for the cleanup."""
        try:
            procs = [self._root, *self._root.children(recursive=True)]
        except psutil.Error:
            # The root is gone; its orphans are found through the known set.
            procs = [p for p in self._known.values() if p.is_running()]
        for proc in procs:
            self._known.setdefault(proc.pid, proc)
        return procs

    def sample(self) -> None:
        """Add the tree's current memory to the peaks."""
        rss = uss = 0
        for proc in self.tree():
            try:
                if self.peak_uss is None:
                    rss += proc.memory_info().rss
                else:
                    full = proc.memory_full_info()
                    rss += full.rss
                    uss += full.uss
            except psutil.Error:
                # A process that ended between listing and reading holds no memory.
                continue
        self.peak_rss = max(self.peak_rss, rss)
        if self.peak_uss is not None:
            self.peak_uss = max(self.peak_uss, uss)

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by the tree, reaped children included."""
        total = 0.0
        for proc in self.tree():
            try:
                times = proc.cpu_times()
            except psutil.Error:
                if proc is self._root:
                    return None
                continue
            # children_* hold descendants already reaped, so none is counted twice.
            total += times.user + times.system + times.children_user
            total += times.children_system
        return total

    def stop(self, quit_keys: bytes | None, grace_s: float) -> str:
        """End the program: quit key, then SIGTERM, then SIGKILL to its group."""
        if self.reap():
            return "exited"
        if quit_keys:
            self._write(quit_keys)
            if not self.run_until(time.monotonic() + grace_s):
                return "quit key"
        self._signal_group(signal.SIGTERM)
        if not self.run_until(time.monotonic() + grace_s):
            return "SIGTERM"
        self._signal_group(signal.SIGKILL)
        self.run_until(time.monotonic() + grace_s)
        return "SIGKILL"

    def _signal_group(self, signum: signal.Signals) -> None:
        # The group is gone once its last member is; nothing left to signal.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signum)

    def clean_up(self, grace_s: float) -> tuple[int, ...]:
        """Kill what is left of the group and tree; return pids that survived.

        Also the way out when the measurement was interrupted, so it reaps the
        program itself too.
        """
        self._signal_group(signal.SIGKILL)
        strays = [p for p in self._known.values() if p.pid != self.pid]
        for proc in strays:
            try:
                proc.kill()
            except psutil.Error:
                continue
        psutil.wait_procs(strays, timeout=grace_s)
        deadline = time.monotonic() + grace_s
        while not self.reap() and time.monotonic() < deadline:
            time.sleep(0.01)
        self._drain_remaining()
        self._selector.close()
        os.close(self.master)
        return self._survivors()

    def _drain_remaining(self) -> None:
        # Bounded, in case a survivor keeps writing.
        for _ in range(64):
            if self._eof or not self._selector.select(0):
                return
            self._read()

    def _survivors(self) -> tuple[int, ...]:
        alive = {p.pid for p in self._known.values() if _is_alive(p)}
        for proc in psutil.process_iter():
            try:
                if os.getpgid(proc.pid) == self.pid and _is_alive(proc):
                    alive.add(proc.pid)
            except (ProcessLookupError, psutil.Error):
                continue
        return tuple(sorted(alive))


def _is_alive(proc: psutil.Process) -> bool:
    """Running and not a zombie (a zombie is dead, merely waiting to be reaped)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@dataclass(frozen=True)
class _Window:
    """Figures of the warm-up and the steady window."""

    startup_bytes: int
    window_bytes: int
    window_s: float
    cpu_percent: float | None


def _measure(session: _PtySession, warmup_s: float, window_s: float) -> _Window:
    lived = session.run_until(session.started + warmup_s)
    startup_bytes = session.total_bytes
    window_start = time.monotonic()
    cpu_start = session.cpu_seconds() if lived else None
    lived = lived and session.run_until(window_start + window_s)
    window_end = time.monotonic()
    cpu_end = session.cpu_seconds() if lived else None
    session.sample()
    cpu_percent = None
    if cpu_start is not None and cpu_end is not None:
        cpu_percent = 100.0 * (cpu_end - cpu_start) / (window_end - window_start)
    return _Window(
        startup_bytes=startup_bytes,
        window_bytes=session.total_bytes - startup_bytes,
        window_s=max(window_end - window_start, 0.0),
        cpu_percent=cpu_percent,
    )


def run_in_pty(
    argv: Sequence[str],
    *,
    size: TerminalSize = DEFAULT_SIZE,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    warmup_s: float = 10.0,
    window_s: float = 30.0,
    quit_keys: bytes | None = None,
    stop_grace_s: float = 3.0,
    sample_interval_s: float = 0.5,
    measure_uss: bool = True,
    private_modes: Mapping[int, int] = DEFAULT_PRIVATE_MODES,
    transcript: BinaryIO | None = None,
) -> PtyRunResult:
    """Run `argv` in a `size` pty, warm it up, measure a steady window, stop it.

    `env` defaults to `terminal_env()`. `quit_keys` are typed to stop the program;
    SIGTERM follows if it is still running after `stop_grace_s`, then SIGKILL.
    `transcript`, when given, receives every byte the program wrote. Raises
    FileNotFoundError when the executable is missing.
    """
    started = time.monotonic()
    pid, master = spawn_in_pty(argv, size, terminal_env() if env is None else env, cwd)
    session = _PtySession(
        pid,
        master,
        started=started,
        responder=TerminalResponder(size, private_modes=private_modes),
        sample_interval_s=sample_interval_s,
        measure_uss=measure_uss,
        transcript=transcript,
    )
    try:
        window = _measure(session, warmup_s, window_s)
        stopped_by = session.stop(quit_keys, stop_grace_s)
    finally:
        # Also on Ctrl-C or an error: no program may outlive its benchmark.
        leftovers = session.clean_up(stop_grace_s)
    return PtyRunResult(
        argv=tuple(argv),
        size=size,
        first_output_s=session.first_output,
        startup_bytes=window.startup_bytes,
        window_bytes=window.window_bytes,
        window_s=window.window_s,
        total_bytes=session.total_bytes,
        cpu_percent=window.cpu_percent,
        peak_rss_bytes=session.peak_rss,
        peak_uss_bytes=session.peak_uss,
        queries=dict(session.responder.queries),
        replies_dropped=session.replies_dropped,
        stopped_by=stopped_by,
        returncode=session.returncode,
        leftover_pids=leftovers,
        output_tail=bytes(session.tail),
    )

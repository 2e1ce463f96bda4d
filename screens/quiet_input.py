"""A terminal driver whose input thread sleeps until there is something to read.

Textual's Linux driver reads keys in a thread that wakes every tenth of a second,
whether or not a key came, to notice that the app is stopping and to time out a
lone Escape. On a shared host that is ten wake-ups a second for nothing, for as
long as the console is open. This driver's thread waits on the terminal and on a
pipe that stopping writes to; it sets a timeout only while the key parser holds a
half-read sequence (an Escape that may start one), for as long as the parser asks.
"""

from __future__ import annotations

import contextlib
import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Callable
from threading import Event, Lock
from typing import Any

from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

FALLBACK_TIMEOUT = 0.1
"""Seconds to wait when the parser does not say when its half-read sequence times
out (a Textual that renamed what this reads): Textual's own polling interval."""


class _WakingEvent(Event):
    """An event that, when set, also writes to the pipe its reader waits on."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = Lock()
        self._wake_fd = -1

    def attach(self, wake_fd: int) -> None:
        """Write to `wake_fd` from now on (-1: to nothing)."""
        with self._lock:
            self._wake_fd = wake_fd

    def set(self) -> None:
        super().set()
        with self._lock:
            if self._wake_fd < 0:
                return
            # A full pipe means its reader is awake already.
            with contextlib.suppress(BlockingIOError):
                os.write(self._wake_fd, b"x")


class QuietLinuxDriver(LinuxDriver):
    """Textual's Linux driver, with an input thread that does not poll."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stopping = _WakingEvent()
        self.exit_event = self._stopping

    def run_input_thread(self) -> None:
        """Read the terminal and hand its keys to the app until stopping. Runs
        again after a suspend, each time with a pipe of its own."""
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        self._stopping.attach(wake_write)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        # select(2), as Textual's own driver: epoll refuses a regular file on stdin.
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        try:
            # Stopping may have begun before the pipe was attached.
            if not self._stopping.is_set():
                selector.register(wake_read, selectors.EVENT_READ)
                while not self._stopping.is_set():
                    self._take(selector.select(_parser_timeout(parser)), parser, decode)
                selector.unregister(wake_read)
            # Keys typed just before stopping are still handed over, as Textual's
            # own driver does.
            self._take(selector.select(0.1), parser, decode, final=True)
        finally:
            self._stopping.attach(-1)
            selector.close()
            os.close(wake_read)
            os.close(wake_write)

    def _take(
        self,
        ready: list[tuple[selectors.SelectorKey, int]],
        parser: XTermParser,
        decode: Callable[..., str],
        *,
        final: bool = False,
    ) -> None:
        """Hand the app what the terminal sent, and any key the parser gave up
        waiting to complete (a lone Escape)."""
        for key, _mask in ready:
            if key.fd != self.fileno:
                continue  # the wake pipe: the loop's test sees the stop
            text = decode(os.read(self.fileno, 4096), final=final)
            if not text:
                break
            for message in parser.feed(text):
                self.process_message(message)
        for message in parser.tick():
            self.process_message(message)


def _parser_timeout(parser: XTermParser) -> float | None:
    """Seconds until `parser` gives up on its half-read sequence; None to wait
    for input without limit when nothing is half-read."""
    if not hasattr(parser, "_timeout_time"):
        return FALLBACK_TIMEOUT
    deadline: float | None = parser._timeout_time
    if deadline is None:
        return None
    return max(0.0, deadline - get_time())  # the clock the parser set it by

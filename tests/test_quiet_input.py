"""The input thread of `QuietLinuxDriver` sleeps until a key comes or the app stops.

The driver reads a real pipe here in place of the terminal; the app is left out:
`process_message`, which hands messages to the app, is replaced by a list, and
`_take`, the step each wake-up runs, is counted. Textual's own driver would run it
ten times a second while nothing is typed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from textual import events
from textual.message import Message

from screens.quiet_input import QuietLinuxDriver


class RecordingDriver(QuietLinuxDriver):
    """Keeps what it would hand the app, and counts its wake-ups."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received: list[Message] = []
        self.wakeups = 0

    def process_message(self, message: Message) -> None:
        self.received.append(message)

    def _take(self, *args: Any, **kwargs: Any) -> None:
        self.wakeups += 1
        super()._take(*args, **kwargs)


class Running:
    """A driver's input thread reading the read end of a pipe."""

    def __init__(self, driver: RecordingDriver, write_fd: int) -> None:
        self.driver = driver
        self.write_fd = write_fd
        self.thread = threading.Thread(target=driver.run_input_thread, daemon=True)
        self.thread.start()

    def type(self, text: str) -> None:
        os.write(self.write_fd, text.encode())

    def keys(self) -> list[str]:
        return [m.key for m in self.driver.received if isinstance(m, events.Key)]

    def wait_for_keys(self, count: int, timeout: float = 5.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.keys()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.keys()

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop as Textual does; True when the thread ended within `timeout`."""
        self.driver.exit_event.set()
        self.thread.join(timeout)
        return not self.thread.is_alive()


@pytest.fixture
async def piped() -> AsyncIterator[tuple[RecordingDriver, int]]:
    """A driver reading a pipe, and the pipe's write end."""
    # The driver puts handlers for suspend and resume in place; put ours back.
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTSTP, signal.SIGCONT)}
    read_fd, write_fd = os.pipe()
    driver = RecordingDriver(app=None)
    driver.fileno = read_fd
    try:
        yield driver, write_fd
    finally:
        os.close(read_fd)
        os.close(write_fd)
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture
def running(piped: tuple[RecordingDriver, int]) -> Iterator[Running]:
    started = Running(*piped)
    try:
        yield started
    finally:
        started.stop()


async def test_idle_thread_does_not_wake(running: Running) -> None:
    time.sleep(0.6)
    assert running.driver.wakeups == 0
    assert running.thread.is_alive()


async def test_keys_arrive_and_each_wakes_it_once(running: Running) -> None:
    running.type("a")
    assert running.wait_for_keys(1) == ["a"]
    running.type("\x1b[B")  # the Down arrow, one sequence
    assert running.wait_for_keys(2) == ["a", "down"]
    time.sleep(0.3)
    assert running.driver.wakeups == 2


async def test_lone_escape_is_given_up_on_and_delivered(running: Running) -> None:
    """An Escape may start a sequence; the parser waits a moment for the rest, and
    the thread wakes for that moment only, then sleeps again."""
    running.type("\x1b")
    assert running.wait_for_keys(1) == ["escape"]
    settled = running.driver.wakeups
    time.sleep(0.5)
    assert running.driver.wakeups == settled
    assert settled <= 3  # the byte, the parser's timeout, perhaps one early wake


async def test_stopping_wakes_the_sleeping_thread(running: Running) -> None:
    time.sleep(0.2)
    # Without the wake pipe the thread would sleep on until the next key.
    assert running.stop(timeout=2.0)


async def test_a_stop_before_the_thread_starts_is_not_missed(
    piped: tuple[RecordingDriver, int],
) -> None:
    driver, _ = piped
    driver.exit_event.set()
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    thread.join(2.0)
    assert not thread.is_alive()

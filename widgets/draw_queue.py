"""One queue for the pictures waiting to be drawn, drawn one at a time.

When a refresh answers for many panels at once, each panel used to draw from its
own message queue. asyncio runs every task that is ready in one turn of its loop,
so five charts of forty series ready together drew back to back, and a key pressed
meanwhile waited for all of them (a quarter of a second on a 200-panel dashboard).
Drawn from one queue that pauses after each picture, a key waits for one picture
at most. A key also holds the queue for a moment: answering it takes
several turns of the loop (the key, the focus, the screen's next frame), and a
picture drawn in each of those turns would add up again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Hashable
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App

Draw = Callable[[], None]

GAP = 0.005
"""Seconds between two pictures. A key reaches the app in several turns of the event
loop (the input thread hands it over, then the app's queue takes it), and a picture
drawn in each turn held a key up to 130 ms during a refresh at 200 panels; a short
gap lets those turns run, and the key's hold stops the pictures that follow."""


class DrawQueue:
    """Pictures waiting to be drawn, oldest request first, a short gap between two.

    A picture asked for again while it waits keeps its place and draws once.
    The draining runs as a worker of the app, so an error in a drawing reaches
    the app like any other instead of vanishing with a bare task.
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._waiting: dict[Hashable, Draw] = {}
        self._draining = False
        self._held_until = 0.0

    def request(self, key: Hashable, draw: Draw) -> None:
        """Draw with `draw` soon; a request for a waiting `key` changes nothing."""
        self._waiting.setdefault(key, draw)
        if not self._draining:
            self._draining = True
            self._app.run_worker(self._drain(), group="draw-queue", exclusive=False)

    def hold(self, seconds: float) -> None:
        """Draw nothing for the next `seconds`: the user is pressing keys."""
        self._held_until = max(self._held_until, time.monotonic() + seconds)

    def forget(self, key: Hashable) -> None:
        """Drop `key`'s waiting picture (its widget is going away)."""
        self._waiting.pop(key, None)

    async def _drain(self) -> None:
        try:
            while self._waiting:
                wait = self._held_until - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                key = next(iter(self._waiting))
                draw = self._waiting.pop(key)
                draw()
                await asyncio.sleep(GAP)
        finally:
            self._draining = False


_queues: WeakKeyDictionary[App[Any], DrawQueue] = WeakKeyDictionary()


def draw_queue_for(app: App[Any]) -> DrawQueue:
    """The draw queue of `app`, made on first use."""
    queue = _queues.get(app)
    if queue is None:
        queue = DrawQueue(app)
        _queues[app] = queue
    return queue

"""Playing a recording back: a clock that runs at a chosen speed from the
recording's first sample, and a feeder that puts recorded answers into a store as
that clock passes their times.

Nothing here asks a source anything: the recording is the only input. The screens
side (screens/replay_app.py) arms one timer for the next recorded moment.
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.recording import RecordingHeader, read_recording, result_of
from console.results import FetchFailure
from console.store import Store

MAX_SPEED = 64.0
"""The fastest a replay runs, in multiples of real time."""

MIN_SPEED = 1.0 / 64.0
"""The slowest a replay runs."""


class RecordingError(Exception):
    """A recording cannot be replayed; the message is one line, naming the file."""


@dataclass(frozen=True, slots=True)
class Recording:
    """A recording read whole: its header and its events in time order."""

    header: RecordingHeader
    events: list[dict[str, Any]]
    """`sample`, `failure` and `alert` lines, oldest first."""

    @property
    def first(self) -> float:
        """The time of the first event: where a replay starts."""
        return float(self.events[0]["t"])

    @property
    def last(self) -> float:
        """The time of the last event: where a replay ends."""
        return float(self.events[-1]["t"])


def load_recording(path: Path) -> Recording:
    """Read a recording; raises RecordingError with a one-line reason."""
    try:
        lines = list(read_recording(path))
    except FileNotFoundError:
        raise RecordingError(f"{path}: no such file") from None
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise RecordingError(f"{path}: not a recording ({error})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RecordingError(f"{path}: a line is not JSON ({error})") from None
    if not lines or lines[0].get("k") != "header":
        raise RecordingError(f"{path}: not a recording (no header line)")
    first = lines[0]
    try:
        header = RecordingHeader(
            str(first["profile"]),
            {str(k): str(v) for k, v in dict(first.get("variables", {})).items()},
            float(first["started"]),
        )
        events = [line for line in lines[1:] if line.get("k") in _KINDS]
        for line in events:
            line["t"] = float(line["t"])
    except (KeyError, TypeError, ValueError) as error:
        raise RecordingError(f"{path}: a line is malformed ({error})") from None
    if not any(line["k"] == "sample" for line in events):
        raise RecordingError(f"{path}: the recording holds no samples")
    events.sort(key=lambda line: line["t"])
    return Recording(header, events)


_KINDS = frozenset({"sample", "failure", "alert"})


class ReplayClock:
    """Recorded time: starts at `start`, runs at `speed` times real time, can be
    paused, sped up, slowed down and moved."""

    def __init__(
        self,
        start: float,
        *,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._monotonic = monotonic
        self._base = start
        self._since = monotonic()
        self._speed = _bounded(speed)
        self._paused = False

    def now(self) -> float:
        """The recorded time the replay has reached."""
        if self._paused:
            return self._base
        return self._base + (self._monotonic() - self._since) * self._speed

    @property
    def speed(self) -> float:
        """Multiples of real time."""
        return self._speed

    @property
    def paused(self) -> bool:
        """True while recorded time stands still."""
        return self._paused

    def pause(self) -> None:
        """Hold recorded time where it is."""
        self._rebase(self.now())
        self._paused = True

    def resume(self) -> None:
        """Let recorded time run again from where it stood."""
        self._rebase(self.now())
        self._paused = False

    def set_speed(self, speed: float) -> float:
        """Run at `speed` (kept within MIN_SPEED..MAX_SPEED); returns the speed."""
        self._rebase(self.now())
        self._speed = _bounded(speed)
        return self._speed

    def seek(self, when: float) -> None:
        """Jump to recorded time `when`, paused or not as before."""
        self._rebase(when)

    def _rebase(self, when: float) -> None:
        self._base = when
        self._since = self._monotonic()


def _bounded(speed: float) -> float:
    return min(MAX_SPEED, max(MIN_SPEED, speed))


class ReplayFeeder:
    """Puts a recording's answers into a store as replayed time passes them."""

    def __init__(self, recording: Recording, store: Store) -> None:
        self.recording = recording
        self._store = store
        self._times = [line["t"] for line in recording.events]
        self._next = 0
        self._alerts_fed = 0
        self._known: frozenset[str] = frozenset()
        self._fed: set[str] = set()

    @property
    def fed_until(self) -> float:
        """The time of the last event fed, or -inf before the first."""
        return self._times[self._next - 1] if self._next else float("-inf")

    def next_time(self) -> float | None:
        """When the next event is due, or None past the last."""
        return self._times[self._next] if self._next < len(self._times) else None

    def feed(self, now: float) -> tuple[frozenset[str], list[Mapping[str, Any]]]:
        """Feed every event up to `now`: the query keys that changed, and the alert
        changes not handed out before (each is handed out once, even after a seek
        back). When the store wants queries it did not before (another dashboard),
        everything up to `now` is fed again so that they get their history."""
        wanted = frozenset(state.key for state in self._store)
        # A query the store forgot (a new window after a zoom or pan) also needs
        # its history again.
        emptied = any(
            state.key in self._fed and not state.has_data() and state.last_error is None
            for state in self._store
        )
        if wanted - self._known or emptied:
            self.rewind()
        self._known = wanted
        end = bisect_right(self._times, now)
        keys: set[str] = set()
        alerts: list[Mapping[str, Any]] = []
        for index in range(self._next, end):
            line = self.recording.events[index]
            kind = line["k"]
            if kind == "sample":
                self._store.record(line["key"], result_of(line), line["t"])
                keys.add(line["key"])
                self._fed.add(line["key"])
            elif kind == "failure":
                failure = FetchFailure(
                    str(line.get("reason", "")), throttled=bool(line.get("throttled"))
                )
                self._store.record_failure(line["key"], failure, line["t"])
                keys.add(line["key"])
            elif index >= self._alerts_fed:
                alerts.append(line)
        self._next = max(self._next, end)
        self._alerts_fed = max(self._alerts_fed, end)
        return frozenset(keys), alerts

    def rewind(self) -> None:
        """Forget what was fed: the store holds nothing until the next feed."""
        self._store.clear()
        self._fed.clear()
        self._next = 0

    def seek(self, when: float) -> tuple[frozenset[str], list[Mapping[str, Any]]]:
        """Go to `when`: going back clears the store and feeds it again from the
        start; either way everything up to `when` is fed."""
        if when < self.fed_until:
            self.rewind()
        return self.feed(when)

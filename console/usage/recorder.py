"""The usage recorder: what happened in the console, kept in the state store.

Records wait in a bounded buffer and go to the store in batches: `flush_at` says
when the next batch is due, and is None while nothing waits, so the app arms a timer
only when there is something to write. `take` and `write` are apart so that the app
can write from a thread: a team store is a network call away. Counts of actions
and the figures of source calls and panel draws are summed in memory and written
as one record per interval, never one per call, so the store stays small.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence

from console.clock import Clock
from console.storage.interface import StateStore, StorageError
from console.storage.records import UsageRecord
from console.usage.load_watch import LoadResult
from console.usage.reservoir import StatsBook

log = logging.getLogger(__name__)

MAX_BUFFER = 1000
"""Records held before a flush; past it the oldest are dropped (and counted)."""

FLUSH_DELAY = 30.0
"""Seconds a record may wait in memory before it is written."""

STATS_INTERVAL = 600.0
"""Seconds of source and draw figures summed into one record."""

RETENTION = 90 * 86400.0
"""Seconds usage records are kept; older ones are pruned when a console starts."""

MAX_FEEDBACK = 2000
"""Characters of a feedback note kept."""


class UsageRecorder:
    """Collects usage records for one console session and writes them in batches.

    With `enabled` False nothing is kept for the store, but the live figures the
    performance overlay shows are still counted.
    """

    def __init__(
        self,
        store: StateStore,
        clock: Clock,
        *,
        user: str,
        host: str,
        profile: str,
        enabled: bool = True,
        on_pending: Callable[[], None] | None = None,
        max_buffer: int = MAX_BUFFER,
    ) -> None:
        self._store = store
        self._clock = clock
        self._user = user
        self._host = host
        self._profile = profile
        self._enabled = enabled
        self._on_pending = on_pending
        self._buffer: deque[UsageRecord] = deque(maxlen=max_buffer)
        self._dropped = 0
        self._first_waiting: float | None = None
        self._actions: Counter[str] = Counter()
        self._sources = StatsBook()
        self._renders = StatsBook()
        self._stats_since: float | None = None
        self._started: float | None = None
        self._dashboard: tuple[str, float] | None = None
        self.live_sources = StatsBook()
        """Every source call's figures this session, by source name: the overlay's."""
        self.live_renders = StatsBook()
        """Every panel draw's figures this session, by `dashboard/panel`."""

    @property
    def enabled(self) -> bool:
        """Whether records are kept for the store."""
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Turn recording on or off (a setting changed); turning it off drops
        what waits unwritten."""
        self._enabled = enabled
        if not enabled:
            self._buffer.clear()
            self._actions.clear()
            self._sources.clear()
            self._renders.clear()
            self._first_waiting = self._stats_since = None

    # What happened

    def started(self) -> None:
        """The console opened."""
        self._started = self._clock.now()
        self._add("start", detail={"profile": self._profile})

    def prune(self) -> None:
        """Forget records older than `RETENTION` (any thread; touches only the
        store)."""
        if not self._enabled:
            return
        try:
            self._store.prune_usage(before=self._clock.now() - RETENTION)
        except StorageError as error:
            log.warning("old usage records not pruned: %s", error)

    def dashboard_opened(self, dashboard: str) -> None:
        """A dashboard took the screen; the one before it is closed."""
        self._close_dashboard()
        self._dashboard = (dashboard, self._clock.now())

    def drilled(self, dashboard: str, panel: str) -> None:
        """Someone opened a panel's drill-down."""
        self._add("drill", dashboard=dashboard, panel=panel)

    def acknowledged(self, alert_key: str, *, user: str) -> None:
        """Someone acknowledged an alert (`panel:dashboard/panel` or another key)."""
        dashboard, panel = _place_of(alert_key)
        self._add(
            "ack",
            dashboard=dashboard,
            panel=panel,
            user=user,
            detail={"alert": alert_key},
        )

    def view_saved(self, name: str) -> None:
        """Someone saved a view."""
        self._add("view_save", detail={"view": name})

    def action(self, name: str) -> None:
        """Someone used an action (a key, a click or a command)."""
        if self._enabled:
            self._waiting()
            self._actions[name] += 1

    def feedback(self, dashboard: str | None, panel: str | None, text: str) -> bool:
        """Take a note someone wrote about a dashboard, to be written with the next
        batch (flush at once: it is worth more than a count). False when recording
        is off or the note is empty."""
        note = text.strip()[:MAX_FEEDBACK]
        if not note or not self._enabled:
            return False
        self._add("feedback", dashboard=dashboard, panel=panel, detail={"text": note})
        return True

    def loaded(self, result: LoadResult) -> None:
        """A dashboard finished loading."""
        self._add(
            "load",
            dashboard=result.dashboard,
            duration=round(result.seconds, 3),
            detail={
                "panels": {k: round(v, 3) for k, v in sorted(result.panels.items())},
                "errors": sorted(result.errors),
            },
        )

    def source_called(self, source: str, seconds: float, failed: bool) -> None:
        """A source call finished after `seconds`; `failed` if any query failed."""
        self.live_sources.add(source, seconds, failed=failed)
        if self._enabled:
            self._stats_waiting()
            self._sources.add(source, seconds, failed=failed)

    def panel_drawn(self, dashboard: str, panel: str, seconds: float) -> None:
        """A panel's picture took `seconds` to draw."""
        key = f"{dashboard}/{panel}"
        self.live_renders.add(key, seconds)
        if self._enabled:
            self._stats_waiting()
            self._renders.add(key, seconds)

    # Writing

    def flush_at(self) -> float | None:
        """When the next write is due; None while nothing waits."""
        moments = []
        if self._first_waiting is not None:
            moments.append(self._first_waiting + FLUSH_DELAY)
        if self._stats_since is not None:
            moments.append(self._stats_since + STATS_INTERVAL)
        return min(moments) if moments else None

    def flush(self, *, everything: bool = False) -> bool:
        """Write what is due (all of it with `everything`) on this thread; False if
        the store refused, in which case recording turns off and the log says why."""
        reason = self.write(self.take(everything=everything))
        if reason is not None:
            self.refused(reason)
        return reason is None

    def take(self, *, everything: bool = False) -> list[UsageRecord]:
        """The records due for writing (all of them with `everything`), which
        leave the buffer; counts and figures become records here."""
        now = self._clock.now()
        batch = list(self._buffer)
        self._buffer.clear()
        if self._actions:
            counts = {"counts": dict(self._actions)}
            batch.append(self._record("actions", detail=counts))
            self._actions.clear()
        if self._stats_since is not None and (
            everything or now >= self._stats_since + STATS_INTERVAL
        ):
            batch.extend(self._stats_records(now))
        if self._dropped:
            dropped = {"records": self._dropped}
            batch.append(self._record("dropped", detail=dropped))
            self._dropped = 0
        self._first_waiting = None
        return batch

    def write(self, batch: Sequence[UsageRecord]) -> str | None:
        """Write `batch` to the store (any thread; touches only the store). Returns
        why the store refused, or None."""
        if not batch:
            return None
        try:
            self._store.record_usage(batch)
        except StorageError as error:
            return str(error)
        return None

    def refused(self, reason: str) -> None:
        """The store refused a batch: recording stops, and the log says why."""
        log.warning("usage records not kept, recording stops: %s", reason)
        self.set_enabled(False)

    def finish(self) -> list[UsageRecord]:
        """The console is closing: end the open dashboard and the session, and
        take every record left."""
        self._close_dashboard()
        if self._started is not None:
            self._add("end", duration=round(self._clock.now() - self._started, 3))
        return self.take(everything=True) if self._enabled else []

    def close(self) -> None:
        """`finish`, and write what it took on this thread."""
        reason = self.write(self.finish())
        if reason is not None:
            self.refused(reason)

    # Inside

    def _close_dashboard(self) -> None:
        if self._dashboard is None:
            return
        dashboard, opened = self._dashboard
        self._dashboard = None
        seconds = round(max(0.0, self._clock.now() - opened), 3)
        self._add("dashboard", dashboard=dashboard, duration=seconds)

    def _stats_records(self, now: float) -> list[UsageRecord]:
        since = self._stats_since
        records = []
        detail_of: Sequence[tuple[str, StatsBook]] = (
            ("source_stats", self._sources),
            ("render_stats", self._renders),
        )
        for kind, book in detail_of:
            if book:
                record = self._record(
                    kind,
                    duration=round(now - (since or now), 3),
                    detail={"stats": book.to_json()},
                )
                records.append(record)
                book.clear()
        self._stats_since = None
        return records

    def _add(
        self,
        kind: str,
        *,
        dashboard: str | None = None,
        panel: str | None = None,
        duration: float | None = None,
        user: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        if not self._enabled:
            return
        if len(self._buffer) == self._buffer.maxlen:
            self._dropped += 1
        self._buffer.append(
            self._record(
                kind,
                dashboard=dashboard,
                panel=panel,
                duration=duration,
                user=user,
                detail=detail,
            )
        )
        self._waiting()

    def _record(
        self,
        kind: str,
        *,
        dashboard: str | None = None,
        panel: str | None = None,
        duration: float | None = None,
        user: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> UsageRecord:
        full = {"profile": self._profile, **(detail or {})}
        return UsageRecord(
            at=self._clock.now(),
            kind=kind,
            user=user or self._user,
            host=self._host,
            dashboard=dashboard,
            panel=panel,
            duration=duration,
            detail=full,
        )

    def _waiting(self) -> None:
        if self._first_waiting is None:
            pending = self.flush_at() is not None
            self._first_waiting = self._clock.now()
            if not pending and self._on_pending is not None:
                self._on_pending()

    def _stats_waiting(self) -> None:
        if self._stats_since is None:
            pending = self.flush_at() is not None
            self._stats_since = self._clock.now()
            if not pending and self._on_pending is not None:
                self._on_pending()


def _place_of(alert_key: str) -> tuple[str | None, str | None]:
    """(dashboard, panel) of a `panel:dashboard/panel` alert key, else Nones."""
    kind, _, rest = alert_key.partition(":")
    if kind != "panel" or "/" not in rest:
        return None, None
    dashboard, _, panel = rest.partition("/")
    return dashboard or None, panel or None

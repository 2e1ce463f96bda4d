"""The app's side of alerting: feeding the alert model from what panels show, and
carrying what it says to the store, the headers, the bell and the incident switch.

Screens call `observe_panel` as they judge each panel, then the app calls
`after_data` once per burst of answers (and when the model's next moment comes due),
so that a burst of polls costs one look at the alerts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from textual.timer import Timer

from console.alert_feeds import (
    alert_tables,
    panel_feed,
    panel_key,
    panel_signals,
    table_signals,
)
from console.alert_model import Alert, AlertModel, AlertState, Severity
from console.evaluation import PanelStatus
from console.profile_schema import Panel
from console.recording import RecordingStore
from console.storage.interface import StorageError
from console.storage.records import Acknowledgement
from console.store import QueryState
from widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

log = logging.getLogger(__name__)

ACK_LOOKBACK = 7 * 86400.0
"""How far back acknowledgements are read when the console starts: the longest an
acknowledgement may last is a day, so a week is ample."""


class AlertTriage:
    """The alert model of one app, and what follows from its changes."""

    def __init__(self, app: WatchdeckApp) -> None:
        self._app = app
        profile = app.loaded.profile
        self.model = AlertModel(profile.escalation, profile=profile.profile)
        """Every alert the console knows."""
        self._timer: Timer | None = None
        self._switched: set[str] = set()
        self.keeps_changes = True
        """Whether alert changes go to the state store; a replay feeds the recorded
        ones there instead of those it works out again."""

    def load(self) -> None:
        """Read the acknowledgements that still hold from the state store."""
        now = self._app.clock.now()
        try:
            acks = self._app.state_store.acknowledgements(active_at=now)
        except StorageError as error:
            self._app.notify(str(error), title="acknowledgements", severity="error")
            return
        self.model.set_acknowledgements(acks)

    def observe_panel(
        self,
        dashboard: str,
        spec: Panel,
        states: Sequence[QueryState | None],
        status: PanelStatus,
        now: float,
    ) -> Alert | None:
        """Feed one judged panel to the model; returns the panel's own alert."""
        signals = panel_signals(dashboard, spec, status)
        tables = alert_tables([s.table if s else None for s in states])
        sources = [q.source for q in spec.all_queries()]
        for table in tables:
            signals += table_signals(
                table,
                source=sources[0] if sources else "table",
                dashboard=dashboard,
                panel=spec.id,
                runbook=spec.runbook,
            )
        self.model.observe(panel_feed(dashboard, spec.id), signals, now)
        return self.model.get(panel_key(dashboard, spec.id), now)

    def panel_alert(self, dashboard: str, panel: str) -> Alert | None:
        """The threshold alert of a panel, as the model has it now."""
        return self.model.get(panel_key(dashboard, panel), self._app.clock.now())

    def acknowledge(self, ack: Acknowledgement) -> None:
        """Store an acknowledgement and show it at once (raises StorageError)."""
        stored = self._app.state_store.acknowledge(ack)
        self.model.acknowledged(stored, self._app.clock.now())
        self.after_data()

    def unacknowledge(self, key: str, user: str) -> int:
        """Withdraw an alert's acknowledgement (raises StorageError)."""
        now = self._app.clock.now()
        cleared = self._app.state_store.clear_acknowledgement(key, user=user, at=now)
        self.model.unacknowledged(key, now)
        self.after_data()
        return cleared

    def after_data(self) -> None:
        """Look at the alerts again: store their changes, ring for new escalations,
        refresh every header on screen, and switch to the incident dashboard when
        the profile asks."""
        app = self._app
        now = app.clock.now()
        self.model.tick(now)
        changes = self.model.drain_changes()
        if changes and self.keeps_changes:
            try:
                app.state_store.record_alert_changes(changes)
            except StorageError as error:
                log.warning("alert changes not recorded: %s", error)
        if changes and isinstance(app.store, RecordingStore):
            for change in changes:
                app.store.writer.alert(asdict(change), change.at)
        if any(a == "bell_invert" for _, a in self.model.drain_escalations()):
            app.bell()
        # Headers are their screen's children; a deep query walks every panel.
        for header in app.screen.query_children(StatusHeader):
            self.fill_header(header, now)
        self._maybe_switch(now)
        self._arm(now)

    def fill_header(self, header: StatusHeader, now: float | None = None) -> None:
        """Counts, the incident and the escalation banner, as every header shows."""
        now = self._app.clock.now() if now is None else now
        alerts = self.model.alerts(now, resolved=False)
        firing = [a for a in alerts if a.state is AlertState.FIRING]
        header.critical = sum(a.severity is Severity.CRITICAL for a in firing)
        header.warning = sum(a.severity is Severity.WARNING for a in firing)
        header.acknowledged = sum(
            a.state in (AlertState.ACKNOWLEDGED, AlertState.SILENCED) for a in alerts
        )
        worst = next((a for a in firing if a.severity is Severity.CRITICAL), None)
        header.incident = worst.title if worst else ""
        bannered = [a for a in firing if a.bannered]
        header.banner = _banner(bannered, now)
        header.replay, header.replay_paused = self._app.replay_label()

    def _maybe_switch(self, now: float) -> None:
        policy = self._app.loaded.profile.incident
        if not policy.switch or policy.dashboard is None:
            return
        fresh = [
            a
            for a in self.model.alerts(now, resolved=False)
            if a.state is AlertState.FIRING
            and a.severity is Severity.CRITICAL
            and a.key not in self._switched
        ]
        if not fresh:
            return
        self._switched.update(a.key for a in fresh)
        current = getattr(self._app.screen, "dashboard", None)
        if getattr(current, "id", None) != policy.dashboard:
            self._app.notify(
                f"{fresh[0].title} is critical: opening the incident dashboard",
                severity="error",
            )
            self._app.open_dashboard(policy.dashboard)

    def _arm(self, now: float) -> None:
        """One timer for the next moment the alerts change by themselves."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        moment = self.model.next_moment(now)
        if moment is not None:
            delay = max(0.5, moment - now + 0.05)
            self._timer = self._app.set_timer(delay, self._fired)

    def _fired(self) -> None:
        self._timer = None
        self.after_data()


def _banner(alerts: list[Alert], now: float) -> str:
    if not alerts:
        return ""
    first = alerts[0]
    age = int((now - first.since) // 60)
    more = f" (+{len(alerts) - 1} more)" if len(alerts) > 1 else ""
    started = time.strftime("%H:%M", time.localtime(first.since))
    return (
        f"ESCALATED: {first.title} critical since {started} ({age} m), "
        f"not acknowledged{more}. Press a for alerts, A to acknowledge."
    )

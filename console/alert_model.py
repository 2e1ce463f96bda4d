"""One list of alerts, whatever raised them: panel thresholds, Alertmanager, alarms.

Each feed (a panel, a table of alerts) reports the signals it sees now with
`observe`; the model remembers since when each alert has breached, applies the
profile's `for:` hold (pending before firing) and the acknowledgements the state
store holds, keeps resolved alerts for a while, and notes every change of state so
that the timeline can show it. Escalation steps are worked out from the same clock.

The model is bounded: one entry per alert a feed reported, and at most
`RESOLVED_KEPT` resolved ones, each for at most `RESOLVED_FOR` seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from console.alerting_schema import EscalationAction, EscalationStep
from console.storage.records import Acknowledgement, AlertChange

RESOLVED_KEPT = 100
"""Resolved alerts remembered for the alerts screen, newest first."""
RESOLVED_FOR = 3600.0
"""Seconds a resolved alert stays listed."""


class Severity(StrEnum):
    """How urgent an alert is."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical, 1 for warning, 2 for info: sorts most urgent first."""
        return _RANKS[self]

    @classmethod
    def from_text(cls, text: str) -> Severity:
        """A source's severity word (`page`, `high`, `warn`...) as one of ours."""
        return _SEVERITY_WORDS.get(text.strip().lower(), Severity.WARNING)


_RANKS = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
_SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "crit": Severity.CRITICAL,
    "page": Severity.CRITICAL,
    "error": Severity.CRITICAL,
    "high": Severity.CRITICAL,
    "warning": Severity.WARNING,
    "warn": Severity.WARNING,
    "medium": Severity.WARNING,
    "info": Severity.INFO,
    "low": Severity.INFO,
    "none": Severity.INFO,
}


class AlertState(StrEnum):
    """Where an alert stands."""

    FIRING = "firing"
    PENDING = "pending"
    """Breaching, but not yet for as long as the `for:` hold asks."""
    ACKNOWLEDGED = "acknowledged"
    SILENCED = "silenced"
    """Held by its source (an Alertmanager silence) rather than by the console."""
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        """A short word for badges and tiles."""
        return _STATE_LABELS[self]

    @property
    def is_active(self) -> bool:
        """Firing, acknowledged or silenced: it breaches now and counts."""
        return self in (
            AlertState.FIRING,
            AlertState.ACKNOWLEDGED,
            AlertState.SILENCED,
        )


_STATE_LABELS = {
    AlertState.FIRING: "FIRING",
    AlertState.PENDING: "PENDING",
    AlertState.ACKNOWLEDGED: "ACK",
    AlertState.SILENCED: "SILENCED",
    AlertState.RESOLVED: "RESOLVED",
}


@dataclass(frozen=True, slots=True)
class AlertSignal:
    """What a feed sees of one alert now: that it breaches, how badly, and why."""

    key: str
    """Stable across polls and restarts, e.g. `panel:demo/service/latency`."""
    title: str
    severity: Severity
    source: str
    """Where it came from: `threshold`, or the name of the profile's source."""
    summary: str = ""
    """Why, in a line: `checkout 812ms >= 800ms`, an Alertmanager summary."""
    value: float | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    runbook: str | None = None
    dashboard: str | None = None
    """The dashboard and panel it was seen on, for Enter on the alerts screen."""
    panel: str | None = None
    started: float | None = None
    """When the source says it began; None: when the model first saw it."""
    hold: float = 0.0
    """Seconds it stays pending before it fires (the profile's `for:`)."""
    pending: bool = False
    """The source itself says it is not firing yet."""
    silenced: bool = False
    """The source itself holds it (a silence)."""


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as every screen shows it."""

    signal: AlertSignal
    state: AlertState
    since: float
    """When it began to breach at its current severity."""
    acknowledgement: Acknowledgement | None = None
    """The acknowledgement that holds it, while one does."""
    escalation: tuple[EscalationAction, ...] = ()
    """The escalation steps it has reached, in order."""
    resolved_at: float | None = None

    @property
    def key(self) -> str:
        """The stable key."""
        return self.signal.key

    @property
    def severity(self) -> Severity:
        """Its severity."""
        return self.signal.severity

    @property
    def title(self) -> str:
        """What it is called."""
        return self.signal.title

    @property
    def inverted(self) -> bool:
        """Its tile is drawn in reverse video (escalated past `bell_invert`)."""
        return "bell_invert" in self.escalation

    @property
    def bannered(self) -> bool:
        """A banner names it on every screen."""
        return "banner" in self.escalation


@dataclass(slots=True)
class _Entry:
    signal: AlertSignal
    feed: str
    since: float
    resolved_at: float | None = None
    last_state: AlertState | None = None
    escalation: tuple[EscalationAction, ...] = ()


class AlertModel:
    """Every alert the console knows, with its state at the model's last look."""

    def __init__(
        self, escalation: Sequence[EscalationStep] = (), profile: str = ""
    ) -> None:
        self.escalation = sorted(escalation, key=lambda step: step.after)
        """The profile's escalation steps, earliest first."""
        self.profile = profile
        self._entries: dict[str, _Entry] = {}
        self._acks: dict[str, Acknowledgement] = {}
        self._changes: list[AlertChange] = []
        self._newly_escalated: list[tuple[str, EscalationAction]] = []

    # What feeds report

    def observe(self, feed: str, signals: Iterable[AlertSignal], now: float) -> None:
        """The alerts `feed` sees at `now`; those it no longer reports resolve."""
        seen: set[str] = set()
        for signal in signals:
            seen.add(signal.key)
            entry = self._entries.get(signal.key)
            started = signal.started if signal.started is not None else now
            if entry is None or entry.resolved_at is not None:
                self._entries[signal.key] = _Entry(signal, feed, started)
            else:
                if entry.signal.severity is not signal.severity:
                    entry.since = now
                    entry.escalation = ()
                entry.signal = signal
                entry.feed = feed
        for key, entry in self._entries.items():
            if entry.feed == feed and key not in seen and entry.resolved_at is None:
                entry.resolved_at = now
        self._look(now)

    def forget_feed(self, feed: str) -> None:
        """Drop the alerts of a feed that is no longer polled: they cannot be judged
        without fresh data, and they did not resolve."""
        for key in [k for k, e in self._entries.items() if e.feed == feed]:
            del self._entries[key]

    def forget_dashboard(self, dashboard: str) -> None:
        """Drop the alerts of every feed on a dashboard no longer polled."""
        for key in [
            k for k, e in self._entries.items() if e.signal.dashboard == dashboard
        ]:
            del self._entries[key]

    # Acknowledgements

    def set_acknowledgements(self, acks: Iterable[Acknowledgement]) -> None:
        """The acknowledgements the store holds (the newest per alert wins)."""
        self._acks = {}
        for ack in sorted(acks, key=lambda a: a.at):
            self._acks[ack.alert_key] = ack

    def acknowledged(self, ack: Acknowledgement, now: float) -> None:
        """One new acknowledgement, as just stored."""
        self._acks[ack.alert_key] = ack
        self._look(now)

    def unacknowledged(self, key: str, now: float) -> None:
        """The acknowledgement of `key` was withdrawn."""
        self._acks.pop(key, None)
        self._look(now)

    # What screens read

    def tick(self, now: float) -> None:
        """Look again at `now`: holds run out, acknowledgements lapse, escalation
        steps are reached."""
        self._look(now)

    def alerts(self, now: float, *, resolved: bool = True) -> list[Alert]:
        """Every alert, most severe first, then the longest breaching first;
        resolved ones last, newest first."""
        found = [self._alert(entry, now) for entry in self._entries.values()]
        if not resolved:
            found = [a for a in found if a.state is not AlertState.RESOLVED]
        return sorted(found, key=_order)

    def get(self, key: str, now: float) -> Alert | None:
        """One alert by key, if the model knows it."""
        entry = self._entries.get(key)
        return None if entry is None else self._alert(entry, now)

    def counts(self, now: float) -> dict[Severity, int]:
        """Active alerts (firing, acknowledged, silenced) of each severity."""
        counts = dict.fromkeys(Severity, 0)
        for alert in self.alerts(now, resolved=False):
            if alert.state.is_active:
                counts[alert.severity] += 1
        return counts

    def drain_changes(self) -> list[AlertChange]:
        """The changes of state noted since the last call, oldest first."""
        changes, self._changes = self._changes, []
        return changes

    def drain_escalations(self) -> list[tuple[str, EscalationAction]]:
        """The (alert key, step) pairs reached since the last call: each once."""
        reached, self._newly_escalated = self._newly_escalated, []
        return reached

    def next_moment(self, now: float) -> float | None:
        """The next time the model's answer changes with no new data: a hold
        running out, an acknowledgement lapsing, an escalation step coming due."""
        moments: list[float] = []
        for entry in self._entries.values():
            if entry.resolved_at is not None:
                moments.append(entry.resolved_at + RESOLVED_FOR)
                continue
            fires_at = entry.since + entry.signal.hold
            if fires_at > now:
                moments.append(fires_at)
            ack = self._acks.get(entry.signal.key)
            if ack is not None and ack.active(now):
                moments.append(ack.until)
            elif entry.signal.severity is Severity.CRITICAL:
                moments.extend(
                    fires_at + step.after
                    for step in self.escalation
                    if fires_at + step.after > now
                )
        return min(moments, default=None)

    # Inside

    def _alert(self, entry: _Entry, now: float) -> Alert:
        signal = entry.signal
        ack = self._acks.get(signal.key)
        if ack is not None and not ack.active(now):
            ack = None
        state = _state(entry, ack, now)
        return Alert(
            signal=signal,
            state=state,
            since=entry.since,
            acknowledgement=ack if state is AlertState.ACKNOWLEDGED else None,
            escalation=entry.escalation if state is AlertState.FIRING else (),
            resolved_at=entry.resolved_at,
        )

    def _look(self, now: float) -> None:
        self._prune(now)
        for entry in self._entries.values():
            alert = self._alert(entry, now)
            if alert.state is not entry.last_state:
                self._changes.append(
                    AlertChange(
                        at=now,
                        alert_key=alert.key,
                        title=alert.title,
                        severity=alert.severity.value,
                        state=alert.state.value,
                        previous=entry.last_state.value if entry.last_state else "",
                        detail=_detail(alert),
                        profile=self.profile,
                    )
                )
                entry.last_state = alert.state
            self._escalate(entry, alert, now)

    def _escalate(self, entry: _Entry, alert: Alert, now: float) -> None:
        if alert.state is not AlertState.FIRING or alert.severity is not (
            Severity.CRITICAL
        ):
            entry.escalation = ()
            return
        firing_for = now - (entry.since + entry.signal.hold)
        reached = tuple(s.action for s in self.escalation if firing_for >= s.after)
        for action in reached:
            if action not in entry.escalation:
                self._newly_escalated.append((entry.signal.key, action))
        entry.escalation = reached

    def _prune(self, now: float) -> None:
        resolved = sorted(
            (e for e in self._entries.values() if e.resolved_at is not None),
            key=lambda e: -(e.resolved_at or 0.0),
        )
        for index, entry in enumerate(resolved):
            assert entry.resolved_at is not None
            if index >= RESOLVED_KEPT or now - entry.resolved_at > RESOLVED_FOR:
                del self._entries[entry.signal.key]


def _state(entry: _Entry, ack: Acknowledgement | None, now: float) -> AlertState:
    if entry.resolved_at is not None:
        return AlertState.RESOLVED
    if entry.signal.pending or now < entry.since + entry.signal.hold:
        return AlertState.PENDING
    if ack is not None:
        return AlertState.ACKNOWLEDGED
    if entry.signal.silenced:
        return AlertState.SILENCED
    return AlertState.FIRING


def _order(alert: Alert) -> tuple[int, int, float]:
    if alert.state is AlertState.RESOLVED:
        return (1, 0, -(alert.resolved_at or 0.0))
    return (0, alert.severity.rank, alert.since)


def _detail(alert: Alert) -> str:
    ack = alert.acknowledgement
    if ack is not None:
        return f"by {ack.user}: {ack.note}" if ack.note else f"by {ack.user}"
    return alert.signal.summary

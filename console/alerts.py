"""Alerts raised by panels whose thresholds are breached, and since when."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from console.evaluation import PanelState, PanelStatus


@dataclass(frozen=True, slots=True)
class Alert:
    """A panel in warning or critical."""

    dashboard: str
    panel: str
    title: str
    severity: PanelState
    since: float
    """When the panel first entered its current severity."""
    reason: str


class AlertBook:
    """Which panels are breaching now, remembered across refreshes.

    It holds one entry per breaching panel, so it is bounded by the number of panels.
    """

    def __init__(self) -> None:
        self._alerts: dict[tuple[str, str], Alert] = {}

    def __iter__(self) -> Iterator[Alert]:
        return iter(sorted(self._alerts.values(), key=_order))

    def __len__(self) -> int:
        return len(self._alerts)

    def observe(
        self, dashboard: str, panel: str, title: str, status: PanelStatus, now: float
    ) -> Alert | None:
        """Record a panel's newest status; returns its alert while it breaches."""
        key = (dashboard, panel)
        if not status.state.is_breach:
            self._alerts.pop(key, None)
            return None
        known = self._alerts.get(key)
        since = known.since if known and known.severity is status.state else now
        alert = Alert(dashboard, panel, title, status.state, since, status.reason)
        self._alerts[key] = alert
        return alert

    def get(self, dashboard: str, panel: str) -> Alert | None:
        """The alert of one panel, if it breaches."""
        return self._alerts.get((dashboard, panel))

    def counts(self) -> dict[PanelState, int]:
        """How many alerts of each severity."""
        counts = {PanelState.CRITICAL: 0, PanelState.WARNING: 0}
        for alert in self._alerts.values():
            counts[alert.severity] += 1
        return counts

    def forget_dashboard(self, dashboard: str) -> None:
        """Drop alerts of a dashboard that is no longer polled; they cannot be
        judged without fresh data."""
        for key in [key for key in self._alerts if key[0] == dashboard]:
            del self._alerts[key]


def _order(alert: Alert) -> tuple[int, float]:
    return (0 if alert.severity is PanelState.CRITICAL else 1, alert.since)

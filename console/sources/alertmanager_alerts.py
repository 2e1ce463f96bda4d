"""Alerts as Alertmanager's `/api/v2/alerts` lists them, and as a table for a panel.

One row per alert, the most severe first and, within a severity, the longest
firing first; with `group_by`, rows of one group sit together. Columns:

    group        with group_by only: `name=value, ...` of those labels
    alertname    the alert's name
    severity     its `severity` label; "warning" when it has none
    state        active, unprocessed, or suppressed (silenced, inhibited)
    summary      its `summary` annotation, else its `description`
    since        when it started firing, in seconds since the epoch
    labels       every other label, as `name=value, ...`
    silenced by  the ids of the silences that hold it, comma-separated
    fingerprint  Alertmanager's id of the alert (of its label set)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from console.results import Cell, TableResult
from console.sources.rfc3339_times import epoch_seconds

DEFAULT_SEVERITY = "warning"
"""The severity of an alert without a `severity` label."""

COLUMNS = (
    "alertname",
    "severity",
    "state",
    "summary",
    "since",
    "labels",
    "silenced by",
    "fingerprint",
)
"""The table's columns, after `group` when the query groups."""

GROUP_COLUMN = "group"

SEVERITY_ORDER: Mapping[str, int] = {
    "critical": 0,
    "page": 0,
    "error": 1,
    "high": 1,
    "warning": 2,
    "warn": 2,
    "medium": 2,
    "info": 3,
    "low": 3,
}
"""Rank of the usual severities, most urgent first; others come after these."""

_SHOWN_APART = ("alertname", "severity")
"""Labels with a column of their own, left out of the `labels` column."""


class AlertAnswerError(Exception):
    """An answer that is JSON but not a list of alerts as Alertmanager sends them."""


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert, as much of it as the console uses."""

    fingerprint: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    state: str
    """Alertmanager's state: active, suppressed or unprocessed."""
    silenced_by: tuple[str, ...]
    inhibited_by: tuple[str, ...]
    starts_at: float
    """When it started firing, in seconds since the epoch."""

    @property
    def name(self) -> str:
        """The `alertname` label."""
        return self.labels.get("alertname", "")

    @property
    def severity(self) -> str:
        """The `severity` label, or the default severity."""
        return self.labels.get("severity") or DEFAULT_SEVERITY

    @property
    def state_text(self) -> str:
        """The state as a panel shows it, saying what suppresses the alert."""
        causes = [
            word
            for word, ids in (
                ("silenced", self.silenced_by),
                ("inhibited", self.inhibited_by),
            )
            if ids
        ]
        if self.state == "suppressed" and causes:
            return f"suppressed ({', '.join(causes)})"
        return self.state

    @property
    def summary(self) -> str:
        """The `summary` annotation, else `description`, else nothing."""
        return self.annotations.get("summary") or self.annotations.get(
            "description", ""
        )


def parse_alerts(body: object) -> list[Alert]:
    """The alerts of an `/api/v2/alerts` answer."""
    if not isinstance(body, list):
        raise AlertAnswerError("not a list of alerts")
    return [_alert(item) for item in body]


def alert_table(alerts: Sequence[Alert], group_by: Sequence[str]) -> TableResult:
    """The alerts as rows for a panel, in the order the module describes."""

    def group_of(alert: Alert) -> str:
        return ", ".join(f"{name}={alert.labels.get(name, '')}" for name in group_by)

    def order(alert: Alert) -> tuple[str, int, str, float, str]:
        rank = SEVERITY_ORDER.get(alert.severity.lower(), len(SEVERITY_ORDER))
        group = group_of(alert) if group_by else ""
        return group, rank, alert.severity, alert.starts_at, alert.fingerprint

    rows: list[list[Cell]] = []
    for alert in sorted(alerts, key=order):
        row: list[Cell] = [
            alert.name,
            alert.severity,
            alert.state_text,
            alert.summary,
            alert.starts_at,
            compact_labels(alert.labels),
            ", ".join(alert.silenced_by),
            alert.fingerprint,
        ]
        rows.append([group_of(alert), *row] if group_by else row)
    columns = [GROUP_COLUMN, *COLUMNS] if group_by else list(COLUMNS)
    return TableResult(columns=columns, rows=rows)


def compact_labels(labels: Mapping[str, str]) -> str:
    """The labels without a column of their own, as `name=value, ...`, sorted."""
    return ", ".join(
        f"{name}={labels[name]}" for name in sorted(labels) if name not in _SHOWN_APART
    )


def _alert(item: object) -> Alert:
    if not isinstance(item, dict):
        raise AlertAnswerError("an alert that is not an object")
    status = item.get("status")
    if not isinstance(status, dict):
        raise AlertAnswerError("an alert without a status")
    try:
        starts_at = epoch_seconds(str(item.get("startsAt")))
    except ValueError:
        raise AlertAnswerError("an alert without a valid startsAt") from None
    return Alert(
        fingerprint=str(item.get("fingerprint", "")),
        labels=_strings(item.get("labels")),
        annotations=_strings(item.get("annotations")),
        state=str(status.get("state", "unprocessed")),
        silenced_by=_ids(status.get("silencedBy")),
        inhibited_by=_ids(status.get("inhibitedBy")),
        starts_at=starts_at,
    )


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(key): str(text) for key, text in value.items()}


def _ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value)

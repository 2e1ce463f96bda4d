"""Where alerts come from: a panel's thresholds, or a table of alerts a source
returned (Alertmanager's alerts, CloudWatch alarms).

A table feeds alerts when it has a name column (`alertname`, `alarm` or `name`), a
`state` column and, optionally, `severity`, `summary` (or `reason`), `since`,
`labels`, `fingerprint` and `runbook` columns. Each source's states map onto the
model's in `TABLE_STATES`; rows in a state that means "not breaching" are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from console.alert_model import AlertSignal, Severity
from console.evaluation import PanelState, PanelStatus
from console.profile_schema import Panel
from console.results import Cell, TableResult

NAME_COLUMNS = ("alertname", "alarm", "name")
"""Columns that may name the alert of a row, first found wins."""

TABLE_STATES: Mapping[str, str | None] = {
    "active": "firing",
    "firing": "firing",
    "alarm": "firing",
    "unprocessed": "pending",
    "pending": "pending",
    "suppressed": "silenced",
    "silenced": "silenced",
    "ok": None,
    "resolved": None,
    "inactive": None,
    "insufficient_data": None,
}
"""A row's `state` (lower case, up to the first space or bracket) as the model's:
firing, pending or silenced; None for rows that are not alerts now. Unknown states
count as firing, so that nothing breaching is hidden."""


def panel_key(dashboard: str, panel: str) -> str:
    """The stable key of a panel's threshold alert."""
    return f"panel:{dashboard}/{panel}"


def panel_feed(dashboard: str, panel: str) -> str:
    """The feed name of one panel, whichever kind of alerts it gives."""
    return f"{dashboard}/{panel}"


def panel_signals(
    dashboard: str, spec: Panel, status: PanelStatus
) -> list[AlertSignal]:
    """The panel's threshold alert while it breaches (none otherwise)."""
    if not status.state.is_breach:
        return []
    severity = (
        Severity.CRITICAL if status.state is PanelState.CRITICAL else Severity.WARNING
    )
    hold = spec.thresholds.for_ if spec.thresholds and spec.thresholds.for_ else 0.0
    labels = {"dashboard": dashboard, "panel": spec.id}
    if status.series:
        labels["series"] = status.series
    return [
        AlertSignal(
            key=panel_key(dashboard, spec.id),
            title=spec.title,
            severity=severity,
            source="threshold",
            summary=status.reason,
            value=status.value,
            labels=labels,
            runbook=spec.runbook,
            dashboard=dashboard,
            panel=spec.id,
            hold=hold,
        )
    ]


def table_signals(
    table: TableResult,
    *,
    source: str,
    dashboard: str | None = None,
    panel: str | None = None,
    runbook: str | None = None,
) -> list[AlertSignal]:
    """The alerts in a table of alerts; none when the table is not one."""
    columns = [column.lower() for column in table.columns]
    name_column = next((c for c in NAME_COLUMNS if c in columns), None)
    if name_column is None or "state" not in columns:
        return []
    signals: list[AlertSignal] = []
    for row in table.rows:
        cells = {column: cell for column, cell in zip(columns, row, strict=False)}
        state = _row_state(cells.get("state"))
        if state is None:
            continue
        name = _text(cells.get(name_column)) or "alert"
        labels = _labels(_text(cells.get("labels")))
        identity = _text(cells.get("fingerprint")) or ",".join(
            [name, *(f"{k}={v}" for k, v in sorted(labels.items()))]
        )
        since = cells.get("since")
        signals.append(
            AlertSignal(
                key=f"{source}:{identity}",
                title=name,
                severity=Severity.from_text(_text(cells.get("severity")) or "warning"),
                source=source,
                summary=_text(cells.get("summary")) or _text(cells.get("reason")),
                labels={"alertname": name, **labels},
                runbook=_text(cells.get("runbook")) or runbook,
                dashboard=dashboard,
                panel=panel,
                started=float(since) if isinstance(since, int | float) else None,
                pending=state == "pending",
                silenced=state == "silenced",
            )
        )
    return signals


def alert_tables(tables: Sequence[TableResult | None]) -> list[TableResult]:
    """The tables among a panel's results that list alerts."""
    found: list[TableResult] = []
    for table in tables:
        if table is None:
            continue
        columns = {column.lower() for column in table.columns}
        if "state" in columns and columns.intersection(NAME_COLUMNS):
            found.append(table)
    return found


def _row_state(cell: Cell) -> str | None:
    word = _text(cell).lower().split("(")[0].strip().replace(" ", "_")
    if word in TABLE_STATES:
        return TABLE_STATES[word]
    return "firing"


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def _labels(text: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for part in text.split(","):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            labels[name] = value
    return labels

"""The CloudWatch alarms source (`type: cloudwatch_alarms`): DescribeAlarms.

    query: {source: alarms}                           every alarm, one tile each
    query: {source: alarms, prefix: "checkout-"}      alarms whose names start so
    query: {source: alarms, names: [db-cpu, db-disk]} these alarms
    query: {source: alarms, state: ALARM, table: true}  firing alarms as rows

As tiles (a series per alarm), an alarm's value is its state: 0 OK, 1 insufficient
data, 2 ALARM, so `thresholds: {warning: 1, critical: 2}` makes a firing alarm a
critical tile. As a table, a row per alarm: name, type, state, reason and when the
state last changed, firing alarms first. Metric and composite alarms are both read,
through every NextToken page. `history` gives an alarm's recent state changes
(DescribeAlarmHistory) for the drill-down.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from console.clock import Clock
from console.results import (
    Cell,
    FetchBatch,
    FetchFailure,
    FetchRequest,
    SeriesResult,
    TableResult,
)
from console.sources.aws_options import AwsOptions
from console.sources.aws_reasons import aws_reason, is_throttling
from console.sources.aws_session import AwsClients, call_in_thread
from console.sources.base import QueryParams, Source, SourceKind, SourceOptions
from console.sources.reason_text import clipped
from console.sources.validation_reason import validation_reason
from console.store import QueryState

ACTION = "cloudwatch:DescribeAlarms"
STATE_VALUES = {"OK": 0.0, "INSUFFICIENT_DATA": 1.0, "ALARM": 2.0}
"""The number an alarm's tile shows for each state."""
COLUMNS = ("alarm", "type", "state", "reason", "since", "watches")
"""The table's columns; `since` is when the state last changed (epoch seconds)."""
MAX_PAGES = 20
"""DescribeAlarms pages (100 alarms each) read per poll at most."""
HISTORY_ITEMS = 20
"""State changes the drill-down shows per alarm."""

AlarmState = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]
AlarmKind = Literal["metric", "composite"]


def _both_kinds() -> list[AlarmKind]:
    return ["metric", "composite"]


class CloudWatchAlarmsOptions(AwsOptions):
    """Options of a `type: cloudwatch_alarms` source block: whose alarms, where."""


class CloudWatchAlarmsParams(QueryParams):
    """Which alarms a query reads, and whether as tiles or as a table."""

    names: list[str] = Field(default_factory=list, max_length=100)
    """These alarms by name. Left out: every alarm (or those of `prefix`)."""
    prefix: str | None = Field(default=None, max_length=255)
    """Alarms whose names start with this. Left out or empty: no prefix filter."""
    state: AlarmState | None = None
    """Only alarms in this state: OK, ALARM or INSUFFICIENT_DATA. Left out: all."""
    types: list[AlarmKind] = Field(default_factory=_both_kinds, min_length=1)
    """Metric alarms, composite alarms, or both. Default: both."""
    table: bool = False
    """True: a row per alarm (name, type, state, reason, since). Left out: a
    series per alarm whose value is its state (0 OK, 1 insufficient data, 2
    ALARM), for tiles and status boards."""

    @model_validator(mode="after")
    def _names_or_prefix(self) -> CloudWatchAlarmsParams:
        if self.names and self.prefix:
            raise ValueError("give either `names` or `prefix`, not both")
        return self


class CloudWatchAlarmsSource:
    """The CloudWatch alarms of one account and region."""

    def __init__(
        self,
        name: str,
        options: AwsOptions,
        clock: Clock,
        *,
        clients: AwsClients | None = None,
    ) -> None:
        """`clients` replaces the AWS clients; tests pass ones with a Stubber."""
        self.name = name
        self.options = options
        self._clock = clock
        self.clients = clients or AwsClients(options)
        self.calls = 0
        """DescribeAlarms requests sent, pages included."""

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Each query reads its alarms; each fails alone."""
        batch = FetchBatch()
        for request in requests:
            try:
                params = CloudWatchAlarmsParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                continue
            try:
                alarms = await call_in_thread(partial(self._describe, params))
            except Exception as error:  # noqa: BLE001 - every SDK failure is a reason
                batch.failures[request.key] = self._failure(error, ACTION)
                continue
            now = self._clock.now()
            if params.table:
                batch.results[request.key] = alarm_table(alarms)
            else:
                batch.results[request.key] = SeriesResult(
                    {
                        alarm["name"]: [(now, STATE_VALUES.get(alarm["state"], 1.0))]
                        for alarm in alarms
                    }
                )
        return batch

    async def history(self, names: Sequence[str]) -> TableResult:
        """The recent state changes of these alarms, newest first.

        Never raises: a failure comes back as a one-row table saying why, so the
        drill-down can show it where the history would be."""
        try:
            items = await call_in_thread(partial(self._history, list(names)))
        except Exception as error:  # noqa: BLE001 - every SDK failure is a reason
            reason = self._failure(error, "cloudwatch:DescribeAlarmHistory").reason
            return TableResult(("when", "alarm", "change"), [(None, "", reason)])
        return TableResult(("when", "alarm", "change"), items)

    async def close(self) -> None:
        """Nothing to close: the SDK's connections go with its clients."""

    def _describe(self, params: CloudWatchAlarmsParams) -> list[dict[str, Any]]:
        """Every alarm the query selects, through every page (runs in a thread)."""
        client = self.clients.client("cloudwatch")
        arguments: dict[str, Any] = {
            "AlarmTypes": [
                "MetricAlarm" if kind == "metric" else "CompositeAlarm"
                for kind in params.types
            ],
            "MaxRecords": 100,
        }
        if params.names:
            arguments["AlarmNames"] = params.names
        if params.prefix:
            arguments["AlarmNamePrefix"] = params.prefix
        if params.state is not None:
            arguments["StateValue"] = params.state
        found: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            self.calls += 1
            page = client.describe_alarms(**arguments)
            for kind, items in (
                ("metric", page.get("MetricAlarms", [])),
                ("composite", page.get("CompositeAlarms", [])),
            ):
                found.extend(_alarm(kind, item) for item in items)
            token = page.get("NextToken")
            if not token:
                break
            arguments["NextToken"] = token
        return found

    def _history(self, names: list[str]) -> list[tuple[Cell, ...]]:
        client = self.clients.client("cloudwatch")
        rows: list[tuple[float, str, str]] = []
        for name in names[:10]:
            page = client.describe_alarm_history(
                AlarmName=name,
                HistoryItemType="StateUpdate",
                MaxRecords=HISTORY_ITEMS,
                ScanBy="TimestampDescending",
            )
            for item in page.get("AlarmHistoryItems", []):
                stamp = item.get("Timestamp")
                rows.append(
                    (
                        stamp.timestamp() if stamp is not None else 0.0,
                        str(item.get("AlarmName", name)),
                        clipped(str(item.get("HistorySummary", "")), 120),
                    )
                )
        rows.sort(reverse=True)
        return list(rows[: HISTORY_ITEMS * 2])

    def _failure(self, error: BaseException, action: str) -> FetchFailure:
        who = self.clients.profile_label
        where = self.clients.region_label()
        if is_throttling(error):
            reason = f"throttled ({self.clients.account()}, {where})"
            return FetchFailure(reason, throttled=True)
        return FetchFailure(aws_reason(error, action, who, where))


def _alarm(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    stamp = item.get("StateUpdatedTimestamp")
    if kind == "composite":
        watches = clipped(str(item.get("AlarmRule", "")), 80)
    else:
        metric = item.get("MetricName") or "metric math"
        watches = f"{item.get('Namespace', '')} {metric}".strip()
    return {
        "name": str(item.get("AlarmName", "")),
        "type": kind,
        "state": str(item.get("StateValue", "INSUFFICIENT_DATA")),
        "reason": clipped(str(item.get("StateReason", "")), 200),
        "since": stamp.timestamp() if stamp is not None else None,
        "watches": watches,
    }


def alarm_table(alarms: Sequence[dict[str, Any]]) -> TableResult:
    """A row per alarm, firing first, then insufficient data, then OK; within a
    state, the most recent change first."""
    ordered = sorted(
        alarms,
        key=lambda a: (-STATE_VALUES.get(a["state"], 1.0), -(a["since"] or 0.0)),
    )
    return TableResult(
        COLUMNS, [tuple(alarm[column] for column in _KEYS) for alarm in ordered]
    )


def alarm_names(states: Sequence[QueryState | None]) -> list[str]:
    """The alarms a panel shows: its series names, or its table's first column."""
    names: list[str] = []
    for state in states:
        if state is None:
            continue
        if state.table is not None:
            names += [str(row[0]) for row in state.table.rows if row]
        else:
            names += list(state.series)
    return names


_KEYS = ("name", "type", "state", "reason", "since", "watches")


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, AwsOptions):
        options = CloudWatchAlarmsOptions.model_validate(options.model_dump())
    return CloudWatchAlarmsSource(name, options, clock)


KIND = SourceKind(
    type_name="cloudwatch_alarms",
    options_model=CloudWatchAlarmsOptions,
    params_model=CloudWatchAlarmsParams,
    create=_create,
    min_interval=10.0,
    max_batch=20,
)
"""The CloudWatch alarms source, as the registry knows it."""

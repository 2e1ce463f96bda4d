"""The cloudwatch_alarms source against a real moto server, and against botocore's
Stubber where moto cannot show the path (each such test says why)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.stub import Stubber

from console.clock import ManualClock
from console.evaluation import PanelState, evaluate_panel
from console.profile_schema import Panel
from console.results import FetchRequest, SeriesResult, TableResult
from console.sources.cloudwatch_alarms import (
    CloudWatchAlarmsOptions,
    CloudWatchAlarmsParams,
    CloudWatchAlarmsSource,
)
from console.store import Store
from tests.server_moto import REGION, MotoServer, shared_moto

pytestmark = pytest.mark.integration

NOW = 1_700_000_000.0


@pytest.fixture(scope="module")
def moto(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MotoServer:
    return shared_moto(request, tmp_path_factory)


def params(**fields: Any) -> dict[str, object]:
    return CloudWatchAlarmsParams.model_validate(fields).model_dump(mode="json")


def source_for(moto: MotoServer) -> CloudWatchAlarmsSource:
    options = CloudWatchAlarmsOptions.model_validate(
        {"region": REGION, "endpoint_url": moto.url}
    )
    return CloudWatchAlarmsSource("alarms", options, ManualClock(NOW))


def put_alarms(moto: MotoServer) -> None:
    moto.reset()
    client = moto.client("cloudwatch")
    for name in ("checkout-5xx", "checkout-latency", "db-cpu"):
        client.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/ApplicationELB",
            MetricName="HTTPCode_ELB_5XX_Count",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=10.0,
            ComparisonOperator="GreaterThanThreshold",
        )
    client.set_alarm_state(
        AlarmName="checkout-5xx", StateValue="ALARM", StateReason="12 errors > 10"
    )
    client.set_alarm_state(
        AlarmName="checkout-latency",
        StateValue="INSUFFICIENT_DATA",
        StateReason="no data",
    )


def request(fields: dict[str, object]) -> FetchRequest:
    return FetchRequest("k", fields, NOW - 3600, NOW, 60)


async def test_alarm_in_alarm_is_a_critical_tile(moto: MotoServer) -> None:
    put_alarms(moto)
    source = source_for(moto)
    fields = params(prefix="checkout-")
    batch = await source.fetch([request(fields)])
    answer = batch.results["k"]
    assert isinstance(answer, SeriesResult)
    values = {name: points[-1][1] for name, points in answer.series.items()}
    assert values == {"checkout-5xx": 2.0, "checkout-latency": 1.0}
    panel = Panel.model_validate(
        {
            "id": "alarms",
            "title": "Alarms",
            "type": "alert_status",
            "at": {"x": 0, "y": 0, "w": 4, "h": 4},
            "query": {"source": "alarms", **fields},
            "thresholds": {"warning": 1, "critical": 2},
        }
    )
    store = Store()
    store.ensure("k", 60, 10)
    store.record("k", answer, NOW)
    status = evaluate_panel(panel, [store.get("k")], NOW, 3600)
    assert status.state is PanelState.CRITICAL
    assert status.series == "checkout-5xx"


async def test_alarm_table_lists_firing_first_with_reason(moto: MotoServer) -> None:
    put_alarms(moto)
    source = source_for(moto)
    batch = await source.fetch([request(params(table=True))])
    table = batch.results["k"]
    assert isinstance(table, TableResult)
    assert list(table.columns) == [
        "alarm",
        "type",
        "state",
        "reason",
        "since",
        "watches",
    ]
    first = table.rows[0]
    assert first[:4] == ("checkout-5xx", "metric", "ALARM", "12 errors > 10")
    assert isinstance(first[4], float)
    assert [row[2] for row in table.rows] == ["ALARM", "INSUFFICIENT_DATA", "OK"]


async def test_state_filter(moto: MotoServer) -> None:
    put_alarms(moto)
    source = source_for(moto)
    batch = await source.fetch([request(params(state="OK"))])
    answer = batch.results["k"]
    assert isinstance(answer, SeriesResult)
    assert list(answer.series) == ["db-cpu"]


def test_names_and_prefix_together_are_refused() -> None:
    with pytest.raises(ValueError, match="either `names` or `prefix`"):
        CloudWatchAlarmsParams.model_validate({"names": ["a"], "prefix": "b"})


async def test_pages_and_composite_alarms(moto: MotoServer) -> None:
    # Stubber: moto never pages DescribeAlarms and has no composite alarms API.
    source = source_for(moto)
    stubber = Stubber(source.clients.client("cloudwatch"))
    stubber.activate()
    changed = dt.datetime.fromtimestamp(NOW - 60, dt.UTC)
    base = {"AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "MaxRecords": 100}
    stubber.add_response(
        "describe_alarms",
        {
            "MetricAlarms": [
                {
                    "AlarmName": "a",
                    "StateValue": "OK",
                    "StateReason": "fine",
                    "StateUpdatedTimestamp": changed,
                    "Namespace": "AWS/EC2",
                    "MetricName": "CPUUtilization",
                }
            ],
            "CompositeAlarms": [],
            "NextToken": "t2",
        },
        base,
    )
    stubber.add_response(
        "describe_alarms",
        {
            "MetricAlarms": [],
            "CompositeAlarms": [
                {
                    "AlarmName": "service-down",
                    "StateValue": "ALARM",
                    "StateReason": "a and b",
                    "StateUpdatedTimestamp": changed,
                    "AlarmRule": 'ALARM("a") AND ALARM("b")',
                }
            ],
        },
        {**base, "NextToken": "t2"},
    )
    batch = await source.fetch([request(params(table=True))])
    stubber.assert_no_pending_responses()
    table = batch.results["k"]
    assert isinstance(table, TableResult)
    assert table.rows[0][:3] == ("service-down", "composite", "ALARM")
    assert table.rows[0][5] == 'ALARM("a") AND ALARM("b")'
    assert table.rows[1][5] == "AWS/EC2 CPUUtilization"
    assert source.calls == 2


async def test_history_for_the_drill_down(moto: MotoServer) -> None:
    # Stubber: moto has no DescribeAlarmHistory.
    source = source_for(moto)
    stubber = Stubber(source.clients.client("cloudwatch"))
    stubber.activate()
    stubber.add_response(
        "describe_alarm_history",
        {
            "AlarmHistoryItems": [
                {
                    "AlarmName": "a",
                    "HistoryItemType": "StateUpdate",
                    "Timestamp": dt.datetime.fromtimestamp(NOW, dt.UTC),
                    "HistorySummary": "Alarm updated from OK to ALARM",
                }
            ]
        },
        {
            "AlarmName": "a",
            "HistoryItemType": "StateUpdate",
            "MaxRecords": 20,
            "ScanBy": "TimestampDescending",
        },
    )
    history = await source.history(["a"])
    assert list(history.rows) == [(NOW, "a", "Alarm updated from OK to ALARM")]


async def test_access_denied_names_profile_and_region(moto: MotoServer) -> None:
    # Stubber: moto accepts any credentials.
    source = source_for(moto)
    stubber = Stubber(source.clients.client("cloudwatch"))
    stubber.activate()
    stubber.add_client_error("describe_alarms", "AccessDenied", "nope", 403)
    batch = await source.fetch([request(params())])
    assert batch.failures["k"].reason == (
        f"access denied to cloudwatch:DescribeAlarms for default credentials in "
        f"{REGION}"
    )

"""Alerts from panels and from tables of alerts (Alertmanager's, alarm-like)."""

from __future__ import annotations

from console.alert_feeds import alert_tables, panel_signals, table_signals
from console.alert_model import Severity
from console.evaluation import PanelState, PanelStatus
from console.profile_schema import Panel
from console.results import TableResult
from console.sources.alertmanager_alerts import Alert, alert_table


def latency_panel() -> Panel:
    return Panel.model_validate(
        {
            "id": "latency",
            "title": "p99 latency",
            "type": "line_chart",
            "at": {"x": 0, "y": 0, "w": 6, "h": 8},
            "query": {"source": "shop", "metric": "latency"},
            "thresholds": {"warning": 400, "critical": 800, "for": "2m"},
            "runbook": "https://runbooks.example/latency",
        }
    )


def test_a_breaching_panel_gives_one_signal_with_its_hold_and_runbook() -> None:
    status = PanelStatus(PanelState.CRITICAL, "checkout 812ms >= 800ms", 812.0, "x")
    [signal] = panel_signals("service", latency_panel(), status)
    assert signal.key == "panel:service/latency"
    assert signal.severity is Severity.CRITICAL
    assert signal.hold == 120.0
    assert signal.runbook == "https://runbooks.example/latency"
    assert signal.value == 812.0
    ok = PanelStatus(PanelState.OK, "", 100.0)
    assert panel_signals("service", latency_panel(), ok) == []
    stale = PanelStatus(PanelState.STALE, "stale")
    assert panel_signals("service", latency_panel(), stale) == []


def test_alertmanager_rows_become_signals_with_states_mapped() -> None:
    alerts = [
        Alert(
            "f1",
            {"alertname": "HighLatency", "severity": "page", "job": "api"},
            {"summary": "p99 high"},
            "active",
            (),
            (),
            1000.0,
        ),
        Alert(
            "f2",
            {"alertname": "DiskFull", "severity": "warning"},
            {},
            "suppressed",
            ("s1",),
            (),
            2000.0,
        ),
        Alert("f3", {"alertname": "Flaky"}, {}, "unprocessed", (), (), 3000.0),
    ]
    table = alert_table(alerts, [])
    assert alert_tables([None, table]) == [table]
    signals = {s.title: s for s in table_signals(table, source="am", panel="p")}
    high = signals["HighLatency"]
    assert high.key == "am:f1"
    assert high.severity is Severity.CRITICAL
    assert high.summary == "p99 high"
    assert high.started == 1000.0
    assert high.labels["job"] == "api"
    assert signals["DiskFull"].silenced
    assert signals["Flaky"].pending
    assert signals["Flaky"].severity is Severity.WARNING


def test_an_alarm_table_skips_ok_rows_and_keys_by_name_and_labels() -> None:
    table = TableResult(
        columns=["alarm", "state", "reason"],
        rows=[
            ["cpu-high", "ALARM", "Threshold crossed"],
            ["disk", "OK", ""],
            ["mem", "INSUFFICIENT_DATA", ""],
        ],
    )
    [signal] = table_signals(table, source="cw")
    assert signal.key == "cw:cpu-high"
    assert signal.summary == "Threshold crossed"
    assert signal.severity is Severity.WARNING


def test_a_table_without_state_is_not_an_alert_table() -> None:
    table = TableResult(columns=["endpoint", "requests"], rows=[["/a", 1.0]])
    assert alert_tables([table]) == []
    assert table_signals(table, source="x") == []

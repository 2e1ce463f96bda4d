"""CloudWatch dashboards in and out: import, export, the round trip, and the CLI."""

from __future__ import annotations

import contextlib
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from console.cli import main
from console.cloudwatch_export import export_dashboard
from console.cloudwatch_import import import_dashboard
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import load_profile, load_profile_text
from console.profile_schema import Panel, Profile
from console.sources.cloudwatch_params import CloudWatchParams
from tests.server_moto import MotoServer, shared_moto

BODY = {
    "start": "-PT6H",
    "widgets": [
        {
            "type": "metric",
            "x": 0,
            "y": 0,
            "width": 12,
            "height": 6,
            "properties": {
                "view": "timeSeries",
                "region": "eu-west-1",
                "title": "CPU",
                "stat": "Average",
                "period": 300,
                "metrics": [
                    ["AWS/EC2", "CPUUtilization", "InstanceId", "i-1"],
                    ["...", "i-2", {"label": "second"}],
                    [".", "NetworkIn", ".", "i-3", {"stat": "Sum", "visible": False}],
                ],
                "annotations": {
                    "horizontal": [
                        {"label": "warning", "value": 70},
                        {"label": "critical", "value": 90},
                    ]
                },
            },
        },
        {
            "type": "metric",
            "x": 12,
            "y": 0,
            "width": 6,
            "height": 6,
            "properties": {
                "view": "gauge",
                "region": "eu-west-1",
                "title": "Error rate",
                "metrics": [
                    [{"expression": "100 * e / r", "id": "rate", "label": "rate"}],
                    ["AWS/ELB", "HTTPCode_ELB_5XX", {"id": "e", "stat": "Sum"}],
                    [".", "RequestCount", {"id": "r", "stat": "Sum"}],
                ],
                "yAxis": {"left": {"min": 0, "max": 10}},
            },
        },
        {
            "type": "metric",
            "x": 18,
            "y": 0,
            "width": 6,
            "height": 6,
            "properties": {
                "view": "singleValue",
                "region": "us-west-2",
                "title": "p99",
                "metrics": [
                    [
                        "AWS/Lambda",
                        "Duration",
                        "FunctionName",
                        "f",
                        {"stat": "p99", "region": "us-west-2"},
                    ]
                ],
            },
        },
        {
            "type": "log",
            "x": 0,
            "y": 6,
            "width": 24,
            "height": 6,
            "properties": {"query": "fields @message", "title": "Errors log"},
        },
        {
            "type": "text",
            "x": 0,
            "y": 12,
            "width": 8,
            "height": 3,
            "properties": {"markdown": "# Runbook"},
        },
        {
            "type": "alarm",
            "x": 8,
            "y": 12,
            "width": 16,
            "height": 3,
            "properties": {
                "title": "Alarms",
                "alarms": ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:db-cpu"],
            },
        },
    ],
}


def test_a_console_body_imports_and_lints() -> None:
    text = import_dashboard(json.dumps(BODY), "ops dash")
    loaded = load_profile_text(text, "ops-dash.yaml")
    profile = loaded.profile
    assert loaded.variables["region"] == "eu-west-1"
    dashboard = profile.dashboards[0]
    assert dashboard.range == 6 * 3600
    cpu, rate, p99, log, runbook, alarms = dashboard.panels
    assert cpu.type == "line_chart"
    assert (cpu.at.x, cpu.at.y, cpu.at.w, cpu.at.h) == (0, 0, 6, 6)
    queries = cpu.all_queries()
    assert [q.params()["dimensions"] for q in queries] == [
        {"InstanceId": "i-1"},
        {"InstanceId": "i-2"},
    ]
    assert queries[1].label == "second"
    assert cpu.thresholds is not None
    assert (cpu.thresholds.warning, cpu.thresholds.critical) == (70, 90)
    assert rate.type == "gauge" and (rate.min, rate.max) == (0, 10)
    math = CloudWatchParams.model_validate(rate.all_queries()[0].params())
    assert math.expression == "100 * e / r"
    assert [m.id for m in math.metrics] == ["e", "r"]
    assert math.metrics[1].metric == "RequestCount"
    p99_query = p99.all_queries()[0].params()
    assert (p99_query["stat"], p99_query["region"]) == ("p99", "us-west-2")
    assert log.type == "text" and "CloudWatch log widget" in (log.text or "")
    assert runbook.text == "# Runbook"
    assert alarms.all_queries()[0].params() == {"names": ["db-cpu"]}


def comparable(panel: Panel) -> dict[str, Any]:
    queries = []
    for query in panel.all_queries():
        params = CloudWatchParams.model_validate(query.params()).model_dump()
        params.pop("id")
        queries.append((query.source, query.label, params))
    return {
        "type": panel.type,
        "title": panel.title,
        "at": panel.at,
        "thresholds": panel.thresholds,
        "min": panel.min,
        "max": panel.max,
        "queries": queries,
    }


def cloudwatch_panels(profile: Profile) -> list[Panel]:
    return [
        p
        for p in profile.dashboards[0].panels
        if all(profile.sources[q.source].type == "cloudwatch" for q in p.all_queries())
        and p.type != "text"
    ]


def test_export_then_import_gives_the_same_panels() -> None:
    original = load_profile(shipped_profiles_dir() / "aws-operations.yaml").profile
    exported = export_dashboard(original, original.dashboards[0])
    assert exported.left_out == ["alarm-tiles", "alarm-table"]
    again = load_profile_text(
        import_dashboard(json.dumps(exported.body), "ops"), "ops.yaml"
    ).profile
    before = [comparable(p) for p in cloudwatch_panels(original)]
    after = [comparable(p) for p in cloudwatch_panels(again)]
    assert after == before
    assert again.dashboards[0].range == original.dashboards[0].range


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def test_cli_import_to_a_private_file_that_lints(tmp_path: Path) -> None:
    body = tmp_path / "ops.json"
    body.write_text(json.dumps(BODY))
    target = tmp_path / "ops.yaml"
    status, _, err = run("import", "cloudwatch", str(body), "-o", str(target))
    assert (status, err) == (0, "")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert run("lint", str(target))[0] == 0
    status, out, _ = run("import", "cloudwatch", str(body))
    assert status == 0 and yaml.safe_load(out)["profile"] == "ops"


def test_cli_import_of_bad_json_is_one_located_line(tmp_path: Path) -> None:
    body = tmp_path / "bad.json"
    body.write_text("{nope")
    target = tmp_path / "out.yaml"
    status, _, err = run("import", "cloudwatch", str(body), "-o", str(target))
    assert status == 1
    assert err.startswith(f"{body}: not JSON: ") and err.count("\n") == 1
    assert not target.exists()


@pytest.mark.integration
def test_put_with_export_and_get_with_import_on_moto(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    moto: MotoServer = shared_moto(request, tmp_path_factory)
    moto.reset()
    status, _, err = run(
        "export", "cloudwatch", "--profile", "aws-operations", "--put", "ops"
    )
    assert status == 0, err
    assert "put dashboard 'ops'" in err
    status, out, err = run("import", "cloudwatch", "--name", "ops")
    assert status == 0, err
    imported = load_profile_text(out, "ops.yaml").profile
    original = load_profile(shipped_profiles_dir() / "aws-operations.yaml").profile
    assert [comparable(p) for p in cloudwatch_panels(imported)] == [
        comparable(p) for p in cloudwatch_panels(original)
    ]


def _metric_widget(x: int, y: int, width: int) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": width,
        "height": 6,
        "properties": {
            "metrics": [["AWS/EC2", "CPUUtilization", "InstanceId", "i-1"]],
            "region": "us-east-1",
            "title": f"cpu at {x}",
        },
    }


def test_odd_columns_and_narrow_widgets_never_overlap_after_import() -> None:
    # 24 columns onto 12: widgets at odd columns, and one a single column wide,
    # land side by side or below, never on top of each other, so the profile lints.
    widgets = [
        _metric_widget(0, 0, 5),
        _metric_widget(5, 0, 7),
        _metric_widget(12, 0, 1),
        _metric_widget(13, 0, 11),
    ]
    text = import_dashboard(json.dumps({"widgets": widgets}), "odd grid")
    panels = load_profile_text(text, "odd.yaml").profile.dashboards[0].panels
    cells = [
        (col, row)
        for panel in panels
        for col in range(panel.at.x, panel.at.x + panel.at.w)
        for row in range(panel.at.y, panel.at.y + panel.at.h)
    ]
    assert len(cells) == len(set(cells))
    assert [(p.at.x, p.at.w) for p in panels[:2]] == [(0, 3), (3, 3)]

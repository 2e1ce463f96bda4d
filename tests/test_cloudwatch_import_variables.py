"""CloudWatch dashboard variables on import: property variables (a dimension, the
region) and pattern variables rewrite the metric rows they change to `${name}`;
fixed values become choices, a metric search a `discover:` block; and the imported
profile exports back to the dashboard it came from, with the values chosen."""

from __future__ import annotations

import json
from typing import Any

import yaml

from console.cloudwatch_export import export_dashboard
from console.cloudwatch_import import import_dashboard
from console.profile_loader import LoadedProfile, load_profile_text
from tests.test_cloudwatch_import_export import cloudwatch_panels, comparable


def metric(
    x: int, title: str, rows: list[Any], region: str = "eu-west-1"
) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": 0,
        "width": 8,
        "height": 6,
        "properties": {
            "view": "timeSeries",
            "region": region,
            "title": title,
            "stat": "Average",
            "period": 300,
            "metrics": rows,
        },
    }


BODY: dict[str, Any] = {
    "widgets": [
        metric(
            0,
            "CPU",
            [
                ["AWS/EC2", "CPUUtilization", "InstanceId", "i-2"],
                [".", "NetworkIn", ".", "."],
            ],
        ),
        metric(
            8,
            "checkout-prod p99",
            [["AWS/Lambda", "Duration", "FunctionName", "checkout-prod"]],
        ),
        metric(16, "Elsewhere", [["AWS/SQS", "Depth", "QueueName", "q"]], "us-west-2"),
    ],
    "variables": [
        {
            "type": "property",
            "property": "InstanceId",
            "inputType": "select",
            "id": "instance",
            "label": "Instance",
            "defaultValue": "i-2",
            "visible": True,
            "values": [
                {"value": "i-1", "label": "web 1"},
                {"value": "i-2", "label": "web 2"},
                {"value": "i-3"},
            ],
        },
        {
            "type": "pattern",
            "pattern": "prod",
            "inputType": "radio",
            "id": "stage",
            "label": "Stage",
            "defaultValue": "prod",
            "values": [{"value": "prod"}, {"value": "staging"}],
        },
        {
            "type": "property",
            "property": "region",
            "inputType": "input",
            "id": "where",
            "label": "Region",
            "defaultValue": "eu-west-1",
        },
    ],
}


def load(body: dict[str, Any], **overrides: str) -> LoadedProfile:
    loaded = load_profile_text(import_dashboard(json.dumps(body), "vars"), "v.yaml")
    return loaded.with_variables(overrides) if overrides else loaded


def test_property_and_pattern_variables_rewrite_the_rows() -> None:
    tree = yaml.safe_load(import_dashboard(json.dumps(BODY), "vars"))
    variables = tree["variables"]
    assert set(variables) == {"instance", "stage", "where"}, "no second region"
    assert variables["instance"] == {
        "default": "i-2",
        "description": "Instance",
        "choices": ["i-1", "i-2", "i-3"],
    }
    assert variables["stage"]["choices"] == ["prod", "staging"]
    assert "choices" not in variables["where"], "input: any value may be typed"
    assert tree["sources"]["aws"]["region"] == "${where}"
    cpu, duration, elsewhere = tree["dashboards"][0]["panels"]
    assert [q["dimensions"] for q in cpu["queries"]] == [
        {"InstanceId": "${instance}"},
        {"InstanceId": "${instance}"},
    ]
    assert duration["query"]["dimensions"] == {"FunctionName": "checkout-${stage}"}
    assert duration["title"] == "checkout-${stage} p99"
    assert "region" not in elsewhere["query"], "the region variable sets every row"


def test_the_imported_profile_lints_and_follows_its_variables() -> None:
    loaded = load(BODY)
    assert loaded.variables == {
        "instance": "i-2",
        "stage": "prod",
        "where": "eu-west-1",
    }
    cpu, duration, _ = loaded.profile.dashboards[0].panels
    assert cpu.all_queries()[0].params()["dimensions"] == {"InstanceId": "i-2"}
    assert duration.title == "checkout-prod p99"
    assert loaded.profile.sources["aws"].model_dump()["region"] == "eu-west-1"
    other = load(BODY, instance="i-3", stage="staging", where="us-east-2")
    cpu, duration, _ = other.profile.dashboards[0].panels
    dimensions = [q.params()["dimensions"] for q in cpu.all_queries()]
    assert dimensions == [{"InstanceId": "i-3"}, {"InstanceId": "i-3"}]
    assert duration.all_queries()[0].params()["dimensions"] == {
        "FunctionName": "checkout-staging"
    }
    assert other.profile.sources["aws"].model_dump()["region"] == "us-east-2"


def test_a_search_variable_becomes_discovery_and_first_is_the_found_value() -> None:
    body = {
        "widgets": [BODY["widgets"][1]],
        "variables": [
            {
                "type": "property",
                "property": "FunctionName",
                "inputType": "select",
                "id": "function",
                "label": "Function",
                "defaultValue": "__FIRST",
                "search": '{AWS/Lambda,FunctionName} MetricName="Duration"',
                "populateFrom": "FunctionName",
            }
        ],
    }
    loaded = load(body)
    variable = loaded.profile.variables["function"]
    assert variable.default == "checkout-prod", "the value the dashboard showed"
    assert variable.discover is not None
    assert variable.discover.params() == {
        "namespace": "AWS/Lambda",
        "dimension": "FunctionName",
        "metric": "Duration",
    }


def test_export_of_the_import_gives_the_rows_with_the_chosen_values() -> None:
    for overrides in ({}, {"instance": "i-1", "stage": "staging"}):
        loaded = load(BODY, **overrides)
        profile = loaded.profile
        exported = export_dashboard(profile, profile.dashboards[0])
        rows = [w["properties"]["metrics"] for w in exported.body["widgets"]]
        assert rows[0][0][:4] == [
            "AWS/EC2",
            "CPUUtilization",
            "InstanceId",
            loaded.variables["instance"],
        ]
        again = load(exported.body)
        before = [comparable(p) for p in cloudwatch_panels(profile)]
        after = [comparable(p) for p in cloudwatch_panels(again.profile)]
        assert after == before


def test_a_body_without_variables_keeps_the_region_variable() -> None:
    tree = yaml.safe_load(
        import_dashboard(json.dumps({"widgets": BODY["widgets"]}), "plain")
    )
    assert tree["variables"] == {
        "region": {"default": "eu-west-1", "description": "The dashboard's region."}
    }
    assert tree["sources"]["aws"]["region"] == "${region}"

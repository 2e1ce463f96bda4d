"""Starting profiles for `watchdeck new`: one per audience, on one kind of source.

A template is a few panels for its audience (executive, operational, technical,
incident, business) whose queries come from a small vocabulary of signals (request
rate, error rate, p99 latency, CPU, orders, ...), each written the way the chosen
source asks for it. The workload's name becomes the `workload` variable, so the
profile reads as the user's own from the first run and is easy to point elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

import yaml

TemplateKind = Literal["executive", "operational", "technical", "incident", "business"]
TEMPLATE_KINDS: tuple[TemplateKind, ...] = (
    "executive",
    "operational",
    "technical",
    "incident",
    "business",
)
"""The templates `watchdeck new --template` offers."""

SourceChoice = Literal["demo", "prometheus", "aws"]
SOURCE_CHOICES: tuple[SourceChoice, ...] = ("demo", "prometheus", "aws")
"""Where a template's data comes from: synthetic, a Prometheus server, CloudWatch."""

SOURCE_TYPES: dict[SourceChoice, str] = {
    "demo": "testdata",
    "prometheus": "prometheus",
    "aws": "cloudwatch",
}
"""The source `type:` each choice writes into the profile."""

Signal = Literal[
    "requests", "errors", "latency", "cpu", "memory", "orders", "revenue", "conversion"
]

_ROLES: dict[TemplateKind, list[str]] = {
    "executive": ["executives"],
    "operational": ["operators", "engineers"],
    "technical": ["engineers"],
    "incident": ["incident_responders", "operators"],
    "business": ["business_owners", "executives"],
}

_REFRESH: dict[TemplateKind, str] = {
    "executive": "normal",
    "operational": "fast",
    "technical": "fast",
    "incident": "30s",
    "business": "normal",
}


class TemplateError(ValueError):
    """The workload name cannot make a profile; the message says why."""


def profile_id(workload: str, kind: TemplateKind) -> str:
    """The profile's name: the workload's, made an identifier, and the kind."""
    slug = re.sub(r"[^a-z0-9]+", "-", workload.lower()).strip("-_")
    if not slug:
        raise TemplateError(
            f"workload {workload!r} needs at least one letter or digit to name "
            "the profile"
        )
    return f"{slug[:40]}-{kind}"


def render_template(kind: TemplateKind, workload: str, source: SourceChoice) -> str:
    """The YAML text of a new profile for `workload`, `kind` and `source`."""
    name = workload.strip()
    if not name or len(name) > 80 or any(ord(c) < 32 for c in name):
        raise TemplateError("the workload name must be 1 to 80 printable characters")
    tree = _profile(kind, name, source)
    body = yaml.dump(
        tree, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88
    )
    article = "An" if kind[0] in "aeiou" else "A"
    header = (
        f"# {article} {kind} profile for {name}, from `watchdeck new` "
        f"({source} data).\n"
        "# Edit freely: `watchdeck lint FILE` checks it, `watchdeck --profile FILE`\n"
        "# opens it. Variables at the top point it at another workload.\n"
    )
    return header + body


def _profile(kind: TemplateKind, workload: str, source: SourceChoice) -> dict[str, Any]:
    signals = _SIGNALS[source]
    panels = _PANELS[kind](signals)
    if source == "aws":
        panels = [_in_cloudwatch_units(panel) for panel in panels]
    return {
        "profile": profile_id(workload, kind),
        "title": kind.capitalize(),
        "description": f"The {kind} view of {workload}.",
        "roles": _ROLES[kind],
        "variables": {
            "workload": {
                "default": workload,
                "description": "The workload the panels look at.",
            },
            **_source_variables(source, workload),
        },
        "sources": {"data": _SOURCE_BLOCKS[source]},
        "dashboards": [
            {
                "id": kind,
                "title": f"${{workload}}: {kind}",
                "kind": kind,
                "description": _DESCRIPTIONS[kind],
                "refresh": _REFRESH[kind],
                "range": "1h",
                "panels": panels,
            }
        ],
    }


_DESCRIPTIONS: dict[TemplateKind, str] = {
    "executive": "Is the service healthy, and how busy is it?",
    "operational": "Rates, errors and latency, for whoever runs the service.",
    "technical": "Resources and latency in detail, for whoever fixes it.",
    "incident": "What is firing, and the signals that explain it.",
    "business": "Orders, revenue and conversion.",
}

_SOURCE_BLOCKS: dict[SourceChoice, dict[str, Any]] = {
    "demo": {"type": "testdata", "seed": 7},
    "prometheus": {"type": "prometheus", "url": "${prometheus_url}"},
    "aws": {"type": "cloudwatch", "region": "${region}"},
}


def _source_variables(source: SourceChoice, workload: str) -> dict[str, Any]:
    """The variables that say where the source's data is."""
    if source == "prometheus":
        return {
            "prometheus_url": {
                "default": "http://127.0.0.1:9090",
                "description": "The Prometheus server to ask.",
            }
        }
    if source == "aws":
        # A variable's default is never substituted, so these are written out.
        slug = profile_id(workload, "executive").removesuffix("-executive")
        return {
            "region": {"default": "us-east-1", "description": "The AWS region."},
            "load_balancer": {
                "default": f"app/{slug}/0123456789abcdef",
                "description": "The ALB as CloudWatch names it; replace the id.",
            },
            "asg": {
                "default": slug,
                "description": "The Auto Scaling group of the workload's instances.",
            },
        }
    return {}


def _demo(signal: Signal) -> dict[str, Any]:
    shapes: dict[Signal, dict[str, Any]] = {
        "requests": {"shape": "counter"},
        "errors": {"shape": "errors"},
        "latency": {"shape": "latency", "series": ["p99"]},
        "cpu": {"shape": "percent"},
        "memory": {"shape": "percent", "base": 60},
        "orders": {"shape": "counter", "base": 40},
        "revenue": {"shape": "counter", "base": 3000},
        "conversion": {"shape": "percent", "base": 3, "amplitude": 1},
    }
    return {"source": "data", "metric": f"${{workload}}-{signal}", **shapes[signal]}


def _prometheus(signal: Signal) -> dict[str, Any]:
    job = 'job="${workload}"'
    promql: dict[Signal, str] = {
        "requests": f"sum(rate(http_requests_total{{{job}}}[5m]))",
        "errors": (
            f'100 * sum(rate(http_requests_total{{{job},code=~"5.."}}[5m])) / '
            f"sum(rate(http_requests_total{{{job}}}[5m]))"
        ),
        "latency": (
            "1000 * histogram_quantile(0.99, sum by (le) "
            f"(rate(http_request_duration_seconds_bucket{{{job}}}[5m])))"
        ),
        "cpu": f"100 * avg(rate(process_cpu_seconds_total{{{job}}}[5m]))",
        "memory": f"sum(process_resident_memory_bytes{{{job}}}) / 1048576",
        "orders": f"sum(rate(orders_total{{{job}}}[5m])) * 60",
        "revenue": f"sum(rate(revenue_total{{{job}}}[5m])) * 3600",
        "conversion": (
            f"100 * sum(rate(orders_total{{{job}}}[1h])) / "
            f"sum(rate(sessions_total{{{job}}}[1h]))"
        ),
    }
    return {"source": "data", "promql": promql[signal]}


def _aws(signal: Signal) -> dict[str, Any]:
    alb = {"LoadBalancer": "${load_balancer}"}
    asg = {"AutoScalingGroupName": "${asg}"}
    custom = {"Workload": "${workload}"}
    metrics: dict[Signal, tuple[str, str, dict[str, str], str]] = {
        "requests": ("AWS/ApplicationELB", "RequestCount", alb, "Sum"),
        "errors": ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum"),
        "latency": ("AWS/ApplicationELB", "TargetResponseTime", alb, "p99"),
        "cpu": ("AWS/EC2", "CPUUtilization", asg, "Average"),
        "memory": ("CWAgent", "mem_used_percent", asg, "Average"),
        "orders": ("Business", "Orders", custom, "Sum"),
        "revenue": ("Business", "Revenue", custom, "Sum"),
        "conversion": ("Business", "ConversionRate", custom, "Average"),
    }
    namespace, metric, dimensions, stat = metrics[signal]
    return {
        "source": "data",
        "namespace": namespace,
        "metric": metric,
        "dimensions": dimensions,
        "stat": stat,
        "period": 60,
    }


_CLOUDWATCH_UNITS: dict[str, dict[str, Any]] = {
    "HTTPCode_Target_5XX_Count": {
        "unit": "/min",
        "thresholds": {"warning": 10, "critical": 50},
    },
    "TargetResponseTime": {
        "unit": "s",
        "decimals": 2,
        "thresholds": {"warning": 0.4, "critical": 0.8},
    },
}
"""CloudWatch counts errors rather than giving a percentage, and gives response time
in seconds: panels on those metrics take these units and levels instead."""


def _in_cloudwatch_units(panel: dict[str, Any]) -> dict[str, Any]:
    query = panel.get("query") or {}
    changes = _CLOUDWATCH_UNITS.get(str(query.get("metric")))
    if changes is None:
        return panel
    adjusted = {**panel, "unit": changes["unit"]}
    if "decimals" in changes:
        adjusted["decimals"] = changes["decimals"]
    if "thresholds" in panel:
        adjusted["thresholds"] = _Flow(changes["thresholds"])
    if panel["type"] == "gauge":
        adjusted["max"] = 2 * changes["thresholds"]["critical"]
    return adjusted


_SIGNALS: dict[SourceChoice, Callable[[Signal], dict[str, Any]]] = {
    "demo": _demo,
    "prometheus": _prometheus,
    "aws": _aws,
}

Query = Callable[[Signal], dict[str, Any]]


def _panel(
    panel_id: str,
    title: str,
    panel_type: str,
    at: tuple[int, int, int, int],
    query: dict[str, Any] | None = None,
    **more: Any,
) -> dict[str, Any]:
    x, y, w, h = at
    panel: dict[str, Any] = {
        "id": panel_id,
        "title": title,
        "type": panel_type,
        "at": _Flow(x=x, y=y, w=w, h=h),
    }
    if query is not None:
        panel["query"] = query
    panel.update(more)
    if "thresholds" in panel:
        panel["thresholds"] = _Flow(panel["thresholds"])
    return panel


class _Flow(dict[str, Any]):
    """A small mapping written on one line: `{x: 0, y: 0, w: 6, h: 8}`."""


class _Dumper(yaml.SafeDumper):
    """Writes a profile as a person would: no anchors, text as a block."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(str, _text)


_ERRORS = {"warning": 1, "critical": 5}
_LATENCY = {"warning": 400, "critical": 800}


def _executive(q: Query) -> list[dict[str, Any]]:
    return [
        _panel("errors", "Error rate", "single_value", (0, 0, 4, 6), q("errors"),
               unit="%", thresholds=_ERRORS),
        _panel("latency", "p99 latency", "gauge", (4, 0, 4, 6), q("latency"),
               unit="ms", min=0, max=1000, thresholds=_LATENCY),
        _panel("health", "Health", "alert_status", (8, 0, 4, 6), q("errors"),
               unit="%", thresholds=_ERRORS),
        _panel("traffic", "Requests", "line_chart", (0, 6, 12, 10), q("requests"),
               range="24h"),
    ]  # fmt: skip


def _operational(q: Query) -> list[dict[str, Any]]:
    return [
        _panel("requests", "Request rate", "line_chart", (0, 0, 6, 9), q("requests")),
        _panel("errors", "Error rate", "line_chart", (6, 0, 6, 9), q("errors"),
               unit="%", thresholds=_ERRORS),
        _panel("latency", "p99 latency", "line_chart", (0, 9, 8, 9), q("latency"),
               unit="ms", thresholds=_LATENCY),
        _panel("cpu", "CPU", "gauge", (8, 9, 4, 9), q("cpu"), unit="%",
               thresholds={"warning": 75, "critical": 90}),
    ]  # fmt: skip


def _technical(q: Query) -> list[dict[str, Any]]:
    return [
        _panel("cpu", "CPU", "line_chart", (0, 0, 6, 9), q("cpu"), unit="%",
               thresholds={"warning": 75, "critical": 90}),
        _panel("memory", "Memory", "line_chart", (6, 0, 6, 9), q("memory")),
        _panel("latency", "p99 latency", "line_chart", (0, 9, 8, 9), q("latency"),
               unit="ms", thresholds=_LATENCY),
        _panel("errors", "Error rate", "single_value", (8, 9, 4, 9), q("errors"),
               unit="%", thresholds=_ERRORS),
    ]  # fmt: skip


def _incident(q: Query) -> list[dict[str, Any]]:
    runbook = (
        "**First five minutes**\n\n"
        "1. Which tile is red, and since when?\n"
        "2. Did a deploy or a config change land just before?\n"
        "3. Is it one endpoint, one zone, or everything?\n"
        "4. Tell the channel what you see, then mitigate."
    )
    return [
        _panel("errors-alert", "Errors", "alert_status", (0, 0, 4, 6), q("errors"),
               unit="%", thresholds=_ERRORS),
        _panel("latency-alert", "Latency", "alert_status", (4, 0, 4, 6),
               q("latency"), unit="ms", thresholds=_LATENCY),
        _panel("runbook", "Runbook", "text", (8, 0, 4, 12), text=runbook),
        _panel("errors", "Error rate", "line_chart", (0, 6, 8, 9), q("errors"),
               unit="%", thresholds=_ERRORS, range="3h"),
        _panel("latency", "p99 latency", "line_chart", (0, 15, 8, 9),
               q("latency"), unit="ms", thresholds=_LATENCY, range="3h"),
        _panel("requests", "Request rate", "line_chart", (8, 12, 4, 12),
               q("requests")),
    ]  # fmt: skip


def _business(q: Query) -> list[dict[str, Any]]:
    return [
        _panel("orders", "Orders", "single_value", (0, 0, 4, 7), q("orders"),
               unit="/min"),
        _panel("revenue", "Revenue", "single_value", (4, 0, 4, 7), q("revenue"),
               unit="$/h", decimals=0),
        _panel("conversion", "Conversion", "gauge", (8, 0, 4, 7), q("conversion"),
               unit="%", min=0, max=10,
               thresholds={"warning": 2, "critical": 1, "direction": "below"}),
        _panel("orders-trend", "Orders over the day", "line_chart", (0, 7, 12, 10),
               q("orders"), range="24h"),
    ]  # fmt: skip


_PANELS: dict[TemplateKind, Callable[[Query], list[dict[str, Any]]]] = {
    "executive": _executive,
    "operational": _operational,
    "technical": _technical,
    "incident": _incident,
    "business": _business,
}

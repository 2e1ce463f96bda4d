"""A profile's dashboard turned into a CloudWatch dashboard body (JSON).

The inverse of `cloudwatch_import`: panels whose queries read a `cloudwatch` source
become metric widgets (their queries as metric rows, hidden inputs as rows with
`visible: false`), thresholds become horizontal annotations, gauge ranges the left
y axis, text panels text widgets, and our 12 columns are doubled onto CloudWatch's
24. Panels on other sources have no CloudWatch form and are left out; their ids
are returned so the caller can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from console.profile_schema import Dashboard, Panel, Profile
from console.sources.cloudwatch_params import CloudWatchParams, MetricSpec

VIEWS = {
    "line_chart": "timeSeries",
    "single_value": "singleValue",
    "gauge": "gauge",
    "bar_chart": "bar",
    "pie_chart": "pie",
    "table": "table",
}
"""Panel types and the CloudWatch views they become; others draw as timeSeries."""

DEFAULT_REGION = "us-east-1"


@dataclass
class Exported:
    """A dashboard body, and the panels that could not be exported."""

    body: dict[str, Any]
    left_out: list[str] = field(default_factory=list)


def export_dashboard(profile: Profile, dashboard: Dashboard) -> Exported:
    """The CloudWatch body for `dashboard` of `profile`."""
    widgets: list[dict[str, Any]] = []
    left_out: list[str] = []
    for panel in dashboard.panels:
        widget = _widget(profile, panel)
        if widget is None:
            left_out.append(panel.id)
        else:
            widgets.append(widget)
    body: dict[str, Any] = {"start": _iso_span(dashboard.range), "widgets": widgets}
    return Exported(body, left_out)


def _widget(profile: Profile, panel: Panel) -> dict[str, Any] | None:
    place = {
        "x": panel.at.x * 2,
        "y": panel.at.y,
        "width": panel.at.w * 2,
        "height": panel.at.h,
    }
    if panel.type == "text":
        return {"type": "text", **place, "properties": {"markdown": panel.text or ""}}
    queries = panel.all_queries()
    if not queries or any(
        profile.sources[q.source].type != "cloudwatch" for q in queries
    ):
        return None
    region = str(profile.sources[queries[0].source].options().get("region") or "")
    rows: list[list[Any]] = []
    for number, query in enumerate(queries):
        params = CloudWatchParams.model_validate(query.params())
        ident = params.id or f"q{number + 1}"
        for item in params.metrics:
            extra = {"id": item.id, "visible": False}
            rows.append(_row(item, item.period or params.period, extra))
        extra = {"id": ident}
        if query.label:
            extra["label"] = query.label
        if params.region and params.region != region:
            extra["region"] = params.region
        rows.append(_row(params, params.period, extra))
    properties: dict[str, Any] = {
        "view": VIEWS.get(panel.type, "timeSeries"),
        "title": panel.title,
        "region": region if region and "${" not in region else DEFAULT_REGION,
        "metrics": rows,
    }
    if panel.thresholds is not None:
        marks: list[dict[str, Any]] = []
        for label in ("warning", "critical"):
            value = getattr(panel.thresholds, label)
            if value is not None:
                mark: dict[str, Any] = {"label": label, "value": value}
                if panel.thresholds.direction == "below":
                    mark["fill"] = "below"
                marks.append(mark)
        properties["annotations"] = {"horizontal": marks}
    bounds = {
        k: v for k, v in (("min", panel.min), ("max", panel.max)) if v is not None
    }
    if bounds:
        properties["yAxis"] = {"left": bounds}
    return {"type": "metric", **place, "properties": properties}


def _row(spec: MetricSpec, period: int, extra: dict[str, Any]) -> list[Any]:
    if spec.expression is not None:
        return [{"expression": spec.expression, "period": period, **extra}]
    row: list[Any] = [spec.namespace, spec.metric]
    for name, value in spec.dimensions.items():
        row += [name, value]
    row.append({"stat": spec.stat, "period": period, **extra})
    return row


def _iso_span(seconds: float) -> str:
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = "-P" + (f"{days}D" if days else "")
    clock = (
        (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{secs}S" if secs else "")
    )
    return text + ("T" + clock if clock else "") if (days or clock) else "-PT1H"

"""A CloudWatch dashboard body (JSON) turned into a profile (YAML text).

Metric widgets become panels in the matching view (timeSeries line chart,
singleValue, gauge, bar, pie, table); their metric rows, with the "." and "..."
shorthand expanded, become queries; rows an expression draws on, or marked
`visible: false`, become the expression's hidden inputs. Horizontal annotations
become thresholds, the left y axis bounds a gauge's range, and the 24-column grid
is halved onto ours. Alarm widgets become status boards of those alarms; text
widgets become text panels; anything else (log, custom, explorer) becomes a text
panel saying what it was and why it is not shown. Dashboard variables become
profile variables, and the rows they change refer to them (`cloudwatch_variables`).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from console.cloudwatch_variables import import_variables
from console.durations import format_duration
from console.profile_schema import GRID_COLUMNS

VIEWS = {
    "timeSeries": "line_chart",
    "singleValue": "single_value",
    "gauge": "gauge",
    "bar": "bar_chart",
    "pie": "pie_chart",
    "table": "table",
}
"""CloudWatch's metric widget views and the panel types they become."""

DEFAULT_REGION = "us-east-1"
_ISO_SPAN = re.compile(r"^-P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_NAME = re.compile(r"[^a-z0-9_-]+")


class ImportError_(ValueError):
    """The body is not a CloudWatch dashboard; the message is one line."""


def import_dashboard(body: str, name: str) -> str:
    """The profile YAML for the dashboard `body` (its JSON text), called `name`."""
    try:
        document = json.loads(body)
    except ValueError as error:
        raise ImportError_(f"not JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("widgets"), list):
        raise ImportError_("not a CloudWatch dashboard body: no `widgets` list")
    profile = convert(document, name)
    return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=88)


def convert(document: dict[str, Any], name: str) -> dict[str, Any]:
    """The profile tree for a parsed dashboard body."""
    ident = _identifier(name)
    regions: list[str] = []
    panels: list[dict[str, Any]] = []
    uses_alarms = False
    for number, widget in enumerate(document["widgets"]):
        if not isinstance(widget, dict):
            continue
        panel, region, alarms = _panel(number, widget)
        uses_alarms = uses_alarms or alarms
        if region and region not in regions:
            regions.append(region)
        panels.append(panel)
    _unstack(panels)
    region = regions[0] if regions else DEFAULT_REGION
    for panel in panels:
        for query in _queries(panel):
            if query.get("region") == region:
                del query["region"]
    imported, region_variable = import_variables(
        document.get("variables"), panels, region, _identifier
    )
    variables: dict[str, Any] = {}
    if region_variable is None:
        region_variable = "region"
        variables["region"] = {
            "default": region,
            "description": "The dashboard's region.",
        }
    variables.update(imported)
    where = f"${{{region_variable}}}"
    sources: dict[str, Any] = {"aws": {"type": "cloudwatch", "region": where}}
    if uses_alarms:
        sources["alarms"] = {"type": "cloudwatch_alarms", "region": where}
    dashboard: dict[str, Any] = {"id": ident, "title": name[:120] or ident}
    span = _span(document.get("start"))
    if span is not None:
        dashboard["range"] = format_duration(span)
    dashboard["panels"] = panels or [_text_panel((0, 0, 12, 4), "empty", "Empty")]
    return {
        "profile": ident,
        "title": (name or ident)[:120],
        "description": "Imported from a CloudWatch dashboard.",
        "variables": variables,
        "sources": sources,
        "dashboards": [dashboard],
    }


def _queries(panel: dict[str, Any]) -> list[dict[str, Any]]:
    if "query" in panel:
        return [panel["query"]]
    return list(panel.get("queries", []))


def _panel(number: int, widget: dict[str, Any]) -> tuple[dict[str, Any], str, bool]:
    kind = widget.get("type")
    props = widget.get("properties") or {}
    x, y, w, h = _position(widget)
    title = str(props.get("title") or f"{kind} widget {number + 1}")[:120]
    if kind == "text":
        text = str(props.get("markdown") or " ")
        return (
            _text_panel((x, y, w, h), f"text-{number + 1}", title, text),
            "",
            False,
        )
    if kind == "alarm":
        names = [str(arn).rsplit(":", 1)[-1] for arn in props.get("alarms", [])]
        panel = {
            "id": f"alarms-{number + 1}",
            "title": title,
            "type": "status_board",
            "at": {"x": x, "y": y, "w": w, "h": h},
            "query": {"source": "alarms", "names": names},
            "thresholds": {"warning": 1, "critical": 2},
        }
        return panel, "", True
    if kind != "metric":
        why = (
            f"This was a CloudWatch {kind} widget. watchdeck shows metrics, alarms "
            "and text; open it in the CloudWatch console."
        )
        return (
            _text_panel((x, y, w, h), f"widget-{number + 1}", title, why),
            "",
            False,
        )
    return _metric_panel(number, props, (x, y, w, h), title)


def _metric_panel(
    number: int, props: dict[str, Any], at: tuple[int, int, int, int], title: str
) -> tuple[dict[str, Any], str, bool]:
    x, y, w, h = at
    region = str(props.get("region") or "")
    rows = expand_rows(props.get("metrics") or [])
    queries = _metric_queries(rows, props, region)
    panel: dict[str, Any] = {
        "id": f"metric-{number + 1}",
        "title": title,
        "type": VIEWS.get(str(props.get("view") or "timeSeries"), "line_chart"),
        "at": {"x": x, "y": y, "w": w, "h": h},
    }
    if not queries:
        why = "This metric widget has no metrics watchdeck can read."
        return _text_panel((x, y, w, h), panel["id"], title, why), region, False
    if len(queries) == 1:
        panel["query"] = queries[0]
    else:
        panel["queries"] = queries
    thresholds = _thresholds(props.get("annotations") or {})
    if thresholds:
        panel["thresholds"] = thresholds
    left = ((props.get("yAxis") or {}).get("left")) or {}
    for bound in ("min", "max"):
        if isinstance(left.get(bound), int | float):
            panel[bound] = left[bound]
    if props.get("stat") == "Sum" and panel["type"] != "line_chart":
        panel["stat"] = "last"
    return panel, region, False


def expand_rows(rows: list[Any]) -> list[tuple[list[str], dict[str, Any]]]:
    """Each metric row as its full list of strings and its options, with "." (the
    item above) and "..." (everything above before the items given) expanded."""
    expanded: list[tuple[list[str], dict[str, Any]]] = []
    previous: list[str] = []
    for row in rows:
        if not isinstance(row, list):
            continue
        options = row[-1] if row and isinstance(row[-1], dict) else {}
        items = [str(item) for item in (row[:-1] if options else row)]
        if items and items[0] == "...":
            rest = items[1:]
            items = previous[: max(0, len(previous) - len(rest))] + rest
        items = [
            previous[index] if item == "." and index < len(previous) else item
            for index, item in enumerate(items)
        ]
        if items:
            previous = items
        expanded.append((items, dict(options)))
    return expanded


def _metric_queries(
    rows: list[tuple[list[str], dict[str, Any]]], props: dict[str, Any], region: str
) -> list[dict[str, Any]]:
    default_stat = str(props.get("stat") or "Average")
    default_period = int(props.get("period") or 300)
    specs: dict[str, dict[str, Any]] = {}
    order: list[tuple[str, dict[str, Any], bool, str | None]] = []
    for number, (items, options) in enumerate(rows):
        ident = str(options.get("id") or f"m{number + 1}")
        spec: dict[str, Any]
        if "expression" in options:
            spec = {"expression": str(options["expression"])}
        elif len(items) >= 2:
            dims = dict(zip(items[2::2], items[3::2], strict=False))
            spec = {"namespace": items[0], "metric": items[1]}
            if dims:
                spec["dimensions"] = dims
            spec["stat"] = str(options.get("stat") or default_stat)
        else:
            continue
        spec["period"] = int(options.get("period") or default_period)
        if options.get("region") or region:
            spec["region"] = str(options.get("region") or region)
        specs[ident] = spec
        visible = options.get("visible", True) is not False
        order.append((ident, spec, visible, options.get("label")))
    referenced: set[str] = set()
    for _, spec, _, _ in order:
        if "expression" in spec:
            referenced |= set(re.findall(r"\b[a-z][A-Za-z0-9_]*\b", spec["expression"]))
    queries: list[dict[str, Any]] = []
    for ident, spec, visible, label in order:
        if not visible or (ident in referenced and "expression" not in spec):
            continue
        query: dict[str, Any] = {"source": "aws"}
        if label:
            query["label"] = str(label)
        if "expression" in spec:
            names = set(re.findall(r"\b[a-z][A-Za-z0-9_]*\b", spec["expression"]))
            inputs = [
                {
                    "id": other,
                    **_input(specs[other], spec["period"]),
                }
                for other in specs
                if other in names and other != ident
            ]
            query.update(spec)
            if inputs:
                query["metrics"] = inputs
        else:
            query.update(spec)
        query["id"] = ident
        queries.append(query)
    return queries


def _input(spec: dict[str, Any], period: int) -> dict[str, Any]:
    """A row as an expression's hidden input: its own region and, when it is the
    expression's, its period go."""
    return {
        key: value
        for key, value in spec.items()
        if key != "region" and not (key == "period" and value == period)
    }


def _thresholds(annotations: dict[str, Any]) -> dict[str, Any] | None:
    marks = [
        item
        for item in annotations.get("horizontal", []) or []
        if isinstance(item, dict) and isinstance(item.get("value"), int | float)
    ]
    if not marks:
        return None
    named = {str(m.get("label", "")).lower(): float(m["value"]) for m in marks}
    below = any(m.get("fill") == "below" for m in marks)
    found: dict[str, Any] = {}
    if "warning" in named or "critical" in named:
        found = {k: v for k, v in named.items() if k in ("warning", "critical")}
    else:
        values = sorted(float(m["value"]) for m in marks)
        if below:
            values.reverse()
        if len(values) == 1:
            found = {"critical": values[0]}
        else:
            found = {"warning": values[0], "critical": values[1]}
    if below:
        found["direction"] = "below"
    return found


def _text_panel(
    at: tuple[int, int, int, int], ident: str, title: str, text: str = " "
) -> dict[str, Any]:
    x, y, w, h = at
    return {
        "id": ident,
        "title": title,
        "type": "text",
        "at": {"x": x, "y": y, "w": w, "h": h},
        "text": text,
    }


def _position(widget: dict[str, Any]) -> tuple[int, int, int, int]:
    """CloudWatch's 24-column place on our 12 columns."""
    x24 = max(0, min(23, int(widget.get("x") or 0)))
    w24 = max(1, int(widget.get("width") or 6))
    # Both edges are halved the same way (half up), so two widgets side by side in
    # CloudWatch stay side by side here instead of sharing a column.
    x = (x24 + 1) // 2
    right = min(GRID_COLUMNS, (x24 + w24 + 1) // 2)
    w = max(1, right - x)
    if x + w > GRID_COLUMNS:
        x = GRID_COLUMNS - w
    return (
        x,
        max(0, int(widget.get("y") or 0)),
        w,
        max(1, int(widget.get("height") or 6)),
    )


def _unstack(panels: list[dict[str, Any]]) -> None:
    """Move down any panel that still overlaps one placed before it (a one-column
    CloudWatch widget can land on its neighbour's column), so the profile lints."""
    placed: list[dict[str, int]] = []
    for panel in panels:
        at = panel["at"]
        while True:
            below = [
                other["y"] + other["h"]
                for other in placed
                if at["x"] < other["x"] + other["w"]
                and other["x"] < at["x"] + at["w"]
                and at["y"] < other["y"] + other["h"]
                and other["y"] < at["y"] + at["h"]
            ]
            if not below:
                break
            at["y"] = max(below)
        placed.append(at)


def _span(start: object) -> float | None:
    if not isinstance(start, str):
        return None
    found = _ISO_SPAN.match(start)
    if not found or not any(found.groups()):
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return float(days * 86400 + hours * 3600 + minutes * 60 + seconds)


def _identifier(name: str) -> str:
    ident = _NAME.sub("-", name.lower()).strip("-_")[:64]
    return ident if ident and ident[0].isalnum() else f"imported-{ident}"[:64]

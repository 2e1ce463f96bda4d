"""A CloudWatch dashboard's `variables` turned into profile variables, and the
metric rows they change rewritten to `${name}`.

CloudWatch documents two kinds in a dashboard body's `variables` array:

- `type: property`: the variable sets every instance of one property of the
  dashboard's metrics: a dimension (`property: InstanceId` sets the InstanceId of
  every metric that has one) or `region`;
- `type: pattern`: the variable replaces text matching a regular expression
  (`pattern:`) wherever it appears in the dashboard.

`inputType` is `input` (any value typed), or `radio`/`select` over `values`
(each `{value, label}`) or over what a metric `search` finds, read from the
dimension `populateFrom`. A search becomes a `discover:` block on the imported
`aws` source; fixed values become `choices`. `defaultValue` is the value used
until the user picks another; `__FIRST` (the first value) and a missing default
fall back to the first fixed value, else the value the dashboard itself shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

_SEARCH = re.compile(r'^\s*\{\s*([^,}\s]+)[^}]*\}(?:.*?\bMetricName\s*=\s*"([^"]+)")?')
_FIRST = "__FIRST"
_QUERY_TEXT = ("namespace", "metric", "expression", "label")


def import_variables(
    declared: object,
    panels: list[dict[str, Any]],
    region: str,
    identifier: Callable[[str], str],
) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The profile variables for a body's `variables` array, after rewriting the
    `panels` (already converted, their queries in the dashboard's `region`
    without a `region` key) to refer to them; and the name of the variable that
    sets the region, when one does."""
    variables: dict[str, dict[str, Any]] = {}
    region_variable: str | None = None
    for entry in declared if isinstance(declared, list) else []:
        if not isinstance(entry, dict) or not entry.get("id"):
            continue
        name = identifier(str(entry["id"]))
        kind = str(entry.get("type") or "")
        found: list[str] = []
        if kind == "property" and entry.get("property"):
            prop = str(entry["property"])
            if prop.lower() == "region":
                region_variable = name
                found = [region, *_set_regions(panels)]
            else:
                found = _set_dimension(panels, prop, name)
        elif kind == "pattern" and entry.get("pattern"):
            found = _replace_pattern(panels, str(entry["pattern"]), name)
        variables[name] = _variable(entry, found)
    return variables, region_variable


def _variable(entry: dict[str, Any], found: list[str]) -> dict[str, Any]:
    values = [
        str(item.get("value"))
        for item in entry.get("values") or []
        if isinstance(item, dict) and item.get("value") is not None
    ]
    default = str(entry.get("defaultValue") or "")
    if not default or default == _FIRST:
        default = (values or found or [""])[0]
    variable: dict[str, Any] = {
        "default": default,
        "description": str(entry.get("label") or ""),
    }
    if values and str(entry.get("inputType")) in ("radio", "select"):
        variable["choices"] = list(dict.fromkeys([*values, default]))
    discover = _discover(entry)
    if discover is not None and "choices" not in variable:
        variable["discover"] = discover
    return variable


def _discover(entry: dict[str, Any]) -> dict[str, Any] | None:
    """A `discover:` block for a variable filled from a metric search, as
    `{AWS/Lambda,FunctionName} MetricName="Duration"` from `populateFrom`."""
    search, populate = entry.get("search"), entry.get("populateFrom")
    if not isinstance(search, str) or not isinstance(populate, str) or not populate:
        return None
    parsed = _SEARCH.match(search)
    if parsed is None:
        return None
    block: dict[str, Any] = {
        "source": "aws",
        "namespace": parsed.group(1),
        "dimension": populate,
    }
    if parsed.group(2):
        block["metric"] = parsed.group(2)
    return block


def _metric_specs(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every query of the panels and every hidden input of theirs."""
    for panel in panels:
        queries = [panel["query"]] if "query" in panel else panel.get("queries", [])
        for query in queries:
            if isinstance(query, dict) and query.get("source") == "aws":
                yield query
                yield from query.get("metrics", [])


def _set_dimension(panels: list[dict[str, Any]], prop: str, name: str) -> list[str]:
    found: list[str] = []
    for spec in _metric_specs(panels):
        dimensions = spec.get("dimensions") or {}
        if prop in dimensions:
            found.append(str(dimensions[prop]))
            dimensions[prop] = f"${{{name}}}"
    return list(dict.fromkeys(found))


def _set_regions(panels: list[dict[str, Any]]) -> list[str]:
    """Every query follows the source's region (which the variable sets)."""
    found: list[str] = []
    for spec in _metric_specs(panels):
        if "region" in spec:
            found.append(str(spec.pop("region")))
    return found


def _replace_pattern(
    panels: list[dict[str, Any]], pattern: str, name: str
) -> list[str]:
    try:
        matcher = re.compile(pattern)
    except re.error:
        matcher = re.compile(re.escape(pattern))
    found: list[str] = []
    reference = f"${{{name}}}"

    def swap(text: str) -> str:
        found.extend(match.group(0) for match in matcher.finditer(text))
        return matcher.sub(lambda _: reference, text)

    for panel in panels:
        if isinstance(panel.get("title"), str):
            panel["title"] = swap(panel["title"])
    for spec in _metric_specs(panels):
        for key in _QUERY_TEXT:
            if isinstance(spec.get(key), str):
                spec[key] = swap(spec[key])
        dimensions = spec.get("dimensions") or {}
        for key, value in list(dimensions.items()):
            dimensions[key] = swap(str(value))
    return [text for text in dict.fromkeys(found) if text]

"""Queries as GetMetricData's `MetricDataQueries`, and its answer as series.

Each query of a call gets the id `q<n>`; the hidden inputs of an expression get
`q<n>_<their id>`, and the expression is rewritten to match, so that two queries
whose inputs share a name (`m1`, say) can ride in the same call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from console.results import FetchFailure, Point, SeriesResult
from console.sources.aws_reasons import scrubbed
from console.sources.cloudwatch_params import CloudWatchParams, MetricSpec
from console.sources.reason_text import clipped

MAX_QUERIES_PER_CALL = 500
"""Entries (queries and hidden inputs) CloudWatch accepts in one GetMetricData."""

_QUOTED_OR_NAME = re.compile(r'"(?:[^"\\]|\\.)*"|\b[a-z][A-Za-z0-9_]*\b')


def renamed(expression: str, names: Mapping[str, str]) -> str:
    """`expression` with each id in `names` replaced, leaving quoted text alone."""

    def swap(found: re.Match[str]) -> str:
        text = found[0]
        return text if text.startswith('"') else names.get(text, text)

    return _QUOTED_OR_NAME.sub(swap, expression)


def series_name(params: CloudWatchParams) -> str:
    """What the query's series is called unless the panel labels it."""
    if params.expression is not None:
        return clipped(params.expression, 60)
    name = f"{params.metric} {params.stat}"
    if params.dimensions:
        name += " " + ",".join(params.dimensions.values())
    return name


def _stat_entry(spec: MetricSpec, period: int) -> dict[str, Any]:
    metric: dict[str, Any] = {
        "Namespace": spec.namespace,
        "MetricName": spec.metric,
        "Dimensions": [
            {"Name": name, "Value": value}
            for name, value in sorted(spec.dimensions.items())
        ],
    }
    stat: dict[str, Any] = {"Metric": metric, "Period": period, "Stat": spec.stat}
    if spec.unit is not None:
        stat["Unit"] = spec.unit
    return {"MetricStat": stat}


def query_entries(number: int, params: CloudWatchParams) -> list[dict[str, Any]]:
    """The `MetricDataQueries` entries of one query: its hidden inputs, then itself
    (id `q<number>`, the only one returned)."""
    prefix = f"q{number}"
    names = {item.id: f"{prefix}_{item.id}" for item in params.metrics}
    entries: list[dict[str, Any]] = []
    for item in params.metrics:
        period = item.period or params.period
        if item.expression is not None:
            entry: dict[str, Any] = {
                "Expression": renamed(item.expression, names),
                "Period": period,
            }
        else:
            entry = _stat_entry(item, period)
        entries.append({"Id": names[item.id], **entry, "ReturnData": False})
    if params.expression is not None:
        own: dict[str, Any] = {
            "Expression": renamed(params.expression, names),
            "Period": params.period,
        }
    else:
        own = _stat_entry(params, params.period)
    entries.append({"Id": prefix, **own, "ReturnData": True})
    return entries


def chunks(
    wanted: Sequence[tuple[str, CloudWatchParams]],
    limit: int = MAX_QUERIES_PER_CALL,
) -> list[list[tuple[str, CloudWatchParams]]]:
    """`wanted` split so that no call carries more than `limit` entries."""
    found: list[list[tuple[str, CloudWatchParams]]] = []
    current: list[tuple[str, CloudWatchParams]] = []
    used = 0
    for item in wanted:
        size = item[1].entries()
        if current and used + size > limit:
            found.append(current)
            current, used = [], 0
        current.append(item)
        used += size
    if current:
        found.append(current)
    return found


@dataclass(slots=True)
class Collected:
    """The results of every page of one call, by query id."""

    labels: dict[str, list[str]] = field(default_factory=dict)
    points: dict[tuple[str, str], list[Point]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    def add_page(self, page: Mapping[str, Any]) -> None:
        """Add one page's `MetricDataResults`; a query may span pages and, for a
        SEARCH expression, return several labelled series."""
        for result in page.get("MetricDataResults", []):
            query_id = str(result.get("Id", ""))
            label = str(result.get("Label", ""))
            labels = self.labels.setdefault(query_id, [])
            if label not in labels:
                labels.append(label)
            points = self.points.setdefault((query_id, label), [])
            for stamp, value in zip(
                result.get("Timestamps", []), result.get("Values", []), strict=False
            ):
                points.append((stamp.timestamp(), float(value)))
            status = result.get("StatusCode")
            if status in ("Forbidden", "InternalError"):
                said = "; ".join(
                    str(message.get("Value", ""))
                    for message in result.get("Messages", [])
                )
                reason = (
                    "access denied to this metric"
                    if status == "Forbidden"
                    else ("CloudWatch failed on this query")
                )
                if said:
                    reason += ": " + clipped(scrubbed(said), 60)
                self.problems[query_id] = reason


def read_answer(
    number: int, params: CloudWatchParams, collected: Collected
) -> SeriesResult | FetchFailure:
    """The series of query `q<number>`, oldest sample first."""
    query_id = f"q{number}"
    if query_id in collected.problems:
        return FetchFailure(collected.problems[query_id])
    labels = collected.labels.get(query_id, [])
    own = series_name(params)
    if len(labels) <= 1:
        points = collected.points.get((query_id, labels[0]), []) if labels else []
        return SeriesResult({own: sorted(points)})
    return SeriesResult(
        {label or own: sorted(collected.points[(query_id, label)]) for label in labels}
    )

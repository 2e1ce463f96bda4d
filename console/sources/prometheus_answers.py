"""Prometheus's JSON answers turned into the console's series and tables.

Prometheus answers `{"status": "success", "data": {"resultType": ..., "result":
...}}`, where a value is a pair of a float timestamp and a string: `"1.5"`, `"NaN"`,
`"+Inf"`. A matrix (range query) holds `values` per series, a vector (instant
query) one `value` per series, a scalar or string a single pair. Anything else is
reported as an `AnswerError` naming what was wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from console.results import Cell, Point, SeriesResult, TableResult

VALUE_COLUMN = "value"
"""The last column of a label table."""

NAME_LABEL = "__name__"
"""Where Prometheus keeps a series' metric name among its labels."""

_LEGEND_FIELD = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
_UNNAMED_LIMIT = 60
"""Characters of an expression used as the name of a series without labels."""


class AnswerError(Exception):
    """An answer that is JSON but not shaped as Prometheus answers are."""


Labels = Mapping[str, str]


def samples(data: object) -> list[tuple[Labels, list[Point]]]:
    """Each series of a query answer's `data`, with its labels and samples."""
    if not isinstance(data, dict):
        raise AnswerError("no data in the answer")
    kind = data.get("resultType")
    result = data.get("result")
    if kind == "matrix" and isinstance(result, list):
        return [
            (_labels(item), [_point(pair) for pair in _field(item, "values")])
            for item in result
        ]
    if kind == "vector" and isinstance(result, list):
        return [(_labels(item), [_point(_field(item, "value"))]) for item in result]
    if kind in ("scalar", "string"):
        return [({}, [_point(result)])]
    raise AnswerError(f"unexpected result type {kind!r}")


def series_result(
    found: Sequence[tuple[Labels, list[Point]]], promql: str, legend: str | None
) -> SeriesResult:
    """Named series for a chart; names from `legend` or from the labels."""
    series: dict[str, list[Point]] = {}
    for labels, points in found:
        name = series_name(labels, promql, legend)
        if name in series:
            # Two series under one name would interleave their samples; the
            # labels keep them apart, and stay stable from poll to poll.
            name = f"{name} {compact_labels(labels)}"
        series[name] = points
    return SeriesResult(series=series, replace=False)


def table_result(found: Sequence[tuple[Labels, list[Point]]]) -> TableResult:
    """One row per series at its newest sample: its labels, then its value."""
    names = sorted({name for labels, _ in found for name in labels})
    if NAME_LABEL in names:
        names.remove(NAME_LABEL)
        names.insert(0, NAME_LABEL)
    rows: list[list[Cell]] = []
    for labels, points in found:
        value: Cell = points[-1][1] if points else None
        rows.append([*(labels.get(name) for name in names), value])
    return TableResult(columns=[*names, VALUE_COLUMN], rows=rows)


def series_name(labels: Labels, promql: str, legend: str | None) -> str:
    """What a series is called: its legend filled in, or its labels compactly."""
    if legend is not None:
        filled = _LEGEND_FIELD.sub(lambda match: labels.get(match[1], ""), legend)
        if filled.strip():
            return filled.strip()
    if not labels:
        text = " ".join(promql.split())
        if len(text) > _UNNAMED_LIMIT:
            text = text[: _UNNAMED_LIMIT - 1] + "…"
        return text
    return compact_labels(labels)


def compact_labels(labels: Labels) -> str:
    """`name{label=value,...}` with the metric name first and labels sorted."""
    name = labels.get(NAME_LABEL, "")
    rest = ",".join(
        f"{key}={labels[key]}" for key in sorted(labels) if key != NAME_LABEL
    )
    return f"{name}{{{rest}}}" if rest else name or "{}"


def _labels(item: object) -> dict[str, str]:
    metric = _field(item, "metric")
    if not isinstance(metric, dict):
        raise AnswerError("a series without labels")
    return {str(key): str(value) for key, value in metric.items()}


def _field(item: object, name: str) -> Any:
    if not isinstance(item, dict) or name not in item:
        raise AnswerError(f"a series without {name!r}")
    return item[name]


def _point(pair: object) -> Point:
    if not isinstance(pair, list) or len(pair) != 2:
        raise AnswerError("a sample that is not a [time, value] pair")
    stamp, text = pair
    try:
        # float() reads Prometheus's "NaN", "+Inf" and "-Inf" as they are written.
        return float(stamp), float(text)
    except (TypeError, ValueError):
        raise AnswerError(f"a sample value that is not a number: {text!r}") from None

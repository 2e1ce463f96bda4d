"""Reading a JSON document as a query's answer: one value, a series, or a table.

The `http` source reads response bodies this way and the `command` source reads a
program's JSON output the same way; both take the parameters of `ReadingParams`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import Field, field_validator, model_validator

from console.results import Cell, Point, QueryResult, SeriesResult, TableResult
from console.sources.base import QueryParams
from console.sources.json_path import PathMissing, check_path, follow
from console.sources.reason_text import clipped
from console.sources.sample_values import kind_of, number_from, time_from

Reading = Literal["value", "series", "table"]

MAX_ROWS = 1000
"""Rows a table keeps; a longer list keeps its first rows. A panel shows far fewer,
and the store holds each table whole."""

_SERIES_ONLY = ("time_field", "value_field", "name_field")


class ReadingError(Exception):
    """The document does not hold what the query's reading expects; the message is
    one line, fit for a panel."""


class ReadingParams(QueryParams):
    """Where a query's data sits in a JSON document, and how to read it."""

    path_in_response: str | None = Field(default=None, min_length=1, max_length=300)
    """Where the data sits in the JSON: keys and list positions joined by dots, as
    `data.items` or `data.0.value` (`-1` is a list's last item). Left out: the
    whole document."""
    reading: Reading | None = None
    """How to read what is at the path: `value` (one number, kept as one sample at
    the time of the poll), `series` (a list of records, each with a time and a
    value) or `table` (a list of records, one row each; a single object is one
    row). Left out: `value` (`series` for command output parsed as `lines`)."""
    time_field: str | None = Field(default=None, min_length=1)
    """series only: the key of each record holding its time, as unix seconds,
    milliseconds or ISO 8601 (without a zone: UTC). A record may also be a
    `[time, value]` pair. Left out: `time`."""
    value_field: str | None = Field(default=None, min_length=1)
    """series only: the key of each record holding its number; null leaves a gap.
    Left out: `value`."""
    name_field: str | None = Field(default=None, min_length=1)
    """series only: the key whose text names the series a record belongs to, one
    series per name. Left out: one series, named after `value_field`."""
    columns: list[str] | None = Field(default=None, min_length=1, max_length=50)
    """table only: the keys to show as columns, in this order; a record without one
    has an empty cell. Left out: every key, in the order first met."""

    @field_validator("path_in_response")
    @classmethod
    def _path_is_dotted(cls, path: str | None) -> str | None:
        return None if path is None else check_path(path)

    @model_validator(mode="after")
    def _fields_fit_reading(self) -> ReadingParams:
        # Checked by value, not by which keys were written: the session hands the
        # source a full dump of the model, defaults included.
        reading = self.reading or "value"
        for name in _SERIES_ONLY:
            if getattr(self, name) is not None and reading != "series":
                raise ValueError(f"`{name}` applies only to `reading: series`")
        if self.columns is not None and reading != "table":
            raise ValueError("`columns` applies only to `reading: table`")
        return self


def read_document(
    document: object,
    params: ReadingParams,
    end: float,
    *,
    within: str,
) -> QueryResult:
    """The answer `params` asks for, read from `document`.

    `end` stamps a single value. `within` names the document in reasons ("the
    response", "the output"). Raises ReadingError with a one-line reason.
    """
    path = params.path_in_response
    try:
        found = follow(document, path)
    except PathMissing:
        raise ReadingError(f"no `{path}` in {within}") from None
    where = f"`{path}`" if path else within
    reading = params.reading or "value"
    if reading == "value":
        value = number_from(found)
        if value is None:
            # A list or object here usually means the query wants another reading.
            hint = "; see `reading`" if isinstance(found, list | dict) else ""
            raise ReadingError(f"{where} is {_shown(found)}, not a number{hint}")
        name = path.rsplit(".", 1)[-1] if path else "value"
        return SeriesResult({name: [(end, value)]})
    if reading == "table":
        records = [found] if isinstance(found, dict) else found
        if not isinstance(records, list):
            raise ReadingError(f"{where} is {kind_of(found)}, not a list of records")
        return _table(records, params.columns, where)
    if not isinstance(found, list):
        raise ReadingError(f"{where} is {kind_of(found)}, not a list of records")
    return _series(found, params, where)


def pick_columns(
    records: Sequence[Mapping[str, object]], columns: Sequence[str] | None
) -> TableResult:
    """Records as rows under `columns`, or under every key in the order first met."""
    if columns is None:
        seen: dict[str, None] = {}
        for record in records:
            seen.update(dict.fromkeys(record))
        columns = list(seen)
    rows = [[_cell(record.get(column)) for column in columns] for record in records]
    return TableResult(list(columns), rows)


def _table(records: list[object], columns: list[str] | None, where: str) -> TableResult:
    kept: list[Mapping[str, object]] = []
    for position, record in enumerate(records[:MAX_ROWS]):
        if not isinstance(record, dict):
            raise ReadingError(
                f"item {position} of {where} is {kind_of(record)}, not a record"
            )
        kept.append(record)
    return pick_columns(kept, columns)


def _series(records: list[object], params: ReadingParams, where: str) -> SeriesResult:
    time_field = params.time_field or "time"
    value_field = params.value_field or "value"
    series: dict[str, list[Point]] = {}
    for position, record in enumerate(records):
        name = value_field
        if isinstance(record, list) and len(record) == 2 and not params.name_field:
            raw_time, raw_value = record
        elif isinstance(record, dict):
            raw_time = _field(record, time_field, position, where)
            raw_value = _field(record, value_field, position, where)
            if params.name_field:
                raw_name = _field(record, params.name_field, position, where)
                name = clipped(str(raw_name), 80)
        else:
            raise ReadingError(
                f"item {position} of {where} is {kind_of(record)}, not a record"
            )
        item = f"item {position} of {where}"
        stamp = time_from(raw_time)
        if stamp is None:
            raise ReadingError(f"{item}: its time is {_shown(raw_time)}, not a time")
        points = series.setdefault(name, [])
        if raw_value is None:
            continue
        value = number_from(raw_value)
        if value is None:
            raise ReadingError(
                f"{item}: its value is {_shown(raw_value)}, not a number"
            )
        points.append((stamp, value))
    for points in series.values():
        points.sort()
    return SeriesResult(series)


def _field(record: Mapping[str, object], key: str, position: int, where: str) -> object:
    if key not in record:
        raise ReadingError(f"item {position} of {where} has no `{key}`")
    return record[key]


def _cell(raw: object) -> Cell:
    if raw is None or isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return raw
    # A nested object or list is shown as compact JSON, cut to what a cell can show.
    return clipped(json.dumps(raw, separators=(",", ":")), 120)


def _shown(raw: object) -> str:
    # Only the kind of value, never the value: a careless server may echo a
    # request's credentials back, and a reason is shown and logged.
    return kind_of(raw)

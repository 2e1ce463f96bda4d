"""Rows from a database, read as the series or the table a panel asked for.

Both drivers hand back rows of Python values: numbers, text, `Decimal`, dates and
times, bytes, and for PostgreSQL UUIDs, arrays and the like. A table keeps numbers as
numbers (so that they sort as numbers) and turns everything else into short text. A
series needs a time and a number in every row it keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from console.results import Cell, Point, SeriesResult, TableResult
from console.sources.sql_params import SqlParams
from console.sources.sql_reasons import QueryFailed

MAX_CELL_TEXT = 200
"""Characters kept of a text cell; a table column is never wider on screen."""

NULL_NAME = "(null)"
"""The series name for rows whose name column is NULL."""


@dataclass(frozen=True, slots=True)
class RowSet:
    """What a query returned: its column names and rows, in the database's order."""

    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


def read_rows(rows: RowSet, params: SqlParams) -> SeriesResult | TableResult:
    """The rows read as `params.reading` says; `QueryFailed` when they do not fit."""
    if params.reading == "series":
        return read_series(rows, params)
    return read_table(rows, params.columns)


def read_table(rows: RowSet, wanted: Sequence[str] | None) -> TableResult:
    """The rows as table cells, keeping only the `wanted` columns when given."""
    if wanted is None:
        indexes = list(range(len(rows.columns)))
        columns = list(rows.columns)
    else:
        indexes = [_column_index(rows.columns, name) for name in wanted]
        columns = [rows.columns[index] for index in indexes]
    cells = [[table_cell(row[index]) for index in indexes] for row in rows.rows]
    return TableResult(columns=columns, rows=cells)


def read_series(rows: RowSet, params: SqlParams) -> SeriesResult:
    """One series per name (or a single series), each sorted oldest first."""
    time_at = _column_index(rows.columns, params.time_key)
    value_at = _column_index(rows.columns, params.value_key)
    name_at = (
        None
        if params.name_column is None
        else _column_index(rows.columns, params.name_column)
    )
    single = rows.columns[value_at]
    series: dict[str, list[Point]] = {} if name_at is not None else {single: []}
    for row in rows.rows:
        value = _number(row[value_at], rows.columns[value_at])
        if value is None or row[time_at] is None:
            continue
        stamp = _timestamp(row[time_at], rows.columns[time_at])
        name = single if name_at is None else _series_name(row[name_at])
        series.setdefault(name, []).append((stamp, value))
    for points in series.values():
        # Stable, so that rows sharing a time keep the query's order.
        points.sort(key=lambda point: point[0])
    return SeriesResult(series=series, replace=False)


def table_cell(value: object) -> Cell:
    """`value` as a table shows it: numbers stay numbers, the rest becomes text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, bytes | bytearray | memoryview):
        text = "\\x" + bytes(value[:MAX_CELL_TEXT]).hex()
    else:
        text = str(value)
    if len(text) > MAX_CELL_TEXT:
        return text[: MAX_CELL_TEXT - 1] + "…"
    return text


def _column_index(columns: Sequence[str], name: str) -> int:
    """Where column `name` is; an exact match first, then one ignoring case, since
    PostgreSQL folds unquoted names to lower case."""
    if name in columns:
        return list(columns).index(name)
    folded = [column.casefold() for column in columns]
    if name.casefold() in folded:
        return folded.index(name.casefold())
    shown = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
    raise QueryFailed(f"no column {name!r} in the result (columns: {shown or 'none'})")


def _number(value: object, column: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    parsed = _parsed_float(value) if isinstance(value, str) else None
    if parsed is None:
        raise QueryFailed(f"column {column!r} holds {_kind(value)}, not numbers")
    return parsed


def _timestamp(value: object, column: str) -> float:
    """Seconds since the epoch; a time without a zone is taken as UTC."""
    if isinstance(value, str):
        # SQLite keeps times as text or numbers, and either may arrive as text.
        number = _parsed_float(value)
        value = _parsed_time(value) if number is None else number
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.timestamp()
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC).timestamp()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    raise QueryFailed(
        f"column {column!r} holds {_kind(value)}, not timestamps or unix seconds"
    )


def _parsed_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _parsed_time(text: str) -> datetime | str:
    """The ISO 8601 time in `text`, or `text` itself when it holds none."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def _series_name(value: object) -> str:
    return NULL_NAME if value is None else str(table_cell(value))


def _kind(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "text"
    if isinstance(value, timedelta):
        return "intervals"
    return type(value).__name__

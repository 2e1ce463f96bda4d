"""The rows a table panel shows, from a table result or from named series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from console.evaluation import reduce
from console.profile_schema import Panel
from console.results import Cell
from console.store import QueryState
from widgets.drawing.number_format import format_value


@dataclass(frozen=True, slots=True)
class TableView:
    """A table panel's rows, ready to draw."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    """Per column: true when every cell is a number (drawn right-aligned)."""
    sort_column: int | None


def table_rows(
    spec: Panel,
    states: Sequence[QueryState | None],
    sort_by: str | None,
    descending: bool,
) -> TableView:
    """Column names and formatted rows, with the panel's columns and `sort_by`.

    A query that returned a table gives its rows; one that returned series gives a
    row per series with its value reduced by the panel's `stat`.
    """
    columns: list[str] = []
    rows: list[list[Cell]] = []
    for state in states:
        if state is None:
            continue
        if state.table is not None:
            columns = list(state.table.columns)
            rows.extend(list(row) for row in state.table.rows)
        elif state.series:
            columns = ["series", "value"]
            for name, points in state.series.items():
                rows.append([name, reduce(points, spec.stat)])
    if spec.columns:
        wanted = [c for c in spec.columns if c in columns]
        picks = [columns.index(c) for c in wanted]
        rows = [[row[i] if i < len(row) else None for i in picks] for row in rows]
        columns = wanted
    sort_column = columns.index(sort_by) if sort_by in columns else None
    if sort_column is not None:
        rows.sort(key=lambda row: _sort_key(row[sort_column]), reverse=descending)
    numeric = [
        all(isinstance(row[i], int | float) for row in rows if row[i] is not None)
        for i in range(len(columns))
    ]
    formatted = [[format_cell(cell, spec) for cell in row] for row in rows]
    return TableView(columns, formatted, numeric, sort_column)


def _sort_key(cell: Cell) -> tuple[int, float, str]:
    if isinstance(cell, int | float):
        return (1, float(cell), "")
    return (0, 0.0, "" if cell is None else str(cell))


def format_cell(cell: Cell, spec: Panel) -> str:
    """One table cell as text: numbers with the panel's decimals, – for nothing."""
    if cell is None:
        return "–"
    if isinstance(cell, float):
        return format_value(cell, "", spec.decimals)
    return str(cell)

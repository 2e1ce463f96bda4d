"""A program's output read as a query's answer: a number, JSON, or lines.

JSON is read exactly as the http source reads a response (see `json_reading`).
Lines are `name value` (the name may hold spaces; the value is the last word) or a
bare `value`; blank lines are skipped.
"""

from __future__ import annotations

import json

from console.results import Point, QueryResult, SeriesResult
from console.sources.command_params import CommandParams
from console.sources.json_reading import (
    MAX_ROWS,
    ReadingError,
    pick_columns,
    read_document,
)
from console.sources.sample_values import number_from

WITHIN = "the output"


def read_output(output: bytes, params: CommandParams, end: float) -> QueryResult:
    """The answer `params` asks for, read from a program's `output`; samples are
    stamped `end`. Raises ReadingError with a one-line reason."""
    text = output.decode("utf-8", errors="replace")
    if params.parse == "json":
        try:
            document = json.loads(text)
        except RecursionError:
            raise ReadingError("the output's JSON is nested too deeply") from None
        except ValueError as error:
            at = ""
            if isinstance(error, json.JSONDecodeError):
                at = f" (line {error.lineno}, column {error.colno})"
            raise ReadingError(f"the output is not JSON{at}") from None
        return read_document(document, params, end, within=WITHIN)
    if params.parse == "lines":
        return _lines(text, params, end)
    if not text.strip():
        raise ReadingError("the program printed nothing")
    value = number_from(text)
    if value is None:
        # The output itself is not quoted: a program may print what it was given
        # through `env`, a secret among it.
        raise ReadingError("the output is not a number")
    return SeriesResult({"value": [(end, value)]})


def _lines(text: str, params: CommandParams, end: float) -> QueryResult:
    named: dict[str, float] = {}
    lines = [line.strip() for line in text.splitlines()]
    numbered = [(number, line) for number, line in enumerate(lines, 1) if line]
    if not numbered:
        raise ReadingError("the program printed nothing")
    for number, line in numbered[:MAX_ROWS]:
        words = line.rsplit(None, 1)
        value = number_from(words[-1])
        if value is None:
            raise ReadingError(f"line {number} does not end in a number")
        if len(words) == 2:
            name = words[0]
        else:
            name = "value" if len(numbered) == 1 else f"line {number}"
        named[name] = value
    if params.effective_reading == "table":
        records = [{"name": name, "value": value} for name, value in named.items()]
        return pick_columns(records, params.columns)
    series: dict[str, list[Point]] = {name: [(end, v)] for name, v in named.items()}
    return SeriesResult(series)

"""Numbers and times as APIs and programs write them, read into floats.

Times may be unix seconds, milliseconds, microseconds or nanoseconds (told apart by
their size), or ISO 8601 text; ISO text without a zone counts as UTC.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

_MILLISECONDS_FROM = 1e11
"""Unix seconds reach this in the year 5138; as milliseconds it is 1973."""
_MICROSECONDS_FROM = 1e14
_NANOSECONDS_FROM = 1e17


def number_from(raw: object) -> float | None:
    """`raw` as a finite number: a JSON number or numeric text (Prometheus writes
    values as text). None for anything else, true and false included."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def time_from(raw: object) -> float | None:
    """`raw` as unix seconds, or None when it is no time this module reads."""
    number = number_from(raw)
    if number is not None:
        size = abs(number)
        if size >= _NANOSECONDS_FROM:
            return number / 1e9
        if size >= _MICROSECONDS_FROM:
            return number / 1e6
        if size >= _MILLISECONDS_FROM:
            return number / 1e3
        return number
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def kind_of(raw: object) -> str:
    """What sort of JSON value `raw` is, in words for a failure reason."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true or false"
    if isinstance(raw, int | float):
        return "a number"
    if isinstance(raw, str):
        return "text"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, dict):
        return "an object"
    return type(raw).__name__

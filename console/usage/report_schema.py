"""The JSON schema of `watchdeck usage --format json`: the contract for scripts
that read the report. Times are Unix seconds; `_s` figures are seconds and `_ms`
figures milliseconds; a figure with nothing to measure is null."""

from __future__ import annotations

from typing import Any

_NUMBER_OR_NULL = {"type": ["number", "null"]}
_NAME = {"type": "string"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


def _list_of(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": _object(properties)}


_CALLS = {
    "calls": {"type": "integer", "minimum": 0},
    "errors": {"type": "integer", "minimum": 0},
    "error_rate": {"type": "number", "minimum": 0, "maximum": 1},
    "p50_ms": _NUMBER_OR_NULL,
    "p95_ms": _NUMBER_OR_NULL,
    "max_ms": {"type": "number", "minimum": 0},
}

FEEDBACK_SCHEMA: dict[str, Any] = _list_of(
    {
        "at": {"type": "number"},
        "user": _NAME,
        "profile": _NAME,
        "dashboard": {"type": ["string", "null"]},
        "panel": {"type": ["string", "null"]},
        "text": _NAME,
    }
)
"""The notes people wrote with `f`, oldest first."""

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "watchdeck usage report",
    **_object(
        {
            "since": {"type": "number"},
            "until": {"type": "number"},
            "sessions": {"type": "integer", "minimum": 0},
            "users": {"type": "array", "items": _NAME},
            "dashboards": _list_of(
                {
                    "profile": _NAME,
                    "dashboard": _NAME,
                    "title": _NAME,
                    "opens": {"type": "integer", "minimum": 1},
                    "drills": {"type": "integer", "minimum": 0},
                    "users": {"type": "integer", "minimum": 1},
                    "seconds_open": {"type": "number", "minimum": 0},
                }
            ),
            "unused": _list_of(
                {"profile": _NAME, "dashboard": _NAME, "title": _NAME, "owner": _NAME}
            ),
            "slowest_dashboards": _list_of(
                {
                    "profile": _NAME,
                    "dashboard": _NAME,
                    "loads": {"type": "integer", "minimum": 1},
                    "load_errors": {"type": "integer", "minimum": 0},
                    "p50_s": _NUMBER_OR_NULL,
                    "p95_s": _NUMBER_OR_NULL,
                    "slowest_panel": {"type": ["string", "null"]},
                    "slowest_panel_p95_s": _NUMBER_OR_NULL,
                    "slowest_panel_sources": {"type": "array", "items": _NAME},
                }
            ),
            "sources": _list_of({"profile": _NAME, "source": _NAME, **_CALLS}),
            "panels": _list_of(
                {
                    "profile": _NAME,
                    "dashboard": _NAME,
                    "panel": _NAME,
                    "first_answer_p95_s": _NUMBER_OR_NULL,
                    "load_errors": {"type": "integer", "minimum": 0},
                    "draws": {"type": "integer", "minimum": 0},
                    "draw_p95_ms": _NUMBER_OR_NULL,
                }
            ),
            "acks_per_user": _list_of(
                {"user": _NAME, "acks": {"type": "integer", "minimum": 1}}
            ),
            "actions": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 1},
            },
            "feedback": FEEDBACK_SCHEMA,
        }
    ),
}
"""Everything `watchdeck usage --format json` prints."""

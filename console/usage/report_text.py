"""The usage report as text for a person: short ranked lists, figures aligned."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from console.durations import format_duration
from console.usage.report import Report

LEAST_SHOWN = 5
"""Least used dashboards listed (of those opened at least once)."""


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


def _at(row: dict[str, Any], *keys: str) -> str:
    """`profile/dashboard` (or with more parts) of a row."""
    return "/".join(str(row[key]) for key in ("profile", *keys))


def _num(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:g}{unit}"


def _section(
    title: str,
    rows: Sequence[dict[str, Any]],
    line: Callable[[dict[str, Any]], str],
    empty: str,
) -> list[str]:
    out = ["", title]
    out.extend("  " + line(row) for row in rows)
    if not rows:
        out.append(f"  ({empty})")
    return out


def render_text(report: Report) -> str:
    """The whole report, for a team lead reading it in a terminal."""
    lines = [
        f"Usage from {_when(report['since'])} to {_when(report['until'])}: "
        f"{report['sessions']} session(s) by {len(report['users'])} user(s)"
    ]
    used = report["dashboards"]
    lines += _section(
        "Most used dashboards",
        used[:LEAST_SHOWN],
        lambda r: (
            f"{_at(r, 'dashboard'):<30} {r['opens']:>4} opens  "
            f"{r['drills']:>4} drills  {r['users']} user(s)  "
            f"{format_duration(r['seconds_open'])} open in all"
        ),
        "no dashboard was opened",
    )
    if len(used) > LEAST_SHOWN:
        lines += _section(
            "Least used dashboards",
            used[-LEAST_SHOWN:][::-1],
            lambda r: f"{_at(r, 'dashboard'):<30} {r['opens']:>4} opens",
            "",
        )
    lines += _section(
        "Dashboards nobody opened",
        report["unused"],
        lambda r: f"{_at(r, 'dashboard'):<30} owner: {r['owner'] or 'none named'}",
        "every dashboard was opened",
    )
    lines += _section(
        "Slowest to load (until every panel showed data or an error)",
        report["slowest_dashboards"],
        _slow_line,
        "no load measured",
    )
    lines += _section(
        "Sources, most failing then slowest",
        report["sources"],
        lambda r: (
            f"{_at(r, 'source'):<30} {r['calls']:>6} calls  "
            f"{r['errors']:>4} failed  p50 {_num(r['p50_ms'], 'ms')}  "
            f"p95 {_num(r['p95_ms'], 'ms')}"
        ),
        "no source call measured",
    )
    lines += _section(
        "Panels, most failing then slowest",
        report["panels"],
        lambda r: (
            f"{_at(r, 'dashboard', 'panel'):<40} "
            f"first answer p95 {_num(r['first_answer_p95_s'], 's')}  "
            f"failed at load {r['load_errors']}  "
            f"draw p95 {_num(r['draw_p95_ms'], 'ms')}"
        ),
        "no panel measured",
    )
    lines += _section(
        "Actions used most (keys, clicks and commands)",
        [{"name": k, "count": v} for k, v in list(report["actions"].items())[:10]],
        lambda r: f"{r['name']:<20} {r['count']:>6}",
        "none",
    )
    lines += _section(
        "Acknowledgements per user",
        report["acks_per_user"],
        lambda r: f"{r['user']:<20} {r['acks']:>4}",
        "none",
    )
    lines += _section(
        "Feedback",
        report["feedback"],
        _feedback_line,
        "none written; press f on a dashboard to write some",
    )
    return "\n".join(lines) + "\n"


def render_feedback(report: Report) -> str:
    """Only the notes people wrote, oldest first."""
    lines = [_feedback_line(row) for row in report["feedback"]]
    return "\n".join(lines or ["no feedback in this period"]) + "\n"


def _slow_line(row: dict[str, Any]) -> str:
    text = (
        f"{_at(row, 'dashboard'):<30} p50 {_num(row['p50_s'], 's')}  "
        f"p95 {_num(row['p95_s'], 's')}  ({row['loads']} loads"
    )
    if row["load_errors"]:
        text += f", {row['load_errors']} with failing panels"
    text += ")"
    if row["slowest_panel"]:
        sources = ", ".join(row["slowest_panel_sources"]) or "no source"
        text += (
            f"; slowest panel {row['slowest_panel']} "
            f"({_num(row['slowest_panel_p95_s'], 's')}, from {sources})"
        )
    return text


def _feedback_line(row: dict[str, Any]) -> str:
    where = "/".join(
        part for part in (row["profile"], row["dashboard"], row["panel"]) if part
    )
    return f"{_when(row['at'])}  {row['user']:<12} {where}: {row['text']}"

"""The usage report: which dashboards are used, which are slow and why, and what
people wrote about them, read from the usage records of a period."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from console.profile_schema import Profile
from console.storage.records import UsageRecord
from console.usage.reservoir import percentile

Report = dict[str, Any]
"""The report as JSON-ready data; `REPORT_SCHEMA` describes it."""

TOP = 10
"""Rows kept in each ranked list."""


@dataclass(slots=True)
class _DashboardFigures:
    opens: int = 0
    drills: int = 0
    seconds_open: float = 0.0
    users: set[str] = field(default_factory=set)
    loads: list[float] = field(default_factory=list)
    load_errors: int = 0


@dataclass(slots=True)
class _Calls:
    calls: int = 0
    errors: int = 0
    max_ms: float = 0.0
    samples: list[float] = field(default_factory=list)

    def merge(self, figures: Mapping[str, Any]) -> None:
        self.calls += int(figures.get("calls", 0))
        self.errors += int(figures.get("errors", 0))
        self.max_ms = max(self.max_ms, float(figures.get("max_ms", 0.0)))
        self.samples.extend(float(v) for v in figures.get("samples_ms", []))


def build_report(
    records: Iterable[UsageRecord],
    profiles: Sequence[Profile],
    *,
    since: float,
    until: float,
) -> Report:
    """The report for records in [since, until], against the dashboards of
    `profiles` (for the ones nobody opened, their titles and owners)."""
    dashboards: dict[tuple[str, str], _DashboardFigures] = defaultdict(
        _DashboardFigures
    )
    first_answer: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    panel_errors: Counter[tuple[str, str, str]] = Counter()
    sources: dict[tuple[str, str], _Calls] = defaultdict(_Calls)
    draws: dict[tuple[str, str, str], _Calls] = defaultdict(_Calls)
    acks: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    feedback: list[dict[str, Any]] = []
    sessions: set[tuple[str, str, float]] = set()
    users: set[str] = set()
    for record in records:
        if not since <= record.at <= until:
            continue
        profile = str(record.detail.get("profile", ""))
        users.add(record.user)
        where = (profile, record.dashboard or "")
        if record.kind == "start":
            sessions.add((record.user, record.host, record.at))
        elif record.kind == "dashboard" and record.dashboard:
            figures = dashboards[where]
            figures.opens += 1
            figures.seconds_open += record.duration or 0.0
            figures.users.add(record.user)
        elif record.kind == "load" and record.dashboard:
            figures = dashboards[where]
            figures.loads.append(record.duration or 0.0)
            errors = record.detail.get("errors", [])
            figures.load_errors += bool(errors)
            for panel, seconds in dict(record.detail.get("panels", {})).items():
                first_answer[(*where, str(panel))].append(float(seconds))
            for panel in errors:
                panel_errors[(*where, str(panel))] += 1
        elif record.kind == "source_stats":
            for name, figures_ in dict(record.detail.get("stats", {})).items():
                sources[(profile, str(name))].merge(figures_)
        elif record.kind == "render_stats":
            for key, figures_ in dict(record.detail.get("stats", {})).items():
                dashboard, _, panel = str(key).partition("/")
                draws[(profile, dashboard, panel)].merge(figures_)
        elif record.kind == "drill" and record.dashboard:
            dashboards[where].drills += 1
        elif record.kind == "ack":
            acks[record.user] += 1
        elif record.kind == "actions":
            actions.update(
                {str(k): int(v) for k, v in record.detail.get("counts", {}).items()}
            )
        elif record.kind == "feedback":
            feedback.append(_feedback(record, profile))
    titles = _titles(profiles)
    used = [_dashboard_row(key, figures, titles) for key, figures in dashboards.items()]
    used = [row for row in used if row["opens"]]
    used.sort(key=lambda row: (-row["opens"], -row["seconds_open"], row["dashboard"]))
    opened = {(row["profile"], row["dashboard"]) for row in used}
    return {
        "since": since,
        "until": until,
        "sessions": len(sessions),
        "users": sorted(users),
        "dashboards": used,
        "unused": [
            {"profile": p, "dashboard": d, "title": t, "owner": o}
            for (p, d), (t, o) in titles.items()
            if (p, d) not in opened
        ],
        "slowest_dashboards": _slowest_dashboards(dashboards, first_answer, profiles),
        "sources": _calls_rows(sources, ("profile", "source")),
        "panels": _panel_rows(first_answer, panel_errors, draws),
        "acks_per_user": [
            {"user": user, "acks": count}
            for user, count in sorted(acks.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "actions": dict(sorted(actions.items(), key=lambda kv: (-kv[1], kv[0]))),
        "feedback": feedback,
    }


def _feedback(record: UsageRecord, profile: str) -> dict[str, Any]:
    return {
        "at": record.at,
        "user": record.user,
        "profile": profile,
        "dashboard": record.dashboard,
        "panel": record.panel,
        "text": str(record.detail.get("text", "")),
    }


def _titles(profiles: Sequence[Profile]) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (profile.profile, dashboard.id): (dashboard.title, dashboard.owner)
        for profile in profiles
        for dashboard in profile.dashboards
    }


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _dashboard_row(
    key: tuple[str, str],
    figures: _DashboardFigures,
    titles: Mapping[tuple[str, str], tuple[str, str]],
) -> dict[str, Any]:
    profile, dashboard = key
    return {
        "profile": profile,
        "dashboard": dashboard,
        "title": titles.get(key, (dashboard, ""))[0],
        "opens": figures.opens,
        "drills": figures.drills,
        "users": len(figures.users),
        "seconds_open": round(figures.seconds_open, 1),
    }


def _slowest_dashboards(
    dashboards: Mapping[tuple[str, str], _DashboardFigures],
    first_answer: Mapping[tuple[str, str, str], list[float]],
    profiles: Sequence[Profile],
) -> list[dict[str, Any]]:
    panel_sources = {
        (profile.profile, dashboard.id, panel.id): sorted(
            {query.source for query in panel.all_queries()}
        )
        for profile in profiles
        for dashboard in profile.dashboards
        for panel in dashboard.panels
    }
    rows: list[dict[str, Any]] = []
    for (profile, dashboard), figures in dashboards.items():
        if not figures.loads:
            continue
        panels = [
            (percentile(times, 0.95) or 0.0, panel)
            for (p, d, panel), times in first_answer.items()
            if (p, d) == (profile, dashboard)
        ]
        worst = max(panels, default=(0.0, ""))
        rows.append(
            {
                "profile": profile,
                "dashboard": dashboard,
                "loads": len(figures.loads),
                "load_errors": figures.load_errors,
                "p50_s": _seconds(percentile(figures.loads, 0.5)),
                "p95_s": _seconds(percentile(figures.loads, 0.95)),
                "slowest_panel": worst[1] or None,
                "slowest_panel_p95_s": _seconds(worst[0]) if worst[1] else None,
                "slowest_panel_sources": panel_sources.get(
                    (profile, dashboard, worst[1]), []
                ),
            }
        )
    rows.sort(key=lambda row: (-(row["p95_s"] or 0.0), row["dashboard"]))
    return rows[:TOP]


def _calls_rows(
    calls: Mapping[tuple[str, str], _Calls], names: tuple[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for key, figures in calls.items():
        row: dict[str, Any] = dict(zip(names, key, strict=True))
        row.update(_call_figures(figures))
        rows.append(row)
    rows.sort(key=lambda row: (-row["errors"], -(row["p95_ms"] or 0.0)))
    return rows[:TOP]


def _call_figures(figures: _Calls) -> dict[str, Any]:
    p50 = percentile(figures.samples, 0.5)
    p95 = percentile(figures.samples, 0.95)
    return {
        "calls": figures.calls,
        "errors": figures.errors,
        "error_rate": round(figures.errors / figures.calls, 4) if figures.calls else 0,
        "p50_ms": None if p50 is None else round(p50, 1),
        "p95_ms": None if p95 is None else round(p95, 1),
        "max_ms": round(figures.max_ms, 1),
    }


def _panel_rows(
    first_answer: Mapping[tuple[str, str, str], list[float]],
    errors: Mapping[tuple[str, str, str], int],
    draws: Mapping[tuple[str, str, str], _Calls],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key in set(first_answer) | set(draws):
        profile, dashboard, panel = key
        drawn = draws.get(key)
        draw = _call_figures(drawn) if drawn is not None else None
        rows.append(
            {
                "profile": profile,
                "dashboard": dashboard,
                "panel": panel,
                "first_answer_p95_s": _seconds(
                    percentile(first_answer.get(key, []), 0.95)
                ),
                "load_errors": errors.get(key, 0),
                "draws": draw["calls"] if draw else 0,
                "draw_p95_ms": draw["p95_ms"] if draw else None,
            }
        )
    rows.sort(
        key=lambda row: (
            -row["load_errors"],
            -(row["first_answer_p95_s"] or 0.0),
            -(row["draw_p95_ms"] or 0.0),
        )
    )
    return rows[:TOP]

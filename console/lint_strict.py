"""`watchdeck lint --strict`: governance rules for profiles that already load.

A profile can be valid and still cost money or attention for nothing: a dashboard
nobody owns, an operational panel that can never turn red, the same query drawn
twice, a refresh faster than the metric changes, a panel squeezed or pushed out of
sight. Each rule reports at the line and column of what it is about.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from console.problems import Problem
from console.profile_loader import LoadedProfile
from console.profile_schema import Dashboard, Panel

LEVELLED_TYPES = frozenset({"line_chart", "single_value", "gauge"})
"""Panel types that show a signal a level could judge. Bar and pie charts show a
breakdown (requests by endpoint), which is compared rather than judged."""

REFERENCE_LINES = 38
"""Lines a dashboard gets on a 120x40 terminal (less the header and the footer):
the size the layout rules judge panels at."""

MIN_PANEL_LINES = 3
"""A border and one line of content: below this a panel shows nothing."""

_PERIOD_KEYS = ("period", "step")
"""Query parameters that say how often the metric itself changes, in seconds."""


def strict_problems(loaded: LoadedProfile) -> list[Problem]:
    """Every governance problem of a profile that loaded, located."""
    problems: list[Problem] = []
    for index, dashboard in enumerate(loaded.profile.dashboards):
        where = ("dashboards", index)
        for path, message in _dashboard_rules(dashboard):
            line, column = loaded.positions.locate((*where, *path), key=True)
            problems.append(Problem(str(loaded.path), line, column, message))
    return sorted(problems)


def _dashboard_rules(
    dashboard: Dashboard,
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    name = f"dashboard '{dashboard.id}'"
    if not dashboard.owner.strip():
        yield (), f"{name} names no owner: add `owner:` (a team or a person)"
    if not dashboard.description.strip():
        yield (), f"{name} has no description: add `description:` (what it is for)"
    seen: dict[str, str] = {}
    rows = max(panel.at.y + panel.at.h for panel in dashboard.panels)
    for index, panel in enumerate(dashboard.panels):
        here: tuple[str | int, ...] = ("panels", index)
        label = f"panel '{panel.id}'"
        if (
            dashboard.kind == "operational"
            and panel.type in LEVELLED_TYPES
            and panel.thresholds is None
        ):
            yield (
                here,
                (
                    f"{label} of an operational dashboard has no thresholds: it can "
                    "never warn; add `thresholds:`"
                ),
            )
        for number, query in enumerate(panel.all_queries()):
            # The same data drawn two ways (a trend and a share of it) is a choice;
            # drawn the same way twice it is noise and, with labels, a contradiction.
            params = json.dumps(query.params(), sort_keys=True)
            first = seen.setdefault(f"{panel.type}:{query.source}:{params}", panel.id)
            if first != panel.id:
                yield (
                    (*here, *_query_path(panel, number)),
                    (
                        f"{label} repeats the query of panel '{first}' as another "
                        f"{panel.type}: show it once"
                    ),
                )
            period_key, period = _period(query.params())
            refresh = panel.refresh or dashboard.refresh
            if period is not None and refresh < period:
                yield (
                    (*here, *_query_path(panel, number), period_key),
                    (
                        f"{label} refreshes every {refresh:g}s but its metric changes "
                        f"every {period:g}s: the extra calls fetch nothing new; set "
                        f"`refresh: {period:g}s`"
                    ),
                )
        yield from _hidden(here, label, panel, rows)


def _hidden(
    here: tuple[str | int, ...], label: str, panel: Panel, rows: int
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    lines = max(REFERENCE_LINES, rows)
    top = panel.at.y * lines // rows
    height = (panel.at.y + panel.at.h) * lines // rows - top
    if top >= REFERENCE_LINES:
        yield (
            (*here, "at"),
            (
                f"{label} starts below the first screen (line {top + 1} of a "
                f"{REFERENCE_LINES}-line dashboard at 120x40): nobody sees it without "
                "scrolling"
            ),
        )
    elif height < MIN_PANEL_LINES:
        yield (
            (*here, "at"),
            (
                f"{label} gets {height} line(s) at 120x40, too few to show anything: "
                "its content is hidden behind its border; make it taller"
            ),
        )


def _query_path(panel: Panel, number: int) -> tuple[str | int, ...]:
    return ("query",) if panel.query is not None else ("queries", number)


def _period(params: dict[str, object]) -> tuple[str, float | None]:
    """The parameter that gives the metric's own period, and its seconds."""
    for key in _PERIOD_KEYS:
        value = params.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return key, float(value)
    return "", None

"""Big synthetic profiles, for benchmarks of how watchdeck copes with scale.

`make_profile(200, 5000)` writes one dashboard of 200 panels drawing 5,000 series
between them, all from the `testdata` source, so it runs anywhere without an account.
Most panels are line charts; every tenth-ish is a single value, a gauge, a bar chart,
a table or a status board, so each kind of drawing is exercised. Every query asks for
a different metric, so nothing merges: the poller sees as many queries as the profile
writes.

    python -m bench.scale_profile --panels 200 --series 5000 > /tmp/p.yaml

The series count is the number of series the panels draw: single values and gauges
draw one, bar charts and status boards six, tables none (they return rows), and line
charts share the rest, at most 50 per query (the source's limit) and as many queries
as needed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from console.profile_schema import GRID_COLUMNS

SERIES_PER_QUERY = 50
"""The testdata source's limit on names in one query's `series`."""

PATTERN = (
    "line_chart",
    "line_chart",
    "single_value",
    "line_chart",
    "gauge",
    "line_chart",
    "bar_chart",
    "line_chart",
    "table",
    "line_chart",
    "line_chart",
    "single_value",
    "line_chart",
    "gauge",
    "line_chart",
    "bar_chart",
    "line_chart",
    "status_board",
    "line_chart",
    "line_chart",
)
"""Panel types in the order they repeat: twelve line charts in twenty panels."""

FIXED_SERIES = {
    "single_value": 1,
    "gauge": 1,
    "bar_chart": 6,
    "status_board": 6,
    "table": 0,
}
"""Series drawn by every panel type but the line chart, which takes the rest."""

SIZES = {
    "line_chart": (6, 8),
    "bar_chart": (6, 8),
    "table": (6, 8),
    "status_board": (6, 8),
    "single_value": (3, 5),
    "gauge": (3, 5),
}
"""Width and height on the grid of each panel type."""

SHAPES = ("wave", "counter", "latency", "percent", "errors", "spikes", "steps")
"""Line chart shapes, in turn, so charts do not all look alike."""


@dataclass(frozen=True)
class PlannedPanel:
    """One panel before it is written out: its type and how many series it draws."""

    type: str
    series: int


def plan_panels(panels: int, series: int) -> list[PlannedPanel]:
    """Panel types and series counts that add up to `panels` and `series`.

    Raises ValueError when the series are too few for every line chart to draw one.
    """
    if panels < 1:
        raise ValueError("a profile needs at least one panel")
    types = [PATTERN[i % len(PATTERN)] for i in range(panels)]
    fixed = sum(FIXED_SERIES.get(kind, 0) for kind in types)
    charts = types.count("line_chart")
    spare = series - fixed
    if spare < charts or (charts == 0 and spare != 0):
        raise ValueError(
            f"{panels} panels draw at least {fixed + charts} series in this mix; "
            f"{series} asked for"
        )
    share, extra = divmod(spare, charts) if charts else (0, 0)
    planned: list[PlannedPanel] = []
    for kind in types:
        if kind == "line_chart":
            count = share + (1 if extra > 0 else 0)
            extra -= 1
        else:
            count = FIXED_SERIES[kind]
        planned.append(PlannedPanel(kind, count))
    return planned


def _positions(planned: Sequence[PlannedPanel]) -> Iterator[tuple[int, int, int, int]]:
    """Pack panels left to right in rows; a row is as tall as its tallest panel, so
    no two panels overlap."""
    x = y = row_height = 0
    for panel in planned:
        w, h = SIZES[panel.type]
        if x + w > GRID_COLUMNS:
            x, y, row_height = 0, y + row_height, 0
        yield x, y, w, h
        x += w
        row_height = max(row_height, h)


def _queries(index: int, panel: PlannedPanel) -> list[dict[str, object]]:
    metric = f"m{index:04d}"
    if panel.type == "table":
        tables = ("endpoints", "services", "regions")
        return [{"source": "synth", "table": tables[index % 3], "metric": metric}]
    shape = "percent" if panel.type == "gauge" else SHAPES[index % len(SHAPES)]
    if panel.type in ("status_board", "bar_chart"):
        shape = "errors" if panel.type == "status_board" else "counter"
    queries: list[dict[str, object]] = []
    for first in range(0, panel.series, SERIES_PER_QUERY):
        last = min(panel.series, first + SERIES_PER_QUERY)
        names = [f"s{n}" for n in range(first, last)]
        query: dict[str, object] = {
            "source": "synth",
            "metric": f"{metric}-q{first // SERIES_PER_QUERY}",
            "shape": shape,
        }
        if panel.series > 1:
            query["series"] = names
        queries.append(query)
    return queries


def _flow(value: object) -> str:
    # JSON is YAML's flow style, and quotes every name safely.
    return json.dumps(value, separators=(", ", ": "))


def make_profile(
    panels: int, series: int, refresh: str = "5s", *, span: str = "1h"
) -> str:
    """Profile YAML with one dashboard of `panels` panels drawing `series` series,
    every panel refreshing every `refresh` and looking `span` back."""
    planned = plan_panels(panels, series)
    lines = [
        f"profile: scale-{panels}p-{series}s",
        f"title: Scale {panels} panels {series} series",
        "description: A generated profile for benchmarks (bench/scale_profile.py).",
        "sources:",
        "  synth: {type: testdata, seed: 3}",
        "dashboards:",
        "  - id: scale",
        f"    title: {_flow(f'{panels} panels, {series} series')}",
        f"    refresh: {refresh}",
        f"    range: {span}",
        "    panels:",
    ]
    for index, (panel, at) in enumerate(zip(planned, _positions(planned), strict=True)):
        x, y, w, h = at
        lines += [
            f"      - id: p{index:04d}",
            f"        title: {_flow(f'{panel.type} {index}')}",
            f"        type: {panel.type}",
            f"        at: {{x: {x}, y: {y}, w: {w}, h: {h}}}",
            "        queries:",
        ]
        lines += [f"          - {_flow(query)}" for query in _queries(index, panel)]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print a generated profile on standard output."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale_profile")
    parser.add_argument("--panels", type=int, default=200, help="panels (200)")
    parser.add_argument("--series", type=int, default=5000, help="series (5000)")
    parser.add_argument("--refresh", default="5s", help="dashboard refresh (5s)")
    parser.add_argument("--range", default="1h", help="dashboard range (1h)")
    options = parser.parse_args(argv)
    try:
        text = make_profile(
            options.panels, options.series, options.refresh, span=options.range
        )
    except ValueError as error:
        parser.error(str(error))
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

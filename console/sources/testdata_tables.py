"""The synthetic tables: a web shop's endpoints, services and regions.

Cells are a pure function of the seed, the table and the sample's timestamp, like the
series. During the scripted incident the checkout path suffers most (POST /checkout,
the payments and checkout services, us-east-1), so a drill-down has a suspect to find.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.results import Cell, TableResult
from console.sources.seeded_noise import signed_noise
from console.sources.testdata_params import TableName
from console.sources.testdata_shapes import daily_cycle

_TOTAL_REQUESTS = 1200.0
_TOTAL_SWING = 400.0
"""Requests per second over all rows, and how far the daily cycle moves them."""

_WORST_LATENCY_FACTOR = 1100.0 / 180.0
_WORST_EXTRA_ERRORS = 7.2
_TRAFFIC_DROP = 0.15
"""At the height of the incident a fully exposed row is this much slower, has this
many more percentage points of errors, and loses this share of its traffic."""

_WARNING_P99, _CRITICAL_P99 = 400.0, 800.0
_WARNING_ERRORS, _CRITICAL_ERRORS = 2.0, 5.0
"""Where a service's status turns warning and critical: the demo's thresholds."""


@dataclass(frozen=True, slots=True)
class _Row:
    """A row's calm numbers, and how exposed it is to the incident (0 to 1)."""

    name: str
    share: float
    p99_ms: float
    errors_pct: float
    exposure: float
    instances: int = 0
    cpu_pct: float = 0.0


_ENDPOINTS = (
    _Row("GET /", 0.18, 120.0, 0.10, 0.2),
    _Row("GET /products", 0.22, 160.0, 0.20, 0.3),
    _Row("GET /products/{id}", 0.20, 140.0, 0.15, 0.3),
    _Row("GET /search", 0.14, 260.0, 0.30, 0.4),
    _Row("POST /cart", 0.10, 210.0, 0.30, 0.8),
    _Row("POST /checkout", 0.05, 340.0, 0.40, 1.0),
    _Row("POST /login", 0.06, 190.0, 0.50, 0.2),
    _Row("GET /health", 0.05, 8.0, 0.0, 0.0),
)
_SERVICES = (
    _Row("web", 1.0, 90.0, 0.10, 0.3, instances=6, cpu_pct=35.0),
    _Row("api", 0.9, 150.0, 0.20, 0.5, instances=8, cpu_pct=48.0),
    _Row("checkout", 0.1, 300.0, 0.30, 0.9, instances=4, cpu_pct=41.0),
    _Row("payments", 0.05, 250.0, 0.20, 1.0, instances=3, cpu_pct=30.0),
    _Row("search", 0.15, 220.0, 0.20, 0.2, instances=4, cpu_pct=55.0),
    _Row("inventory", 0.3, 120.0, 0.10, 0.4, instances=3, cpu_pct=25.0),
    _Row("auth", 0.1, 80.0, 0.10, 0.1, instances=2, cpu_pct=20.0),
)
_REGIONS = (
    _Row("us-east-1", 0.45, 170.0, 0.30, 1.0),
    _Row("eu-west-1", 0.30, 190.0, 0.25, 0.2),
    _Row("us-west-2", 0.15, 180.0, 0.30, 0.1),
    _Row("ap-southeast-1", 0.10, 230.0, 0.35, 0.0),
)

COLUMNS: dict[TableName, tuple[str, ...]] = {
    "endpoints": ("endpoint", "requests/s", "errors %", "p99 ms"),
    "services": (
        "service",
        "status",
        "instances",
        "cpu %",
        "p99 ms",
        "errors %",
    ),
    "regions": ("region", "requests/s", "errors %", "p99 ms", "availability %"),
}
"""The columns of each table, in order."""


@dataclass(frozen=True, slots=True)
class TableRecipe:
    """Everything needed to compute one synthetic table at any timestamp."""

    table: TableName
    seed: int
    metric: str
    noise: float
    follows_incident: bool


def table_at(recipe: TableRecipe, timestamp: float, intensity: float) -> TableResult:
    """The table as it stands at `timestamp`, with the incident at `intensity`."""
    if not recipe.follows_incident:
        intensity = 0.0
    if recipe.table == "endpoints":
        rows = [_endpoint(recipe, row, timestamp, intensity) for row in _ENDPOINTS]
    elif recipe.table == "services":
        rows = [_service(recipe, row, timestamp, intensity) for row in _SERVICES]
    else:
        rows = [_region(recipe, row, timestamp, intensity) for row in _REGIONS]
    return TableResult(columns=COLUMNS[recipe.table], rows=rows)


@dataclass(frozen=True, slots=True)
class _Figures:
    """One row's numbers at one moment."""

    requests: float
    errors_pct: float
    p99_ms: float
    harm: float
    """The row's exposure times the incident's intensity."""


def _figures(
    recipe: TableRecipe, row: _Row, timestamp: float, intensity: float
) -> _Figures:
    harm = row.exposure * intensity

    def wobble(column: str) -> float:
        noise = signed_noise(
            recipe.seed, recipe.table, recipe.metric, row.name, column, timestamp
        )
        return 1.0 + recipe.noise * noise

    traffic = _TOTAL_REQUESTS + _TOTAL_SWING * daily_cycle(timestamp)
    requests = traffic * row.share * (1.0 - _TRAFFIC_DROP * harm) * wobble("req")
    errors = (row.errors_pct + _WORST_EXTRA_ERRORS * harm) * wobble("err")
    p99 = row.p99_ms * (1.0 + (_WORST_LATENCY_FACTOR - 1.0) * harm) * wobble("p99")
    return _Figures(requests, min(errors, 100.0), p99, harm)


def _endpoint(
    recipe: TableRecipe, row: _Row, timestamp: float, intensity: float
) -> list[Cell]:
    figures = _figures(recipe, row, timestamp, intensity)
    return [
        row.name,
        round(figures.requests, 1),
        round(figures.errors_pct, 2),
        round(figures.p99_ms),
    ]


def _service(
    recipe: TableRecipe, row: _Row, timestamp: float, intensity: float
) -> list[Cell]:
    figures = _figures(recipe, row, timestamp, intensity)
    # The worst-hit service loses an instance while the incident is at its height,
    # which is the kind of clue an engineer drilling down should find.
    instances = row.instances - (1 if figures.harm > 0.6 else 0)
    cpu = min(row.cpu_pct * (1.0 + 0.8 * figures.harm), 100.0)
    return [
        row.name,
        _status(figures),
        instances,
        round(cpu, 1),
        round(figures.p99_ms),
        round(figures.errors_pct, 2),
    ]


def _region(
    recipe: TableRecipe, row: _Row, timestamp: float, intensity: float
) -> list[Cell]:
    figures = _figures(recipe, row, timestamp, intensity)
    return [
        row.name,
        round(figures.requests, 1),
        round(figures.errors_pct, 2),
        round(figures.p99_ms),
        round(100.0 - figures.errors_pct, 2),
    ]


def _status(figures: _Figures) -> str:
    if figures.p99_ms >= _CRITICAL_P99 or figures.errors_pct >= _CRITICAL_ERRORS:
        return "critical"
    if figures.p99_ms >= _WARNING_P99 or figures.errors_pct >= _WARNING_ERRORS:
        return "warning"
    return "ok"

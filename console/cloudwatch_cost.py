"""What a dashboard's CloudWatch panels cost to keep on screen.

GetMetricData is billed per metric requested: $0.01 per 1,000 at AWS's public price
(expressions are free; each metric they read is billed). The estimate follows the
poller's own rules: identical queries merge, a query refreshes no faster than its
panel asks, its source allows, or its period, and one request carries up to 500
entries of one source and region at one refresh interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from console.profile_schema import Dashboard, Panel
from console.session import Session
from console.sources.cloudwatch_params import CloudWatchParams
from console.sources.cloudwatch_requests import MAX_QUERIES_PER_CALL

PRICE_PER_METRIC = 0.01 / 1000
"""US dollars per metric requested with GetMetricData (AWS's public price)."""

HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class CloudWatchCost:
    """Requests and metrics per hour, and what they cost."""

    metrics_per_hour: float
    calls_per_hour: float
    queries: int
    """Distinct CloudWatch queries the estimate covers."""

    @property
    def dollars_per_hour(self) -> float:
        """US dollars per hour at `PRICE_PER_METRIC`."""
        return self.metrics_per_hour * PRICE_PER_METRIC

    def short(self) -> str:
        """A few words for the status line: `CloudWatch 1.4k metrics/h $0.014/h`."""
        return (
            f"CloudWatch {_count(self.metrics_per_hour)} metrics/h "
            f"{_dollars(self.dollars_per_hour)}/h"
        )

    def long(self) -> str:
        """A sentence for the drill-down, with a month of cost."""
        month = self.dollars_per_hour * 24 * 30
        return (
            f"{_count(self.metrics_per_hour)} metrics requested per hour in "
            f"{_count(self.calls_per_hour)} GetMetricData calls: "
            f"{_dollars(self.dollars_per_hour)} per hour, {_dollars(month)} per "
            "30 days at $0.01 per 1,000 metrics"
        )


def dashboard_cost(
    session: Session, dashboard: Dashboard, panels: Sequence[Panel] | None = None
) -> CloudWatchCost | None:
    """The CloudWatch cost of keeping `dashboard` (or just `panels`) on screen;
    None when none of its queries reads CloudWatch."""
    minimums = session.min_intervals()
    merged: dict[str, tuple[str, CloudWatchParams, float]] = {}
    for demand in session.demands(dashboard, list(panels) if panels else None):
        spec = session.profile.sources.get(demand.source)
        if spec is None or spec.type != "cloudwatch":
            continue
        params = CloudWatchParams.model_validate(dict(demand.params))
        interval = max(demand.interval, minimums.get(demand.source, 0.0), params.period)
        region = params.region or str(spec.options().get("region") or "")
        known = merged.get(demand.key)
        if known is None or interval < known[2]:
            merged[demand.key] = (f"{demand.source}/{region}", params, interval)
    if not merged:
        return None
    metrics = 0.0
    entries: dict[tuple[str, float], int] = {}
    for where, params, interval in merged.values():
        metrics += params.metrics_requested() * HOUR / interval
        group = (where, interval)
        entries[group] = entries.get(group, 0) + params.entries()
    calls = sum(
        math.ceil(used / MAX_QUERIES_PER_CALL) * HOUR / interval
        for (_, interval), used in entries.items()
    )
    return CloudWatchCost(metrics, calls, len(merged))


def _count(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}"


def _dollars(value: float) -> str:
    if value >= 10:
        return f"${value:,.0f}"
    if value >= 0.1:
        return f"${value:.2f}"
    return f"${value:.3g}" if value else "$0"

"""What the console needs from a loaded profile: its sources and its demands.

A `Session` turns the profile's source blocks into live sources, and a dashboard's
panels into the poller's demands and the store keys each panel reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from console.clock import Clock
from console.poller import Demand, query_key, shifted_key
from console.profile_schema import Dashboard, Panel, Profile, Query
from console.sources.base import Source, SourceKind
from console.sources.registry import source_kinds

DEFAULT_POINTS = 240
"""Samples a panel is assumed to show across its range before its width is known."""

HISTORY_FACTOR = {"single_value": 2.0}
"""Panels that compare against the previous window need twice their range kept."""


@dataclass(frozen=True, slots=True)
class PlannedQuery:
    """One query of a panel, ready for the poller."""

    source: str
    params: Mapping[str, object]

    @property
    def key(self) -> str:
        """The store key the panel reads."""
        return query_key(self.source, self.params)


@dataclass
class Session:
    """Live sources for one profile, and the plan of what each panel polls."""

    profile: Profile
    clock: Clock
    kinds: Mapping[str, SourceKind] = field(default_factory=source_kinds)
    sources: dict[str, Source] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, spec in self.profile.sources.items():
            kind = self.kinds[spec.type]
            options = kind.options_model.model_validate(spec.options())
            self.sources[name] = kind.create(name, options, self.clock)

    def min_intervals(self) -> dict[str, float]:
        """The shortest useful refresh of each source, by source name."""
        return {
            name: self.kinds[spec.type].min_interval
            for name, spec in self.profile.sources.items()
        }

    def batch_sizes(self) -> dict[str, int]:
        """How many queries one call to each source may carry."""
        return {
            name: self.kinds[spec.type].max_batch
            for name, spec in self.profile.sources.items()
        }

    def source_timeouts(self) -> dict[str, float]:
        """Each source's own request timeout, where its options set one."""
        timeouts: dict[str, float] = {}
        for name, spec in self.profile.sources.items():
            options = self.kinds[spec.type].options_model.model_validate(spec.options())
            timeout = getattr(options, "timeout", None)
            if isinstance(timeout, int | float):
                timeouts[name] = float(timeout)
        return timeouts

    def plan(self, query: Query) -> PlannedQuery:
        """The query with its parameters validated and defaults filled in, so that
        two ways of writing the same query share one key."""
        spec = self.profile.sources[query.source]
        model = self.kinds[spec.type].params_model
        params = model.model_validate(query.params()).model_dump(mode="json")
        return PlannedQuery(query.source, params)

    def panel_queries(self, panel: Panel) -> list[PlannedQuery]:
        """The planned queries of a panel, in the order it draws them."""
        return [self.plan(query) for query in panel.all_queries()]

    def demands(
        self,
        dashboard: Dashboard,
        panels: list[Panel] | None = None,
        points: Mapping[str, int] | None = None,
        *,
        ranges: Mapping[str, float] | None = None,
        end: float | None = None,
    ) -> list[Demand]:
        """What the dashboard's panels (or just `panels`) need kept fresh.

        `points` gives, per panel id, how many samples its width can show; `ranges`,
        per panel id, a range other than the profile's (zoomed); `end`, the right
        edge of a window in the past (None: live).
        """
        demands: list[Demand] = []
        for panel in panels if panels is not None else dashboard.panels:
            interval = panel.refresh or dashboard.refresh
            shown = (ranges or {}).get(panel.id) or panel.range or dashboard.range
            span = shown * HISTORY_FACTOR.get(panel.type, 1.0)
            wanted = (points or {}).get(panel.id, DEFAULT_POINTS)
            queries = self.panel_queries(panel)
            demands.extend(
                Demand(q.source, q.params, interval, span, wanted, end) for q in queries
            )
            if panel.compare and panel.type == "line_chart":
                demands.extend(
                    Demand(q.source, q.params, interval, span, wanted, end, shift)
                    for q in queries
                    for shift in [panel.compare]
                )
        return demands

    def compare_keys(self, panel: Panel) -> list[str]:
        """Store keys of the copies of a line chart's queries drawn for comparison
        (its `compare:` window); empty for other panels."""
        if not panel.compare or panel.type != "line_chart":
            return []
        return [shifted_key(q.key, panel.compare) for q in self.panel_queries(panel)]

    async def close(self) -> None:
        """Close every source."""
        for source in self.sources.values():
            await source.close()

"""How long a dashboard took to show something in every panel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from console.store import Store


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A dashboard opening, measured: until every panel showed data or an error."""

    dashboard: str
    seconds: float
    """From opening until the last panel's queries had all answered."""
    panels: Mapping[str, float]
    """Seconds until each panel's queries had all answered."""
    errors: Sequence[str]
    """Panels whose first answer was an error."""


@dataclass(slots=True)
class LoadWatch:
    """Watches one dashboard opening until each panel has had its first answer.

    A panel with no queries (a text panel) counts as shown at once; a query counts
    as answered once it holds a success or an error, even one left from an earlier
    screen that asked the same thing, since that is what the panel shows.
    """

    dashboard: str
    panel_keys: Mapping[str, Sequence[str]]
    """The query keys each panel reads."""
    started: float
    ready: dict[str, float] = field(default_factory=dict)
    """Seconds after `started` at which each panel had all its answers."""
    failed: list[str] = field(default_factory=list)
    result: LoadResult | None = None
    """Set once every panel has answered."""

    def observe(self, store: Store, now: float) -> LoadResult | None:
        """Look at the store; returns the result the first time all have answered."""
        if self.result is not None:
            return None
        for panel, keys in self.panel_keys.items():
            if panel in self.ready:
                continue
            if not keys:
                # Nothing to wait for: a text panel shows at once.
                self.ready[panel] = 0.0
                continue
            states = [store.get(key) for key in keys]
            if all(
                state is not None
                and (state.last_success is not None or state.last_error is not None)
                for state in states
            ):
                self.ready[panel] = max(0.0, now - self.started)
                if any(s is not None and s.last_error is not None for s in states):
                    self.failed.append(panel)
        if len(self.ready) < len(self.panel_keys):
            return None
        seconds = max(self.ready.values(), default=0.0)
        self.result = LoadResult(
            self.dashboard, seconds, dict(self.ready), list(self.failed)
        )
        return self.result

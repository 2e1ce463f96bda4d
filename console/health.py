"""The health score of an executive dashboard: one number from its panels' states.

Each weighed panel scores 100 when OK, 50 on warning and 0 on critical; the score is
the weighted mean. A panel that cannot be read (no data, stale, failing) is left out
of the mean rather than counted as healthy or broken, and is listed as unknown, so a
score never hides that part of it is blind. The worst contributors are the panels
that cost the most points, weight included.

The score's history is kept in memory, one sample per `HISTORY_STEP` at most, for
the trend window the profile sets: bounded by design.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from console.evaluation import PanelState, PanelStatus, classify
from console.profile_schema import Panel

POINTS = {
    PanelState.OK: 100.0,
    PanelState.WARNING: 50.0,
    PanelState.CRITICAL: 0.0,
}
"""What a panel in each readable state scores; the other states are unknown."""

HISTORY_STEP = 10.0
"""Seconds between two kept samples of a score's history; faster changes replace
the newest sample rather than adding one."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one weighed panel gives to the score."""

    panel_id: str
    """The weighed panel's id."""
    title: str
    """Its title, for the list of worst contributors."""
    state: PanelState
    """Its state when the score was taken."""
    weight: float
    """Its weight from the profile."""
    lost: float
    """Points of the score it costs: its share of the weight times what it lacks
    of 100; zero when OK or unknown."""

    @property
    def known(self) -> bool:
        """False when the panel could not be read and is left out of the score."""
        return self.state in POINTS


@dataclass(frozen=True, slots=True)
class HealthScore:
    """A score with what made it."""

    score: float | None
    """0 to 100; None when no weighed panel could be read."""
    contributions: Sequence[Contribution]
    """Every weighed panel, in the profile's order."""

    def worst(self, count: int) -> list[Contribution]:
        """Up to `count` panels that cost points, the costliest first."""
        losing = [c for c in self.contributions if c.lost > 0]
        losing.sort(key=lambda c: -c.lost)
        return losing[:count]

    @property
    def unknown(self) -> list[Contribution]:
        """The weighed panels left out because they could not be read."""
        return [c for c in self.contributions if not c.known]


def score_panels(
    weights: Mapping[str, float],
    states: Mapping[str, PanelState],
    titles: Mapping[str, str],
) -> HealthScore:
    """The score of the panels in `weights` from their `states` (a panel missing
    from `states` is unknown)."""
    known_weight = sum(
        weight
        for panel_id, weight in weights.items()
        if states.get(panel_id, PanelState.NO_DATA) in POINTS
    )
    total = 0.0
    contributions: list[Contribution] = []
    for panel_id, weight in weights.items():
        state = states.get(panel_id, PanelState.NO_DATA)
        points = POINTS.get(state)
        lost = 0.0
        if points is not None:
            total += weight * points
            lost = weight * (100.0 - points) / known_weight
        title = titles.get(panel_id, panel_id)
        contributions.append(Contribution(panel_id, title, state, weight, lost))
    score = total / known_weight if known_weight else None
    return HealthScore(score, contributions)


def health_status(panel: Panel, health: HealthScore) -> PanelStatus:
    """The health panel's own judgement: its thresholds applied to the score."""
    if health.score is None:
        return PanelStatus(PanelState.NO_DATA, "no weighed panel has data yet")
    state = classify(health.score, panel.thresholds)
    reason = ""
    if state.is_breach:
        worst = health.worst(1)
        if worst:
            reason = f"worst: {worst[0].title} ({worst[0].state.label})"
    return PanelStatus(state, reason, health.score, "score")


class HealthHistory:
    """A score's recent values, at most one per `HISTORY_STEP`, for `keep` seconds."""

    def __init__(self, keep: float, step: float = HISTORY_STEP) -> None:
        self.keep = keep
        self.step = step
        limit = int(keep / step) + 2
        self._points: deque[tuple[float, float]] = deque(maxlen=limit)

    def add(self, now: float, score: float) -> None:
        """Keep `score` as the value at `now`."""
        points = self._points
        if points and now < points[-1][0]:
            # The clock went back (a replay seeking): the history no longer fits.
            points.clear()
        if len(points) >= 2 and now - points[-2][0] < self.step:
            points[-1] = (now, score)
        else:
            points.append((now, score))
        while points and points[0][0] < now - self.keep:
            points.popleft()

    def points(self) -> list[tuple[float, float]]:
        """The kept (time, score) pairs, oldest first."""
        return list(self._points)

    def change(self) -> float | None:
        """The score now minus the oldest kept score; None with fewer than two."""
        if len(self._points) < 2:
            return None
        return self._points[-1][1] - self._points[0][1]


class HealthTracker:
    """The histories of every health panel the console has shown, by dashboard and
    panel id; a profile has few of them, so this stays small."""

    def __init__(self) -> None:
        self._histories: dict[tuple[str, str], HealthHistory] = {}

    def history(self, dashboard_id: str, panel: Panel) -> HealthHistory:
        """The history of one health panel, created on first use."""
        key = (dashboard_id, panel.id)
        history = self._histories.get(key)
        keep = panel.health.trend if panel.health is not None else 3600.0
        if history is None or history.keep != keep:
            history = HealthHistory(keep)
            self._histories[key] = history
        return history

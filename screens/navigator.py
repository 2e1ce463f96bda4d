"""Moving through time and dashboards: zoom, pan, live, drill links and back.

The app holds one `Navigator`; its `state` is the console's `NavigationState`. Keys
on the screens call it; it changes the state and tells the screen on top, which
re-reads the ranges and asks the poller again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from console.navigation_state import NavigationState, pan, zoom_in, zoom_out
from console.profile_schema import Dashboard, DrillLink
from console.sources.base import SourceError
from console.sources.value_discovery import discover_values

if TYPE_CHECKING:
    from screens.app import WatchdeckApp


class FollowsNavigation(Protocol):
    """A screen that shows the time window and redraws when it changes."""

    def navigation_changed(self) -> None:
        """Re-read the navigation state: ranges, window end, filter."""


class Navigator:
    """Changes the app's `NavigationState` and tells the screen on top."""

    def __init__(self, app: WatchdeckApp, state: NavigationState | None = None) -> None:
        self.app = app
        self.state = state or NavigationState()
        """What a saved view captures: range, window end, filter, drill path."""

    def zoom(self, dashboard: Dashboard, *, longer: bool) -> None:
        """Show the next longer (or shorter) range on every panel that has no range
        of its own."""
        current = self.state.dashboard_range(dashboard)
        self.state.range = zoom_out(current) if longer else zoom_in(current)
        self.changed()

    def set_range(self, seconds: float) -> None:
        """Show `seconds` on every panel that has no range of its own."""
        self.state.range = seconds
        self.changed()

    def pan(self, dashboard: Dashboard, steps: int) -> None:
        """Move the window by `steps` half-ranges; forward past now is live."""
        width = self.state.dashboard_range(dashboard)
        now = self.app.clock.now()
        self.state.range_end = pan(width, self.state.range_end, now, steps)
        self.changed()

    def go_live(self) -> None:
        """End the window now again, moving with the clock."""
        self.state.range_end = None
        self.changed()

    def set_filter(self, text: str) -> None:
        """Show only the panels whose title holds `text`."""
        self.state.filter = text
        self.changed()

    def follow(self, link: DrillLink) -> None:
        """Open a drill link's dashboard with its variables, one step further down
        the drill path."""
        self.app.open_dashboard(link.dashboard, link.with_, via="follow")

    def back(self) -> bool:
        """Return to the dashboard before this one on the drill path, with the
        variables it had; False when there is none."""
        path = self.state.drill_path
        if len(path) < 2:
            return False
        dashboard_id, variables = path[-2]
        if not self.app.open_dashboard(dashboard_id, variables, via="back"):
            return False
        self.state.back()
        return True

    def set_variable(self, dashboard: Dashboard, name: str, value: str) -> bool:
        """Give a variable another value and show the dashboard again with it;
        False (the reason shown) when the profile refuses the value."""
        if self.app.loaded.variables.get(name) == value:
            return True
        return self.app.open_dashboard(dashboard.id, {name: value}, via="vary")

    async def discover(self, name: str) -> list[str]:
        """The values a variable's source lists for it (its `discover:` block).
        Raises `SourceError` when the source cannot list them."""
        variable = self.app.loaded.profile.variables[name]
        if variable.discover is None:
            return list(variable.choices)
        source = self.app.session.sources.get(variable.discover.source)
        if source is None:
            raise SourceError(f"no source named {variable.discover.source!r}")
        return await discover_values(source, variable.discover.params())

    def restore(self, saved: NavigationState) -> bool:
        """Open the last dashboard of `saved`'s drill path with its variables, and
        take its range, window, filter and panel ranges (a saved view coming
        back); False when it names no dashboard or the profile refuses it."""
        if not saved.drill_path:
            return False
        dashboard_id, variables = saved.drill_path[-1]
        if not self.app.open_dashboard(dashboard_id, variables, via="back"):
            return False
        # The new screen reads the state when it mounts, after this returns.
        self.state.range = saved.range
        self.state.range_end = saved.range_end
        self.state.filter = saved.filter
        self.state.drill_path = [(d, dict(v)) for d, v in saved.drill_path]
        self.state.panel_ranges = dict(saved.panel_ranges)
        return True

    def breadcrumbs(self) -> list[str]:
        """The titles along the drill path, the profile's first."""
        profile = self.app.loaded.profile
        crumbs = [profile.title]
        for dashboard_id, _ in self.state.drill_path:
            dashboard = profile.dashboard(dashboard_id)
            crumbs.append(dashboard.title if dashboard else dashboard_id)
        return crumbs

    def changed(self) -> None:
        """Tell the screen on top that the state changed."""
        hook = getattr(self.app.screen, "navigation_changed", None)
        if callable(hook):
            hook()

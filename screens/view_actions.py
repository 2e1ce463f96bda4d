"""Saved views in the running console: `b` saves, `1`-`9` recall bookmarks, `y`
copies the view as a token. The app takes these actions from `ViewActions`.

Capturing reads where the user is (dashboard, variables, focused panel); applying
opens the view's dashboard with its variables and focus. The store is called in a
thread, as a team store answers over the network.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.binding import Binding, BindingType

from console.identity import host_name, local_user
from console.storage.interface import StorageError
from console.storage.records import SavedView
from console.view_state import DrillStep, ViewState, profile_changed, profile_reference
from console.views_token import encode_token
from screens.dashboard import DashboardScreen
from screens.drilldown import DrillDownScreen
from screens.save_view import SaveRequest, SaveViewScreen
from widgets.panel import PanelView

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

VIEW_BINDINGS: list[BindingType] = [
    Binding("b", "save_view", "Save view", show=False),
    Binding("y", "copy_view_token", "Copy view token", show=False),
    *(
        Binding(str(n), f"recall_view({n})", f"Bookmark {n}", show=False)
        for n in range(1, 10)
    ),
]
"""The keys, for the app's BINDINGS."""


@dataclass(frozen=True, slots=True)
class OpenedView:
    """A view to open: its state, the profile hash it was saved against, and how to
    name it in messages."""

    state: ViewState
    profile_hash: str
    label: str
    name: str | None = None
    """The stored view's name (None for a token)."""
    revision: int | None = None


def capture_view(app: WatchdeckApp) -> ViewState:
    """Where the user is now, as a view."""
    screen = app.screen
    dashboard = app.visible_dashboards()[0].id
    focused: str | None = None
    if isinstance(screen, DashboardScreen):
        dashboard = screen.dashboard.id
        if isinstance(screen.focused, PanelView):
            focused = screen.focused.spec.id
    elif isinstance(screen, DrillDownScreen):
        dashboard, focused = screen.dashboard.id, screen.panel.id
    loaded = app.loaded
    declared = loaded.raw.get("variables") or {}
    navigation = app.navigator.state
    return ViewState(
        profile=loaded.profile.profile,
        profile_path=profile_reference(loaded.path),
        dashboard=dashboard,
        variables={k: v for k, v in loaded.variables.items() if k in declared},
        focused_panel=focused,
        range=navigation.range,
        range_end=navigation.range_end,
        filter=navigation.filter,
        drill_path=[
            DrillStep(dashboard=step, variables=dict(values))
            for step, values in navigation.drill_path
        ],
        panel_ranges=dict(navigation.panel_ranges),
    )


def apply_view(app: WatchdeckApp, view: OpenedView) -> bool:
    """Open `view` in `app`; False (with the reason shown) when it cannot be."""
    state, profile = view.state, app.loaded.profile
    if state.profile != profile.profile:
        app.notify(
            f"{view.label} is for the profile {state.profile!r}; this console shows "
            f"{profile.profile!r}. Open it with `watchdeck run --view`.",
            title="cannot open view",
            severity="error",
        )
        return False
    if state.dashboard not in {d.id for d in app.visible_dashboards()}:
        app.notify(
            f"{view.label} shows the dashboard {state.dashboard!r}, which this "
            f"profile no longer has or your role may not open",
            title="cannot open view",
            severity="error",
        )
        return False
    declared = app.loaded.raw.get("variables") or {}
    variables = {k: v for k, v in state.variables.items() if k in declared}
    if profile_changed(view.profile_hash, app.loaded.content_hash):
        app.notify(
            f"the profile changed since {view.label} was saved: panels may differ",
            title="profile changed",
            severity="warning",
            timeout=10,
        )
    while len(app.screen_stack) > 2 and not isinstance(app.screen, DashboardScreen):
        app.pop_screen()
    if not app.open_dashboard(state.dashboard, variables, focus=state.focused_panel):
        return False
    # The dashboard reads the navigator's state when it mounts, after this returns.
    navigation = app.navigator.state
    navigation.range = state.range
    navigation.range_end = state.range_end
    navigation.filter = state.filter
    navigation.panel_ranges = dict(state.panel_ranges)
    path = [(step.dashboard, dict(step.variables)) for step in state.drill_path]
    if path and path[-1][0] == state.dashboard:
        navigation.drill_path = path
    if view.name is not None:
        app.current_view = (view.name, view.revision)
    return True


class ViewActions:
    """The app's saved-view actions; mixed into `WatchdeckApp`."""

    current_view: tuple[str, int | None] | None = None
    """The stored view last saved or recalled, and its revision: the next save of
    that name is based on it, so a colleague's save in between is reported."""

    @property
    def _deck(self) -> WatchdeckApp:
        return cast("WatchdeckApp", self)

    def _on_view_screen(self) -> bool:
        return isinstance(self._deck.screen, DashboardScreen | DrillDownScreen)

    def action_save_view(self) -> None:
        """Ask for a name, slot and note, then save the view as a new revision."""
        app = self._deck
        if not self._on_view_screen():
            return
        if app.read_only:
            app.notify(
                "read-only mode: views are not saved", severity="warning", timeout=4
            )
            return
        state = capture_view(app)
        name = self.current_view[0] if self.current_view else state.dashboard

        def chosen(request: SaveRequest | None) -> None:
            if request is not None:
                app.run_worker(self._save(state, request), group="views")

        what = f"{app.loaded.profile.title} › {state.dashboard}"
        app.push_screen(SaveViewScreen(what, name), chosen)

    async def _save(self, state: ViewState, request: SaveRequest) -> None:
        app = self._deck
        based_on = None
        if self.current_view and self.current_view[0] == request.name:
            based_on = self.current_view[1]
        user = local_user()
        try:
            saved: SavedView = await asyncio.to_thread(
                app.state_store.save_view,
                request.name,
                state.to_json(),
                profile_hash=app.loaded.content_hash,
                user=user,
                host=host_name(),
                at=app.clock.now(),
                based_on=based_on,
                note=request.note,
            )
            if request.slot is not None:
                await asyncio.to_thread(
                    app.state_store.set_bookmark,
                    user,
                    request.slot,
                    request.name,
                    at=app.clock.now(),
                )
        except StorageError as error:
            app.notify(str(error), title="view not saved", severity="error")
            return
        revision = saved.revision
        self.current_view = (revision.name, revision.revision)
        slot = f", bookmark {request.slot}" if request.slot else ""
        app.notify(
            f"{revision.name} revision {revision.revision}{slot}", title="view saved"
        )
        if saved.conflict is not None:
            other = saved.conflict
            app.notify(
                f"{other.saved_by}@{other.host} saved revision {other.revision} of "
                f"{other.name} meanwhile; both are kept "
                f"(`watchdeck views diff {other.name} {other.revision} "
                f"{revision.revision}`)",
                title="view saved alongside another",
                severity="warning",
                timeout=15,
            )

    async def action_recall_view(self, slot: int) -> None:
        """Open the view bookmarked in `slot`."""
        app = self._deck
        if not isinstance(app.screen, DashboardScreen):
            return
        try:
            marks = await asyncio.to_thread(app.state_store.bookmarks, local_user())
        except StorageError as error:
            app.notify(str(error), title="cannot recall", severity="error")
            return
        name = marks.get(slot)
        if name is None:
            app.notify(
                f"bookmark {slot} is empty: press b to save a view into it",
                severity="warning",
                timeout=4,
            )
            return
        await self.open_saved_view(name)

    async def open_saved_view(self, name: str) -> bool:
        """Open the newest revision of the stored view `name`; False (with the
        reason shown) when it cannot be read or opened."""
        app = self._deck
        try:
            revision = await asyncio.to_thread(app.state_store.view, name)
        except StorageError as error:
            app.notify(str(error), title="cannot open view", severity="error")
            return False
        if revision is None:
            app.notify(f"no view named {name!r}", severity="error")
            return False
        try:
            state = ViewState.from_json(revision.state)
        except ValueError as error:
            app.notify(f"{name}: {error}", title="cannot open view", severity="error")
            return False
        label = f"view {name!r}"
        return apply_view(
            app,
            OpenedView(state, revision.profile_hash, label, name, revision.revision),
        )

    def action_copy_view_token(self) -> None:
        """Show the view's token and copy it to the clipboard (OSC 52)."""
        app = self._deck
        if not self._on_view_screen():
            return
        token = encode_token(capture_view(app), app.loaded.content_hash)
        app.copy_to_clipboard(token)
        app.notify(
            f"{token}\nopen it with: watchdeck run --view-token TOKEN",
            title="view token (copied where the terminal allows)",
            timeout=20,
        )

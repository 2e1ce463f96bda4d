"""Command palette entries for saved views: open one of the user's views of this
profile, save the current view, copy it as a token."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.storage.interface import StorageError
from console.view_access import view_refusal

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

log = logging.getLogger(__name__)

MAX_LISTED = 200
"""At most this many saved views are read for the palette (each is one store read,
a network call away for a team store)."""


class ViewCommands(Provider):
    """Open a saved view, save the view, copy its token."""

    _openable: list[tuple[str, str]] | None = None
    """(name, what it shows) of each view this console can open."""

    async def startup(self) -> None:
        """Read the user's views once, in a thread, when the palette opens."""
        app = cast("WatchdeckApp", self.app)
        try:
            self._openable = await asyncio.to_thread(_openable_views, app)
        except StorageError as error:
            log.warning("saved views not listed: %s", error)
            self._openable = []

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("WatchdeckApp", self.app)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"Open view: {name}", shows, partial(app.open_saved_view, name))
            for name, shows in self._openable or []
        ]
        commands.append(
            (
                "Save view",
                "Save where you are as a new revision of a named view (b)",
                partial(app.run_action, "save_view"),
            )
        )
        commands.append(
            (
                "Copy view token",
                "Show this view as a token and copy it over OSC 52 (y)",
                partial(app.run_action, "copy_view_token"),
            )
        )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def _openable_views(app: WatchdeckApp) -> list[tuple[str, str]]:
    """The stored views of the app's profile that its role may open; called in a
    thread."""
    profile = app.loaded.profile
    found: list[tuple[str, str]] = []
    for name in app.state_store.view_names()[:MAX_LISTED]:
        latest = app.state_store.view(name)
        if latest is None or latest.state.get("profile") != profile.profile:
            continue
        if view_refusal(latest.state, profile, app.role) is not None:
            continue
        dashboard = profile.dashboard(str(latest.state.get("dashboard", "")))
        title = dashboard.title if dashboard is not None else "?"
        found.append((name, f"{title}, revision {latest.revision}"))
    return found

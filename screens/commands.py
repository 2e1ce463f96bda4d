"""Command palette entries: the profile's dashboards and the console's actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from screens.app import WatchdeckApp


class DashboardCommands(Provider):
    """Open any dashboard of the profile, refresh, pause, show help."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("WatchdeckApp", self.app)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (
                f"Open dashboard: {d.title}",
                d.description or f"{d.kind} dashboard",
                partial(app.open_dashboard, d.id),
            )
            for d in app.visible_dashboards()
        ]
        screen = self.screen
        for action, help_text in (
            ("refresh", "Poll every panel now"),
            ("pause", "Pause or resume polling"),
            ("dashboards", "List the dashboards"),
        ):
            if hasattr(screen, f"action_{action}"):
                commands.append(
                    (
                        action.capitalize(),
                        help_text,
                        partial(screen.run_action, action),
                    )
                )
        commands.append(("Help", "Show the keys", app.action_help))
        commands.append(("Quit", "Leave watchdeck", app.action_quit))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    callback,
                    help=help_text,
                )

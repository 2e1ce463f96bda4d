"""Command palette entries for moving in time and along the drill path."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.durations import format_duration
from console.navigation_state import RANGE_STEPS

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

_SCREEN_ACTIONS = (
    ("Zoom in", "A shorter range on every panel", "zoom(False)"),
    ("Zoom out", "A longer range on every panel", "zoom(True)"),
    ("Back half a range", "Look further into the past", "pan(-1)"),
    ("Forward half a range", "Towards now; live again at now", "pan(1)"),
    ("Back to live", "The window ends now again", "live"),
    ("Variables", "Pick a value for one of the profile's variables", "variables"),
    ("Filter panels", "Show only panels whose title holds some text", "filter"),
    ("Follow link", "Open the focused panel's linked dashboard", "follow_link"),
    ("Go back", "The previous dashboard on the drill path", "back"),
)
"""Name, help and the dashboard screen's action for each entry."""


class NavigationCommands(Provider):
    """Zoom, pan, live, a range of your choice, variables, filter and back."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("WatchdeckApp", self.app)
        screen = self.screen
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for name, help_text, action in _SCREEN_ACTIONS:
            if hasattr(screen, f"action_{action.split('(')[0]}"):
                commands.append((name, help_text, partial(screen.run_action, action)))
        if hasattr(screen, "navigation_changed"):
            for seconds in RANGE_STEPS:
                label = format_duration(seconds)
                commands.append(
                    (
                        f"Range: {label}",
                        f"Show the last {label} on every panel",
                        partial(app.navigator.set_range, seconds),
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

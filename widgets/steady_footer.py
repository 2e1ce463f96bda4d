"""A footer that rebuilds only when the keys it shows change.

Textual's `Footer` recomposes on every bindings signal, and a focus change sends
one. Recomposing replaces its key widgets, which asks the screen for a new layout,
and on a screen of 200 panels a layout costs tens of milliseconds, paid on every
Tab although moving between two charts changes no key in the footer.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A `Footer` that skips the rebuild when the shown keys are the same."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Hashable | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = self._signature(screen)
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)

    def _signature(self, screen: Screen[object]) -> Hashable | None:
        """What the footer would show for `screen`; None when it cannot tell."""
        if not (self.is_attached and screen is self.screen and self.app.app_focus):
            return None
        return tuple(
            (key, binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
        )

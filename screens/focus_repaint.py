"""A screen that repaints only what a focus change restyles, not the whole screen.

Textual declares `Screen.focused` as a reactive that repaints the screen when it
changes, so every Tab rewrote all 160x48 cells (about 30 KB through SSH, and the
time to render every panel) although only two borders and the footer differ. The
widgets whose `:focus` styles change are refreshed by Textual's own style update,
and the footer by its bindings signal; the screen need not repaint for them.
"""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

ResultType = TypeVar("ResultType")


class FocusRepaintScreen(Screen[ResultType]):
    """A `Screen` whose focus changes repaint only the widgets they restyle."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

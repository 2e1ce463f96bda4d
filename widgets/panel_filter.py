"""The line where `/` filters a dashboard's panels by title."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class PanelFilter(Input):
    """A one-line field under the panels; hidden until `/` shows it.

    Typing posts Textual's own `Input.Changed`; Enter posts `Input.Submitted`;
    Esc posts `PanelFilter.Cleared`. The dashboard screen owns the filter itself.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter"),
    ]

    DEFAULT_CSS = """
    PanelFilter, PanelFilter:focus {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
        background: $panel;
    }
    PanelFilter.-shown { display: block; }
    """

    class Cleared(Message):
        """Posted when the user leaves the filter with Esc; handled by the
        dashboard screen's `on_panel_filter_cleared`."""

    def __init__(self) -> None:
        super().__init__(placeholder="filter panels by title; Enter keeps, Esc clears")

    def action_clear_filter(self) -> None:
        """Empty the field and say so."""
        self.value = ""
        self.post_message(self.Cleared())

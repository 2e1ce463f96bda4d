"""The timeline screen: alert changes, acknowledgements and notes, newest first."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from console.storage.interface import StorageError
from console.timeline import timeline_entries
from screens.focus_repaint import FocusRepaintScreen
from widgets.status_header import StatusHeader
from widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

TIMELINE_SPAN = 86400.0
"""How far back the timeline screen reads: the last day."""

_KIND_WORDS = {"alert": "alert", "ack": "✓ ack", "unack": "✗ unack", "note": "✎ note"}


class TimelineScreen(FocusRepaintScreen[None]):
    """What happened in the last day, from the state store; Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("r", "reload", "Reload"),
    ]

    DEFAULT_CSS = """
    TimelineScreen > DataTable { height: 1fr; }
    """

    @property
    def deck(self) -> WatchdeckApp:
        """The application, with its state store."""
        return cast("WatchdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        table: DataTable[str] = DataTable(zebra_stripes=True, cursor_type="row")
        table.add_columns("time", "kind", "what", "who", "detail")
        yield table
        yield SteadyFooter()

    def on_mount(self) -> None:
        header = self.query_one(StatusHeader)
        header.location = f"{self.deck.loaded.profile.title} › timeline"
        header.read_only = self.deck.read_only
        header.clock = time.strftime("%H:%M", time.localtime(self.deck.clock.now()))
        self.deck.triage.fill_header(header)
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def data_arrived(self, keys: frozenset[str] | None) -> None:
        """Let the dashboard underneath judge its panels; the timeline itself is
        read again with `r`, so that the cursor does not jump while reading."""
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        handler = getattr(below, "data_arrived", None)
        if callable(handler) and not isinstance(below, TimelineScreen):
            handler(keys)

    def action_reload(self) -> None:
        """Read the timeline from the store again."""
        now = self.deck.clock.now()
        try:
            entries = timeline_entries(
                self.deck.state_store,
                since=now - TIMELINE_SPAN,
                profile=self.deck.loaded.profile.profile,
            )
        except StorageError as error:
            self.notify(str(error), title="timeline", severity="error")
            return
        table = self.query_one(DataTable)
        table.clear()
        for entry in reversed(entries):
            table.add_row(
                time.strftime("%H:%M:%S", time.localtime(entry.at)),
                _KIND_WORDS[entry.kind],
                entry.what,
                entry.who,
                entry.detail,
            )
        if not entries:
            table.add_row("", "", "nothing happened in the last day", "", "")

    def action_back(self) -> None:
        self.dismiss()

"""The prompt for saving the current view: a name, a bookmark slot and a note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

NO_SLOT = 0
"""The Select value meaning "no bookmark"."""


@dataclass(frozen=True, slots=True)
class SaveRequest:
    """What the user asked for."""

    name: str
    slot: int | None
    """The bookmark slot (1 to 9) to point at the view, if any."""
    note: str


class SaveViewScreen(ModalScreen[SaveRequest | None]):
    """Asks for a name, an optional bookmark slot and a note; dismisses with them,
    or None on Esc or an empty name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    SaveViewScreen { align: center middle; }
    SaveViewScreen > Vertical {
        width: 72;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    SaveViewScreen Label { margin: 1 0 0 0; }
    SaveViewScreen #what { color: $text-muted; margin: 0; }
    SaveViewScreen Horizontal { height: auto; margin: 1 0 0 0; }
    SaveViewScreen Button { margin: 0 1 0 0; }
    """

    def __init__(self, what: str, name: str, slot: int | None = None) -> None:
        super().__init__()
        self._what = what
        self._name = name
        self._slot = slot

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save view")
            yield Label(self._what, id="what", markup=False)
            yield Label("Name")
            yield Input(value=self._name, id="name")
            yield Label("Bookmark (recalled with its digit key)")
            yield Select(
                [("none", NO_SLOT), *((f"{n}", n) for n in range(1, 10))],
                value=self._slot or NO_SLOT,
                allow_blank=False,
                id="slot",
            )
            yield Label("Note (optional)")
            yield Input(placeholder="why this view", id="note")
            with Horizontal():
                yield Button("Save", variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self._confirm()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _confirm(self) -> None:
        name = " ".join(self.query_one("#name", Input).value.split())
        if not name:
            self.notify("a view needs a name", severity="warning")
            return
        slot = self.query_one("#slot", Select).value
        note = self.query_one("#note", Input).value.strip()
        chosen = slot if isinstance(slot, int) and slot != NO_SLOT else None
        self.dismiss(SaveRequest(name[:120], chosen, note))

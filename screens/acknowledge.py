"""The short prompt for acknowledging an alert: a note and how long it holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

DURATIONS: list[tuple[str, float]] = [
    ("15 minutes", 900.0),
    ("1 hour", 3600.0),
    ("4 hours", 14400.0),
    ("12 hours", 43200.0),
    ("24 hours", 86400.0),
]
"""The lengths an acknowledgement may be given, shortest first."""

DEFAULT_DURATION = 3600.0


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """What the user wrote: why, and for how long."""

    note: str
    seconds: float


class AcknowledgeScreen(ModalScreen[Acknowledgement | None]):
    """Asks for a note and a duration; dismisses with them, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    AcknowledgeScreen { align: center middle; }
    AcknowledgeScreen > Vertical {
        width: 72;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    AcknowledgeScreen Label { margin: 1 0 0 0; }
    AcknowledgeScreen #what { color: $text-muted; margin: 0; }
    AcknowledgeScreen Horizontal { height: auto; margin: 1 0 0 0; }
    AcknowledgeScreen Button { margin: 0 1 0 0; }
    """

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Acknowledge")
            yield Label(self._what, id="what", markup=False)
            yield Label("Note (what you are doing about it)")
            yield Input(placeholder="looking into it", id="note")
            yield Label("For")
            yield Select(
                [(label, seconds) for label, seconds in DURATIONS],
                value=DEFAULT_DURATION,
                allow_blank=False,
                id="duration",
            )
            with Horizontal():
                yield Button("Acknowledge", variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

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
        note = self.query_one("#note", Input).value.strip() or "acknowledged"
        duration = self.query_one("#duration", Select).value
        seconds = duration if isinstance(duration, float) else DEFAULT_DURATION
        self.dismiss(Acknowledgement(note, seconds))

"""The feedback prompt: a short note about the dashboard (and panel) on screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from console.usage.recorder import MAX_FEEDBACK


class FeedbackScreen(ModalScreen[str | None]):
    """Asks for one line of feedback; dismisses with it, or None on Esc or when
    left empty."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    FeedbackScreen { align: center middle; }
    FeedbackScreen > Vertical {
        width: 72;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    FeedbackScreen #about { color: $text-muted; }
    FeedbackScreen #hint { color: $text-muted; margin: 1 0 0 0; }
    """

    def __init__(self, about: str) -> None:
        super().__init__()
        self._about = about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Feedback on this dashboard")
            yield Label(self._about, id="about", markup=False)
            yield Input(
                placeholder="what is missing, wrong, slow or unused here?",
                max_length=MAX_FEEDBACK,
                id="note",
            )
            yield Label(
                "Enter keeps it for the dashboard's owners; Esc drops it.", id="hint"
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Adding a note pinned to the current time: the prompt and the stored record."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from console.identity import local_user
from console.storage.interface import StorageError
from console.storage.records import Annotation

if TYPE_CHECKING:
    from screens.app import WatchdeckApp


class AnnotateScreen(ModalScreen[str | None]):
    """Asks for the note's text; dismisses with it, or None on Esc or empty."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    AnnotateScreen { align: center middle; }
    AnnotateScreen > Vertical {
        width: 72;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    AnnotateScreen #where { color: $text-muted; }
    """

    def __init__(self, where: str) -> None:
        super().__init__()
        self._where = where

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add a note at this moment (Enter saves, Esc cancels)")
            yield Label(self._where, id="where", markup=False)
            yield Input(placeholder="rolled back to v41", id="note")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def annotate(app: WatchdeckApp) -> None:
    """Prompt for a note and store it against the dashboard on screen (or the
    whole profile elsewhere); read-only mode says so and stores nothing."""
    if app.read_only:
        app.notify("read-only: notes cannot be added", severity="warning")
        return
    dashboard = getattr(app.screen, "dashboard", None)
    dashboard_id = getattr(dashboard, "id", None)
    where = f"on {dashboard_id}" if dashboard_id else "on every dashboard"
    at = app.clock.now()

    def written(text: str | None) -> None:
        if not text:
            return
        note = Annotation(
            at=at,
            user=local_user(),
            text=text,
            profile=app.loaded.profile.profile,
            dashboard=dashboard_id,
        )
        try:
            app.state_store.annotate(note)
        except StorageError as error:
            app.notify(str(error), title="note not saved", severity="error")
            return
        app.notify(f"note added: {text}")
        show = getattr(app.screen, "show_markers", None)
        if callable(show):
            show()

    app.push_screen(AnnotateScreen(where), written)

"""Help: every key of the screen underneath and of the app, read from the bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """The keys that work where you were, generated from the bindings so that it
    cannot drift from what the keys really do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, beneath: Screen[object]) -> None:
        super().__init__()
        self._beneath = beneath

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=False)
        table.add_column("Keys")
        table.add_column("Does")
        for keys, description in self._rows():
            table.add_row(keys, description)
        with VerticalScroll() as listing:
            # On the border, so that it shows however far the list scrolls.
            listing.border_subtitle = "Esc or ? closes this help"
            yield Static(table)

    def _rows(self) -> list[tuple[str, str]]:
        """One row per action: every key that runs it, and what it does."""
        rows: dict[str, tuple[list[str], str]] = {}
        focused = self._beneath.focused
        nodes = [focused] if focused is not None else []
        for node in (*nodes, self._beneath, self.app):
            for _key, binding in BindingsMap(type(node).BINDINGS):
                if not binding.description or binding.system:
                    continue
                if not node.check_action(binding.action.split("(")[0], ()):
                    continue
                action = binding.action.split("(")[0]
                if action == "recall_view":
                    description = "Open the view bookmarked on 1 to 9"
                else:
                    # A screen may bind an app action that the app binds too.
                    action = binding.action.removeprefix("app.")
                    description = binding.description
                keys, _ = rows.setdefault(action, ([], description))
                shown = self.app.get_key_display(binding)
                if shown not in keys:
                    keys.append(shown)
        return [(" ".join(keys), description) for keys, description in rows.values()]

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

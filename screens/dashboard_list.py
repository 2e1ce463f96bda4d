"""A list of the profile's dashboards to jump to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from console.profile_schema import Dashboard, Profile


class DashboardListScreen(ModalScreen[str | None]):
    """Pick a dashboard; dismisses with its id, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Back"),
    ]

    DEFAULT_CSS = """
    DashboardListScreen { align: center middle; }
    DashboardListScreen > Vertical {
        width: 80%;
        max-width: 90;
        height: auto;
        max-height: 80%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    DashboardListScreen Label { color: $text-muted; }
    DashboardListScreen OptionList { height: auto; max-height: 20; }
    """

    def __init__(
        self,
        profile: Profile,
        current: str,
        dashboards: list[Dashboard] | None = None,
    ) -> None:
        super().__init__()
        self._profile = profile
        self._current = current
        self._dashboards = profile.dashboards if dashboards is None else dashboards
        """The ones listed: those the user's role may open."""

    def compose(self) -> ComposeResult:
        options = [
            Option(
                f"{dashboard.title}  ({dashboard.kind})"
                + (f"\n   {dashboard.description}" if dashboard.description else ""),
                id=dashboard.id,
            )
            for dashboard in self._dashboards
        ]
        with Vertical():
            yield Label(f"{self._profile.title}: dashboards (Enter opens, Esc back)")
            yield OptionList(*options)

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        ids = [d.id for d in self._dashboards]
        option_list.highlighted = (
            ids.index(self._current) if self._current in ids else 0
        )
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

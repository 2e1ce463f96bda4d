"""The variable selector: pick a variable, then one of its values.

Values come from the variable's `choices`, from its source (`discover:`), or are
typed in when the profile fixes neither.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from console.profile_schema import Variable
from console.sources.base import SourceError

DISCOVERY_TIMEOUT = 10.0
"""Seconds the selector waits for a source to list a variable's values."""

Discover = Callable[[], Awaitable[list[str]]]
"""Asks the variable's source for its values."""

_CSS = """
{screen} {{ align: center middle; }}
{screen} > Vertical {{
    width: 80%;
    max-width: 90;
    height: auto;
    max-height: 80%;
    border: round $accent;
    background: $surface;
    padding: 0 1;
}}
{screen} Label {{ color: $text-muted; }}
{screen} Label.-error {{ color: $error; }}
{screen} OptionList {{ height: auto; max-height: 20; }}
"""


class VariableListScreen(ModalScreen[str | None]):
    """Pick one of the profile's variables; dismisses with its name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Back"),
    ]

    DEFAULT_CSS = _CSS.format(screen="VariableListScreen")

    def __init__(
        self, variables: Mapping[str, Variable], values: Mapping[str, str]
    ) -> None:
        super().__init__()
        self._variables = variables
        self._values = values

    def compose(self) -> ComposeResult:
        options = [
            Option(
                f"{name} = {self._values.get(name, variable.default)}"
                + (f"\n   {variable.description}" if variable.description else ""),
                id=name,
            )
            for name, variable in self._variables.items()
        ]
        with Vertical():
            yield Label("Variables (Enter picks a value, Esc back)")
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


class VariableValueScreen(ModalScreen[str | None]):
    """Pick a value for one variable; dismisses with it, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Back"),
    ]

    DEFAULT_CSS = _CSS.format(screen="VariableValueScreen")

    def __init__(
        self,
        name: str,
        variable: Variable,
        current: str,
        discover: Discover | None = None,
    ) -> None:
        super().__init__()
        self._name = name
        self._variable = variable
        self._current = current
        self._discover = discover

    def compose(self) -> ComposeResult:
        choices = self._variable.choices
        with Vertical():
            yield Label(self._title(), id="title")
            yield OptionList(*(Option(value, id=value) for value in choices))
            if not choices:
                yield Input(
                    value=self._current,
                    placeholder=f"a value for {self._name}; Enter sets it",
                )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.display = bool(self._variable.choices) or self._discover is not None
        if self._variable.choices:
            self._highlight_current()
            options.focus()
        else:
            self.query_one(Input).focus()
        if self._discover is not None:
            self.run_worker(self._find_values(self._discover), exclusive=True)

    def _title(self) -> str:
        described = (
            f" ({self._variable.description})" if self._variable.description else ""
        )
        return f"{self._name}{described}: now {self._current}"

    def _highlight_current(self) -> None:
        options = self.query_one(OptionList)
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == self._current:
                options.highlighted = index
                return

    async def _find_values(self, discover: Discover) -> None:
        label = self.query_one("#title", Label)
        label.update(f"{self._title()} (asking the source...)")
        try:
            values = await asyncio.wait_for(discover(), DISCOVERY_TIMEOUT)
        except TimeoutError:
            self._failed(f"the source did not answer in {DISCOVERY_TIMEOUT:g}s")
            return
        except SourceError as error:
            self._failed(error.reason)
            return
        label.update(f"{self._title()} ({len(values)} found)")
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(value, id=value) for value in values)
        options.display = True
        self._highlight_current()
        if values:
            options.focus()

    def _failed(self, reason: str) -> None:
        label = self.query_one("#title", Label)
        label.update(f"cannot list values: {reason}; type one instead")
        label.add_class("-error")
        self.query_one(OptionList).display = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if value:
            self.dismiss(value)

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

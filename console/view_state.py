"""What a saved view holds: where the user was and what they were looking at.

A `ViewState` is plain JSON-able data; the screens capture one from the running
console and apply one back. It names the profile by its name and path and never
holds a source's options, so a view carries no secret by construction: only ids,
variable values the profile declares, times and the filter text.

The time range, filter, drill path and panel ranges come from the navigator's
state (zoom and pan, `/`, drill links, a drill-down's own zoom); left at their
defaults they mean "as the dashboard says".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from console.profile_catalog import shipped_profiles_dir
from console.storage.records import JsonObject

VIEW_STATE_VERSION = 1
"""Written into every state; a state from a newer watchdeck is refused."""


class ViewStateError(ValueError):
    """A stored or imported state does not fit `ViewState`; the message says why."""


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True
    )


class DrillStep(_Model):
    """One dashboard on the way to where the user stood, as a drill link opened it."""

    dashboard: str
    """The dashboard's id."""
    variables: dict[str, str] = Field(default_factory=dict)
    """The variables the drill link set."""


class ViewState(_Model):
    """Everything a view restores. Every field but the profile and the dashboard may
    be left out; left out, it means what a fresh console would show."""

    version: int = VIEW_STATE_VERSION
    """The layout of this record; newer ones are refused."""
    profile: str
    """The profile's name (its `profile:` key)."""
    profile_path: str = ""
    """Where the profile was read from when the view was saved: a shipped profile's
    name when it was one, else the file's path."""
    dashboard: str
    """The dashboard shown."""
    variables: dict[str, str] = Field(default_factory=dict)
    """The profile's variables as they were set."""
    focused_panel: str | None = None
    """The panel that had the focus."""
    range: float | None = None
    """Seconds the charts look back. None: the dashboard's own range."""
    range_end: float | None = None
    """Unix time the range ends at. None: live, ending now."""
    filter: str = ""
    """The `/` filter on panel titles. Empty: every panel."""
    drill_path: list[DrillStep] = Field(default_factory=list)
    """The dashboards drill links went through, oldest first; the last is the one
    shown."""
    panel_ranges: dict[str, float] = Field(default_factory=dict)
    """Ranges set on single panels from their drill-down, keyed `dashboard/panel`."""

    @property
    def live(self) -> bool:
        """Whether the view follows the present."""
        return self.range_end is None

    def to_json(self) -> dict[str, Any]:
        """The state as a JSON object (defaults included, for readable diffs)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: JsonObject) -> ViewState:
        """A state read back from JSON; raises `ViewStateError` in plain words."""
        if not isinstance(data, dict):
            raise ViewStateError("a view state is a mapping")
        version = data.get("version", VIEW_STATE_VERSION)
        if isinstance(version, int) and version > VIEW_STATE_VERSION:
            raise ViewStateError(
                f"the view was saved by a newer watchdeck (layout {version}; this "
                f"one reads {VIEW_STATE_VERSION})"
            )
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the state"
            raise ViewStateError(f"{where}: {first['msg']}") from None


def profile_reference(path: Path) -> str:
    """How a view names the profile at `path`: a shipped profile by its name (it is
    found under that name on any host), any other by its absolute path."""
    if path.parent.resolve() == shipped_profiles_dir().resolve():
        return path.stem
    return str(path.resolve())


def profile_changed(saved_hash: str, current_hash: str) -> bool:
    """Whether the profile differs from the one a view was saved against. A token
    carries only a prefix of the hash, so a prefix match counts as the same."""
    if not saved_hash:
        return False
    return not current_hash.startswith(saved_hash)

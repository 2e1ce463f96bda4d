"""The records a state store keeps. Each is plain data that turns into JSON and back.

Times are Unix seconds. Ids are random hex strings, so that two stores (a laptop's
SQLite file and the team's table) never hand out the same one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JsonObject = Mapping[str, Any]
"""A JSON object: what a view's state and a usage record's detail hold."""


def new_id() -> str:
    """A fresh record id."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class ViewRevision:
    """One saved revision of a named view. Saving never overwrites: it adds one."""

    name: str
    """The view's name, chosen by the user."""
    revision: int
    """1 for the first save, then one more for each."""
    saved_at: float
    """When it was saved."""
    saved_by: str
    """The local user who saved it."""
    host: str
    """The host it was saved on."""
    profile_hash: str
    """The content hash of the profile it was saved against."""
    state: JsonObject
    """What the view restores: profile, dashboard, variables, range, focus..."""
    note: str = ""
    """Why it was saved, or what it was restored from."""


@dataclass(frozen=True, slots=True)
class SavedView:
    """What saving a view did."""

    revision: ViewRevision
    """The revision just written."""
    conflict: ViewRevision | None = None
    """A revision someone else saved after the one this save was based on: both are
    kept, and the user is told."""


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """Someone has taken an alert: who, when, why, and until when."""

    alert_key: str
    """The alert's stable key, e.g. `panel:demo/checkout-errors`."""
    user: str
    at: float
    until: float
    """When the acknowledgement lapses by itself."""
    note: str = ""
    silence_id: str | None = None
    """The Alertmanager silence that carries it, if any."""
    id: str = field(default_factory=new_id)
    cleared_at: float | None = None
    """When it was withdrawn before `until`, if it was."""
    cleared_by: str | None = None

    def active(self, now: float) -> bool:
        """Whether it still holds at `now`."""
        return self.cleared_at is None and self.at <= now < self.until


@dataclass(frozen=True, slots=True)
class Annotation:
    """A note pinned to a moment, shown as a marker on charts and in the timeline."""

    at: float
    user: str
    text: str
    profile: str = ""
    """The profile's name, so that one store can serve several profiles."""
    dashboard: str | None = None
    """The dashboard it was written on; None for every dashboard."""
    panel: str | None = None
    id: str = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One thing that happened in the console, for the usage report."""

    at: float
    kind: str
    """What happened: `start`, `end`, `dashboard`, `drill`, `ack`, `feedback`..."""
    user: str
    host: str
    dashboard: str | None = None
    panel: str | None = None
    duration: float | None = None
    """Seconds it lasted, where that means something (a dashboard left open)."""
    detail: JsonObject = field(default_factory=dict)
    id: str = field(default_factory=new_id)

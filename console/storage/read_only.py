"""A store that reads from another and refuses every write, for `--read-only`.

The screens check read-only mode first and say so on screen; this wrapper is the
second lock on the door, so that a key someone forgot to check still writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from console.storage.interface import ReadOnlyRefused, StateStore
from console.storage.records import (
    Acknowledgement,
    Annotation,
    JsonObject,
    SavedView,
    UsageRecord,
    ViewRevision,
)


def _refuse(what: str) -> NoReturn:
    raise ReadOnlyRefused(f"read-only mode: {what} was not saved")


class ReadOnlyStateStore:
    """Reads pass through to `inner`; writes raise `ReadOnlyRefused`."""

    def __init__(self, inner: StateStore) -> None:
        self._inner = inner

    @property
    def location(self) -> str:
        """The inner store's location."""
        return self._inner.location

    @property
    def recovered_from(self) -> str | None:
        """The inner store's recovery, if any."""
        return self._inner.recovered_from

    def save_view(
        self,
        name: str,
        state: JsonObject,
        *,
        profile_hash: str,
        user: str,
        host: str,
        at: float,
        based_on: int | None = None,
        note: str = "",
    ) -> SavedView:
        """Refused."""
        _refuse(f"the view {name!r}")

    def view_names(self) -> list[str]:
        """As the inner store."""
        return self._inner.view_names()

    def view(self, name: str, revision: int | None = None) -> ViewRevision | None:
        """As the inner store."""
        return self._inner.view(name, revision)

    def view_history(self, name: str) -> list[ViewRevision]:
        """As the inner store."""
        return self._inner.view_history(name)

    def bookmarks(self, user: str) -> dict[int, str]:
        """As the inner store."""
        return self._inner.bookmarks(user)

    def set_bookmark(self, user: str, slot: int, name: str, *, at: float) -> None:
        """Refused."""
        _refuse(f"bookmark {slot}")

    def acknowledge(self, ack: Acknowledgement) -> Acknowledgement:
        """Refused."""
        _refuse("the acknowledgement")

    def clear_acknowledgement(self, alert_key: str, *, user: str, at: float) -> int:
        """Refused."""
        _refuse("the un-acknowledgement")

    def acknowledgements(
        self, *, since: float | None = None, active_at: float | None = None
    ) -> list[Acknowledgement]:
        """As the inner store."""
        return self._inner.acknowledgements(since=since, active_at=active_at)

    def annotate(self, annotation: Annotation) -> Annotation:
        """Refused."""
        _refuse("the annotation")

    def annotations(
        self, *, since: float, until: float | None = None, profile: str | None = None
    ) -> list[Annotation]:
        """As the inner store."""
        return self._inner.annotations(since=since, until=until, profile=profile)

    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        """Dropped silently: usage is not the user's writing, and read-only mode
        keeps the store untouched."""

    def usage(self, *, since: float) -> list[UsageRecord]:
        """As the inner store."""
        return self._inner.usage(since=since)

    def prune_usage(self, *, before: float) -> int:
        """Refused quietly: nothing pruned."""
        return 0

    def close(self) -> None:
        """Closes the inner store."""
        self._inner.close()

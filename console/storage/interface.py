"""The one interface every state store implements, and its errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from console.storage.records import (
    Acknowledgement,
    Annotation,
    JsonObject,
    SavedView,
    UsageRecord,
    ViewRevision,
)


class StorageError(Exception):
    """The store could not do what was asked; the message says why in one line."""


class ReadOnlyRefused(StorageError):
    """A write was asked of a store opened read-only."""


class StateStore(Protocol):
    """Views, acknowledgements, annotations and usage records, kept between runs.

    Every method is synchronous and quick on a local store; callers on the event
    loop run them in a thread when the store may be remote.
    """

    @property
    def location(self) -> str:
        """Where the store lives, for messages (a path or a table name)."""
        ...

    @property
    def recovered_from(self) -> str | None:
        """Where a corrupt store was moved aside to when it was opened, if it was."""
        ...

    # Views

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
        """Add a revision to the view `name` (creating it); never overwrites.

        `based_on` is the revision the user started from, if any: when someone saved
        a later one meanwhile, both are kept and the result says so.
        """
        ...

    def view_names(self) -> list[str]:
        """The names of every saved view, sorted."""
        ...

    def view(self, name: str, revision: int | None = None) -> ViewRevision | None:
        """One revision of a view (the latest when `revision` is None)."""
        ...

    def view_history(self, name: str) -> list[ViewRevision]:
        """Every revision of a view, oldest first."""
        ...

    def bookmarks(self, user: str) -> dict[int, str]:
        """The user's bookmark slots (1 to 9) and the view each recalls."""
        ...

    def set_bookmark(self, user: str, slot: int, name: str, *, at: float) -> None:
        """Point the user's bookmark `slot` at the view `name` (replacing what the
        slot held: a bookmark is a shortcut, not history)."""
        ...

    # Acknowledgements

    def acknowledge(self, ack: Acknowledgement) -> Acknowledgement:
        """Record an acknowledgement; returns what was stored."""
        ...

    def clear_acknowledgement(self, alert_key: str, *, user: str, at: float) -> int:
        """Withdraw the active acknowledgements of an alert; returns how many."""
        ...

    def acknowledgements(
        self, *, since: float | None = None, active_at: float | None = None
    ) -> list[Acknowledgement]:
        """Acknowledgements made since a time, or active at a time, oldest first."""
        ...

    # Annotations

    def annotate(self, annotation: Annotation) -> Annotation:
        """Record an annotation; returns what was stored."""
        ...

    def annotations(
        self, *, since: float, until: float | None = None, profile: str | None = None
    ) -> list[Annotation]:
        """Annotations in a time window, oldest first."""
        ...

    # Usage

    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        """Append usage records."""
        ...

    def usage(self, *, since: float) -> list[UsageRecord]:
        """Usage records since a time, oldest first."""
        ...

    def prune_usage(self, *, before: float) -> int:
        """Forget usage records older than a time; returns how many."""
        ...

    def close(self) -> None:
        """Release the store's connections."""
        ...

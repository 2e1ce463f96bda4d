"""A state store that tells the usage recorder about acknowledgements and saved
views, whichever screen made them, and otherwise passes everything through.

Screens call the store from worker threads; the recorder belongs to the event
loop, so it is told through `call`, which the app points at the loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from console.storage.interface import StateStore
from console.storage.records import (
    Acknowledgement,
    AlertChange,
    Annotation,
    JsonObject,
    SavedView,
    UsageRecord,
    ViewRevision,
)
from console.usage.recorder import UsageRecorder

Call = Callable[[Callable[[], None]], None]
"""Runs a function where the recorder lives (its event loop's thread)."""


def _at_once(function: Callable[[], None]) -> None:
    function()


class RecordingStateStore:
    """Wraps a `StateStore`; each acknowledgement and view save that succeeds is
    also counted by the recorder."""

    def __init__(
        self, inner: StateStore, recorder: UsageRecorder, *, call: Call = _at_once
    ) -> None:
        self.inner = inner
        """The store written to."""
        self._recorder = recorder
        self._call = call

    @property
    def location(self) -> str:
        """Where the wrapped store lives."""
        return self.inner.location

    @property
    def recovered_from(self) -> str | None:
        """Where the wrapped store's corrupt file went, if it was moved aside."""
        return self.inner.recovered_from

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
        """Save a view in the wrapped store, and count it."""
        saved = self.inner.save_view(
            name,
            state,
            profile_hash=profile_hash,
            user=user,
            host=host,
            at=at,
            based_on=based_on,
            note=note,
        )
        self._call(lambda: self._recorder.view_saved(name))
        return saved

    def view_names(self) -> list[str]:
        """The wrapped store's view names."""
        return self.inner.view_names()

    def view(self, name: str, revision: int | None = None) -> ViewRevision | None:
        """A revision of a view from the wrapped store."""
        return self.inner.view(name, revision)

    def view_history(self, name: str) -> list[ViewRevision]:
        """A view's revisions from the wrapped store."""
        return self.inner.view_history(name)

    def bookmarks(self, user: str) -> dict[int, str]:
        """A user's bookmarks from the wrapped store."""
        return self.inner.bookmarks(user)

    def set_bookmark(self, user: str, slot: int, name: str, *, at: float) -> None:
        """Set a bookmark in the wrapped store."""
        self.inner.set_bookmark(user, slot, name, at=at)

    def acknowledge(self, ack: Acknowledgement) -> Acknowledgement:
        """Acknowledge in the wrapped store, and count it."""
        stored = self.inner.acknowledge(ack)
        self._call(
            lambda: self._recorder.acknowledged(stored.alert_key, user=stored.user)
        )
        return stored

    def clear_acknowledgement(self, alert_key: str, *, user: str, at: float) -> int:
        """Withdraw acknowledgements in the wrapped store."""
        return self.inner.clear_acknowledgement(alert_key, user=user, at=at)

    def acknowledgements(
        self, *, since: float | None = None, active_at: float | None = None
    ) -> list[Acknowledgement]:
        """Acknowledgements from the wrapped store."""
        return self.inner.acknowledgements(since=since, active_at=active_at)

    def annotate(self, annotation: Annotation) -> Annotation:
        """Annotate in the wrapped store."""
        return self.inner.annotate(annotation)

    def annotations(
        self, *, since: float, until: float | None = None, profile: str | None = None
    ) -> list[Annotation]:
        """Annotations from the wrapped store."""
        return self.inner.annotations(since=since, until=until, profile=profile)

    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        """Append usage records to the wrapped store."""
        self.inner.record_usage(records)

    def usage(self, *, since: float) -> list[UsageRecord]:
        """Usage records from the wrapped store."""
        return self.inner.usage(since=since)

    def prune_usage(self, *, before: float) -> int:
        """Prune usage records in the wrapped store."""
        return self.inner.prune_usage(before=before)

    def record_alert_changes(self, changes: Sequence[AlertChange]) -> None:
        """Append alert changes to the wrapped store."""
        self.inner.record_alert_changes(changes)

    def alert_changes(
        self, *, since: float, until: float | None = None, profile: str | None = None
    ) -> list[AlertChange]:
        """The wrapped store's alert changes in a window."""
        return self.inner.alert_changes(since=since, until=until, profile=profile)

    def close(self) -> None:
        """Close the wrapped store."""
        self.inner.close()

    def __getattr__(self, name: str) -> object:
        # Methods added to the store interface later pass straight through, so the
        # wrapper never hides one it does not know yet.
        return getattr(self.inner, name)

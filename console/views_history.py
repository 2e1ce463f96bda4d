"""Operations on a view's history that add revisions: restore and import."""

from __future__ import annotations

from console.identity import host_name, local_user
from console.storage.interface import StateStore, StorageError
from console.storage.records import SavedView


def restore_revision(
    store: StateStore, name: str, revision: int, *, at: float
) -> SavedView:
    """Save revision `revision` of `name` again as its newest revision; nothing is
    removed. Raises `StorageError` when there is no such revision."""
    history = store.view_history(name)
    if not history:
        raise StorageError(f"no view named {name!r}")
    old = next((r for r in history if r.revision == revision), None)
    if old is None:
        raise StorageError(
            f"the view {name!r} has revisions 1 to {history[-1].revision}, "
            f"not {revision}"
        )
    return store.save_view(
        name,
        old.state,
        profile_hash=old.profile_hash,
        user=local_user(),
        host=host_name(),
        at=at,
        based_on=history[-1].revision,
        note=f"restored from revision {revision}",
    )

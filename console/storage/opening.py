"""Opening the state store the user's settings ask for."""

from __future__ import annotations

from pathlib import Path

from console.storage.interface import StateStore
from console.storage.read_only import ReadOnlyStateStore
from console.storage.sqlite_store import SqliteStateStore
from console.user_config import DynamoDbStore, SqliteStore, StoreSettings


def open_state_store(
    path: Path | None = None,
    *,
    read_only: bool = False,
    settings: StoreSettings | None = None,
) -> StateStore:
    """The store `settings` choose (default: the local SQLite file, at `path` or in
    the user's data directory), wrapped so that it refuses writes when `read_only`.
    Raises `StorageError` with a one-line reason when it cannot be opened."""
    if isinstance(settings, DynamoDbStore):
        # Imported here: boto3 takes a while to load and most users never need it.
        from console.storage.dynamodb_store import DynamoDbStateStore  # noqa: PLC0415

        store: StateStore = DynamoDbStateStore.from_settings(settings)
        return ReadOnlyStateStore(store) if read_only else store
    if isinstance(settings, SqliteStore) and settings.path is not None:
        path = settings.path.expanduser()
    if read_only:
        return ReadOnlyStateStore(SqliteStateStore(path, read_only=True))
    return SqliteStateStore(path)

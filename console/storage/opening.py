"""Opening the state store the user's settings ask for."""

from __future__ import annotations

from pathlib import Path

from console.storage.interface import StateStore
from console.storage.read_only import ReadOnlyStateStore
from console.storage.sqlite_store import SqliteStateStore


def open_state_store(
    path: Path | None = None, *, read_only: bool = False
) -> StateStore:
    """The local SQLite store (at `path`, or in the user's data directory), wrapped
    so that it refuses writes when `read_only`. Raises `StorageError` with a one-line
    reason when it cannot be opened."""
    if read_only:
        return ReadOnlyStateStore(SqliteStateStore(path, read_only=True))
    return SqliteStateStore(path)

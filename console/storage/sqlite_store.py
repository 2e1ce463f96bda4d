"""The default state store: one SQLite file in the user's data directory.

Several consoles may have it open at once: it runs in WAL mode, waits for a busy
writer instead of failing, and takes each revision number inside the write
transaction that inserts it, so two saves of one view both land. A killed process
leaves either the old or the new record, never half of one (SQLite's journal sees to
that). A file that is not a readable store is moved aside and replaced, and
`recovered_from` says where it went.

Opened `read_only`, it never touches the disk: an existing file is opened with
SQLite's read-only mode, and a missing one is stood in for by an empty store in
memory.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

from console.storage.interface import StorageError
from console.storage.records import (
    Acknowledgement,
    Annotation,
    JsonObject,
    SavedView,
    UsageRecord,
    ViewRevision,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
"""Stored in `PRAGMA user_version`; a newer file is refused, not rewritten."""

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another console's write to finish."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS views (
    name TEXT NOT NULL,
    revision INTEGER NOT NULL,
    saved_at REAL NOT NULL,
    saved_by TEXT NOT NULL,
    host TEXT NOT NULL,
    profile_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name, revision)
);
CREATE TABLE IF NOT EXISTS bookmarks (
    user TEXT NOT NULL,
    slot INTEGER NOT NULL,
    name TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (user, slot)
);
CREATE TABLE IF NOT EXISTS acknowledgements (
    id TEXT PRIMARY KEY,
    alert_key TEXT NOT NULL,
    user TEXT NOT NULL,
    at REAL NOT NULL,
    until REAL NOT NULL,
    note TEXT NOT NULL,
    silence_id TEXT,
    cleared_at REAL,
    cleared_by TEXT
);
CREATE INDEX IF NOT EXISTS acknowledgements_by_key ON acknowledgements (alert_key);
CREATE TABLE IF NOT EXISTS annotations (
    id TEXT PRIMARY KEY,
    at REAL NOT NULL,
    user TEXT NOT NULL,
    text TEXT NOT NULL,
    profile TEXT NOT NULL,
    dashboard TEXT,
    panel TEXT
);
CREATE INDEX IF NOT EXISTS annotations_by_time ON annotations (at);
CREATE TABLE IF NOT EXISTS usage (
    id TEXT PRIMARY KEY,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    dashboard TEXT,
    panel TEXT,
    duration REAL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_by_time ON usage (at);
"""


def default_store_path() -> Path:
    """The store in the user's data directory."""
    return Path(platformdirs.user_data_dir("watchdeck")) / "state.db"


class SqliteStateStore:
    """A `StateStore` in one SQLite file."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self._path = path or default_store_path()
        self._lock = threading.Lock()
        self._recovered_from: str | None = None
        self._connection = self._open_read_only() if read_only else self._open()

    @classmethod
    def in_memory(cls) -> SqliteStateStore:
        """A store that keeps everything in memory and nothing after it closes: for
        tests, and for a console whose store cannot be opened."""
        store = cls.__new__(cls)
        store._path = Path(":memory:")
        store._lock = threading.Lock()
        store._recovered_from = None
        store._connection = _memory_connection()
        return store

    def _open_read_only(self) -> sqlite3.Connection:
        if not self._path.exists():
            return _memory_connection()
        try:
            connection = sqlite3.connect(
                f"{self._path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                connection.close()
                connection = _memory_connection()
        except sqlite3.DatabaseError as error:
            raise StorageError(
                f"the state store {self._path} cannot be read ({error})"
            ) from None
        return connection

    @property
    def location(self) -> str:
        """The file's path."""
        return str(self._path)

    @property
    def recovered_from(self) -> str | None:
        """Where a corrupt file was moved aside to, if it was."""
        return self._recovered_from

    def _open(self) -> sqlite3.Connection:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self._path.exists():
                os.close(os.open(self._path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self._path, 0o600)
        except OSError as error:
            raise StorageError(
                f"cannot create the state store {self._path}: {error.strerror}"
            ) from None
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
                raise StorageError(
                    f"the state store {self._path} stays locked by another process"
                ) from None
            self._move_aside(error)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self._path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            check = connection.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"the state store {self._path} was written by a newer watchdeck "
                    f"(schema {version}, this one knows {SCHEMA_VERSION})"
                )
            connection.executescript(_SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            connection.close()
            raise
        return connection

    def _move_aside(self, error: sqlite3.DatabaseError) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = self._path.with_name(f"{self._path.name}.corrupt-{stamp}")
        log.warning(
            "state store %s unreadable (%s); moved to %s", self._path, error, target
        )
        try:
            os.replace(self._path, target)
            for suffix in ("-wal", "-shm"):
                side = self._path.with_name(self._path.name + suffix)
                if side.exists():
                    os.replace(side, target.with_name(target.name + suffix))
            os.close(os.open(self._path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as move_error:
            raise StorageError(
                f"the state store {self._path} is unreadable ({error}) and could not "
                f"be moved aside: {move_error.strerror}"
            ) from None
        self._recovered_from = str(target)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading so that it cannot be lost."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise StorageError(f"cannot write {self._path}: {error}") from None
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self._connection.execute(sql, parameters)
            cursor.row_factory = sqlite3.Row
            return list(cursor.fetchall())

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
        """Add the next revision of `name`."""
        body = json.dumps(state, sort_keys=True)
        with self._write() as connection:
            latest = connection.execute(
                "SELECT COALESCE(MAX(revision), 0) FROM views WHERE name = ?", (name,)
            ).fetchone()[0]
            revision = ViewRevision(
                name, latest + 1, at, user, host, profile_hash, state, note
            )
            connection.execute(
                "INSERT INTO views VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, revision.revision, at, user, host, profile_hash, body, note),
            )
        conflict = None
        if based_on is not None and latest > based_on:
            conflict = self.view(name, latest)
        return SavedView(revision, conflict)

    def view_names(self) -> list[str]:
        """Every saved view's name."""
        rows = self._read("SELECT DISTINCT name FROM views ORDER BY name")
        return [row["name"] for row in rows]

    def view(self, name: str, revision: int | None = None) -> ViewRevision | None:
        """One revision, the latest by default."""
        if revision is None:
            rows = self._read(
                "SELECT * FROM views WHERE name = ? ORDER BY revision DESC LIMIT 1",
                (name,),
            )
        else:
            rows = self._read(
                "SELECT * FROM views WHERE name = ? AND revision = ?", (name, revision)
            )
        return _view(rows[0]) if rows else None

    def view_history(self, name: str) -> list[ViewRevision]:
        """Every revision, oldest first."""
        rows = self._read(
            "SELECT * FROM views WHERE name = ? ORDER BY revision", (name,)
        )
        return [_view(row) for row in rows]

    def bookmarks(self, user: str) -> dict[int, str]:
        """The user's bookmark slots."""
        rows = self._read(
            "SELECT slot, name FROM bookmarks WHERE user = ? ORDER BY slot", (user,)
        )
        return {row["slot"]: row["name"] for row in rows}

    def set_bookmark(self, user: str, slot: int, name: str, *, at: float) -> None:
        """Point a slot at a view."""
        with self._write() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO bookmarks VALUES (?, ?, ?, ?)",
                (user, slot, name, at),
            )

    # Acknowledgements

    def acknowledge(self, ack: Acknowledgement) -> Acknowledgement:
        """Record one acknowledgement."""
        with self._write() as connection:
            connection.execute(
                "INSERT INTO acknowledgements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ack.id,
                    ack.alert_key,
                    ack.user,
                    ack.at,
                    ack.until,
                    ack.note,
                    ack.silence_id,
                    ack.cleared_at,
                    ack.cleared_by,
                ),
            )
        return ack

    def clear_acknowledgement(self, alert_key: str, *, user: str, at: float) -> int:
        """Withdraw the alert's acknowledgements that still hold at `at`."""
        with self._write() as connection:
            cursor = connection.execute(
                "UPDATE acknowledgements SET cleared_at = ?, cleared_by = ? "
                "WHERE alert_key = ? AND cleared_at IS NULL AND at <= ? AND until > ?",
                (at, user, alert_key, at, at),
            )
            return cursor.rowcount

    def acknowledgements(
        self, *, since: float | None = None, active_at: float | None = None
    ) -> list[Acknowledgement]:
        """Acknowledgements made since a time or active at one, oldest first."""
        clauses: list[str] = []
        parameters: list[float] = []
        if since is not None:
            clauses.append("(at >= ? OR cleared_at >= ?)")
            parameters += [since, since]
        if active_at is not None:
            clauses.append("cleared_at IS NULL AND at <= ? AND until > ?")
            parameters += [active_at, active_at]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._read(
            f"SELECT * FROM acknowledgements {where} ORDER BY at", parameters
        )
        return [
            Acknowledgement(
                alert_key=row["alert_key"],
                user=row["user"],
                at=row["at"],
                until=row["until"],
                note=row["note"],
                silence_id=row["silence_id"],
                id=row["id"],
                cleared_at=row["cleared_at"],
                cleared_by=row["cleared_by"],
            )
            for row in rows
        ]

    # Annotations

    def annotate(self, annotation: Annotation) -> Annotation:
        """Record one annotation."""
        with self._write() as connection:
            connection.execute(
                "INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    annotation.id,
                    annotation.at,
                    annotation.user,
                    annotation.text,
                    annotation.profile,
                    annotation.dashboard,
                    annotation.panel,
                ),
            )
        return annotation

    def annotations(
        self, *, since: float, until: float | None = None, profile: str | None = None
    ) -> list[Annotation]:
        """Annotations in a window, oldest first."""
        sql = "SELECT * FROM annotations WHERE at >= ?"
        parameters: list[object] = [since]
        if until is not None:
            sql += " AND at <= ?"
            parameters.append(until)
        if profile is not None:
            sql += " AND profile = ?"
            parameters.append(profile)
        rows = self._read(sql + " ORDER BY at", parameters)
        return [
            Annotation(
                at=row["at"],
                user=row["user"],
                text=row["text"],
                profile=row["profile"],
                dashboard=row["dashboard"],
                panel=row["panel"],
                id=row["id"],
            )
            for row in rows
        ]

    # Usage

    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        """Append usage records in one transaction."""
        if not records:
            return
        with self._write() as connection:
            connection.executemany(
                "INSERT INTO usage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        record.id,
                        record.at,
                        record.kind,
                        record.user,
                        record.host,
                        record.dashboard,
                        record.panel,
                        record.duration,
                        json.dumps(record.detail, sort_keys=True),
                    )
                    for record in records
                ],
            )

    def usage(self, *, since: float) -> list[UsageRecord]:
        """Usage records since a time, oldest first."""
        rows = self._read("SELECT * FROM usage WHERE at >= ? ORDER BY at", (since,))
        return [
            UsageRecord(
                at=row["at"],
                kind=row["kind"],
                user=row["user"],
                host=row["host"],
                dashboard=row["dashboard"],
                panel=row["panel"],
                duration=row["duration"],
                detail=json.loads(row["detail"]),
                id=row["id"],
            )
            for row in rows
        ]

    def prune_usage(self, *, before: float) -> int:
        """Forget usage records older than `before`."""
        with self._write() as connection:
            return connection.execute(
                "DELETE FROM usage WHERE at < ?", (before,)
            ).rowcount

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._connection.close()


def _view(row: sqlite3.Row) -> ViewRevision:
    return ViewRevision(
        name=row["name"],
        revision=row["revision"],
        saved_at=row["saved_at"],
        saved_by=row["saved_by"],
        host=row["host"],
        profile_hash=row["profile_hash"],
        state=json.loads(row["state"]),
        note=row["note"],
    )


def _memory_connection() -> sqlite3.Connection:
    connection = sqlite3.connect(
        ":memory:", isolation_level=None, check_same_thread=False
    )
    connection.executescript(_SCHEMA)
    return connection


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text

"""SQLite behind the `sql` source: one read-only connection, opened on first use.

Reading is guarded three ways, so that no query can change a file on a shared host:
the file is opened with `mode=ro`, the connection sets `PRAGMA query_only`, and an
authorizer lets through only what a SELECT needs (no ATTACH, which could create a
file elsewhere, no PRAGMA, no writes). SQLite has no statement timeout of its own; a
progress handler stops a query once its time is up.
"""

from __future__ import annotations

import asyncio
import math
import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

import aiosqlite

from console.sources.base import SourceError
from console.sources.sql_reading import RowSet
from console.sources.sql_reasons import QueryFailed, safe_reason

PROGRESS_STEPS = 1000
"""Virtual-machine steps between checks of a query's deadline: about a millisecond
of work, so a check costs nothing and a timeout is kept to within a few ms."""

_ALLOWED_ACTIONS = frozenset(
    {
        sqlite3.SQLITE_SELECT,
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_FUNCTION,
        sqlite3.SQLITE_RECURSIVE,
    }
)
"""What the authorizer lets a statement do: read, call functions, recurse."""

READ_ONLY_REASON = "not allowed: this source runs read-only SELECT queries"
"""The reason a write, ATTACH or PRAGMA gets."""


class SqliteEngine:
    """A SQLite file, read one query at a time."""

    def __init__(self, path: Path, statement_timeout: float) -> None:
        self._path = path.expanduser()
        self._timeout = statement_timeout
        self._connection: aiosqlite.Connection | None = None
        # aiosqlite runs one statement at a time on its thread anyway; taking
        # turns here keeps each query's deadline its own.
        self._turn = asyncio.Lock()
        self._deadline = math.inf

    async def rows(self, sql: str, start: float, end: float, limit: int) -> RowSet:
        """Up to `limit` rows of `sql`, with `:start` and `:end` as unix seconds.

        Raises `SourceError` when the file cannot be opened, `QueryFailed` when the
        query fails, is refused or runs out of time.
        """
        async with self._turn:
            connection = await self._connected()
            self._deadline = time.monotonic() + self._timeout
            cursor = None
            try:
                cursor = await connection.execute(sql, {"start": start, "end": end})
                found = await cursor.fetchmany(limit)
                columns = [entry[0] for entry in cursor.description or ()]
            except asyncio.CancelledError:
                # The caller gave up (the console's own call timeout); the query
                # would otherwise run on in aiosqlite's thread until its deadline,
                # holding up the next one. Interrupting is safe from any thread.
                await connection.interrupt()
                raise
            except sqlite3.Error as error:
                raise QueryFailed(self._reason(error)) from None
            finally:
                if cursor is not None:
                    await cursor.close()
        return RowSet(columns=columns, rows=[tuple(row) for row in found])

    async def close(self) -> None:
        """Close the connection, if one was opened."""
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()

    async def _connected(self) -> aiosqlite.Connection:
        if self._connection is not None:
            return self._connection
        # Said here rather than left to SQLite, whose "unable to open database
        # file" does not say which of the two it was.
        if not self._path.is_file():
            raise SourceError(f"cannot open {self._path}: no such file")
        if not os.access(self._path, os.R_OK):
            raise SourceError(f"cannot open {self._path}: permission denied")
        uri = f"file:{quote(str(self._path))}?mode=ro"
        try:
            connection = await aiosqlite.connect(
                uri, uri=True, timeout=self._timeout, isolation_level=None
            )
        except sqlite3.Error as error:
            raise SourceError(
                safe_reason(f"cannot open {self._path}: {error}")
            ) from None
        try:
            await connection.execute("PRAGMA query_only = ON")
            await connection.set_authorizer(_authorize)
            await connection.set_progress_handler(self._out_of_time, PROGRESS_STEPS)
        except sqlite3.Error as error:
            await connection.close()
            raise SourceError(
                safe_reason(f"cannot set up {self._path}: {error}")
            ) from None
        self._connection = connection
        return connection

    def _out_of_time(self) -> int:
        # Called on aiosqlite's thread; reading a float the event loop wrote is
        # safe, and a nonzero answer makes SQLite stop with "interrupted".
        return 1 if time.monotonic() > self._deadline else 0

    def _reason(self, error: sqlite3.Error) -> str:
        message = str(error)
        if message == "interrupted":
            return f"statement timed out after {self._timeout:g}s"
        if message == "not authorized":
            return READ_ONLY_REASON
        return safe_reason(message)


def _authorize(
    action: int,
    first: str | None,
    second: str | None,
    database: str | None,
    trigger: str | None,
) -> int:
    return sqlite3.SQLITE_OK if action in _ALLOWED_ACTIONS else sqlite3.SQLITE_DENY

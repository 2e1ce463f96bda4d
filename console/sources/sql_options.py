"""Options of a `type: sql` source block: where the database is, and its limits.

    sources:
      orders_db: {type: sql, dsn_env: ORDERS_DB_DSN, statement_timeout: 3s}
      local:     {type: sql, sqlite_path: ~/var/metrics.db}

A PostgreSQL connection string is never written in the profile: it is read from an
environment variable (`dsn_env`) or a file (`dsn_file`) when the source first
connects, so that a shared or committed profile gives no password away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from console.durations import parse_duration
from console.sources.base import SourceOptions

DEFAULT_STATEMENT_TIMEOUT = 5.0
"""Seconds a query may run when the profile does not say."""

DEFAULT_MAX_ROWS = 10_000
"""Rows a query may return when the profile does not say."""

_REFUSED_KEYS = ("dsn", "url", "uri", "connection_string", "conninfo", "password")
"""Keys that would put a connection string or password in the profile itself."""

_WHERE_KEYS = ("dsn_env", "dsn_file", "sqlite_path")


class SqlOptions(SourceOptions):
    """Options of an SQL source: exactly one of `dsn_env`, `dsn_file` or
    `sqlite_path`, and limits that keep every query cheap."""

    # A refused `dsn:` or `password:` must not reappear, value and all, in the
    # text of a validation error that somebody logs or prints.
    model_config = ConfigDict(hide_input_in_errors=True)

    dsn_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """The environment variable holding a PostgreSQL connection string, such as
    `postgresql://reader:secret@db.internal:5432/orders`. Read when the source first
    connects. Left out: the connection string comes from `dsn_file` instead, or the
    source is SQLite (`sqlite_path`)."""
    dsn_file: Path | None = None
    """A file whose one line is a PostgreSQL connection string (`~` is expanded; a
    relative path is taken from the directory watchdeck runs in), read when the
    source first connects. Keep it readable by you alone. Left out: the connection
    string comes from `dsn_env` instead, or the source is SQLite (`sqlite_path`)."""
    sqlite_path: Path | None = None
    """A SQLite database file, opened read-only; it must exist. Left out: the source
    is PostgreSQL, reached through `dsn_env` or `dsn_file`."""
    statement_timeout: float = Field(default=DEFAULT_STATEMENT_TIMEOUT, gt=0, le=300)
    """How long one query may run, as a duration such as `5s` or `500ms`; the
    database stops it after that and the panel says it timed out. The console also
    gives up on a whole call to a source after 10 s, whichever comes first. Left
    out: 5s."""
    max_rows: int = Field(default=DEFAULT_MAX_ROWS, ge=1, le=100_000)
    """The most rows one query may return. A query that returns more fails with a
    reason asking for a narrower query or a LIMIT, rather than showing a silently
    cut answer. Left out: 10000."""
    pool_size: int = Field(default=1, ge=1, le=2)
    """PostgreSQL connections kept open (1 or 2), opened on the first poll and
    closed with the console; with 2, two queries of one refresh run side by side.
    SQLite always uses one connection. Left out: 1."""

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secrets(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in _REFUSED_KEYS:
                if key in data:
                    raise ValueError(
                        f"`{key}:` is refused: a connection string or password "
                        "does not belong in a profile; name an environment variable "
                        "with `dsn_env:` or a file with `dsn_file:`"
                    )
        return data

    @field_validator("statement_timeout", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return parse_duration(value)
        return value

    @model_validator(mode="after")
    def _one_database(self) -> SqlOptions:
        given = [key for key in _WHERE_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            said = f"; got {' and '.join(given)}" if given else ""
            raise ValueError(
                f"give exactly one of dsn_env, dsn_file or sqlite_path{said}"
            )
        return self

    @property
    def engine(self) -> Literal["postgresql", "sqlite"]:
        """Which database the options point at."""
        return "sqlite" if self.sqlite_path is not None else "postgresql"

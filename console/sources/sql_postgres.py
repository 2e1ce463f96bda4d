"""PostgreSQL behind the `sql` source: a small asyncpg pool, made on first use.

Every query runs in its own `BEGIN READ ONLY` transaction with `SET LOCAL
statement_timeout`, so a write fails on the server and a slow query is stopped
there, whatever the role's grants. Both are set per transaction rather than at
connect time because poolers such as PgBouncer refuse unknown startup settings.
Read-only stops writes, not every side effect: a function such as
`pg_terminate_backend` still runs, so the role should be granted SELECT and no more.

Messages from asyncpg can quote the connection string, so every reason leaves
through `safe_reason` with the DSN's secrets; the DSN itself is never logged.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import math
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol
from urllib.parse import urlsplit

# asyncpg ships no type hints; the protocols below name the little this module
# uses, so that everything past the pool is checked.
import asyncpg  # type: ignore[import-untyped]

from console.sources.base import SourceError
from console.sources.sql_placeholders import numbered
from console.sources.sql_reading import RowSet
from console.sources.sql_reasons import QueryFailed, dsn_secrets, safe_reason

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
"""Seconds to open a connection (TCP, TLS and authentication together)."""

CLIENT_GRACE = 2.0
"""Seconds past the statement timeout after which the client stops waiting, for a
server that stopped answering altogether."""

CLOSE_TIMEOUT = 5.0
"""Seconds `close` waits for connections to end politely before dropping them."""

IDLE_LIFETIME = 120.0
"""Seconds an unused connection stays open: a hidden dashboard lets them go."""

_HOST_PORT = r"(?:\[[0-9A-Fa-f:.%]+\]|[A-Za-z0-9._-]*)(?::[0-9]+)?"
_PLAIN_ADDRESS = re.compile(rf"{_HOST_PORT}(?:,{_HOST_PORT})*")
"""One host[:port], or several separated by commas, as libpq allows."""

APPLICATION_NAME = "watchdeck"
"""How the sessions show in pg_stat_activity, for the DBA who wonders."""


class _PgType(Protocol):
    @property
    def name(self) -> str: ...


class _PgAttribute(Protocol):
    @property
    def name(self) -> str: ...


class _Cursor(Protocol):
    async def fetch(
        self, n: int, *, timeout: float | None = None
    ) -> list[Sequence[object]]: ...


class _Statement(Protocol):
    def get_parameters(self) -> Sequence[_PgType]: ...

    def get_attributes(self) -> Sequence[_PgAttribute]: ...

    def cursor(
        self, *args: object, timeout: float | None = None
    ) -> Awaitable[_Cursor]: ...


class _Transaction(Protocol):
    async def __aenter__(self) -> object: ...

    async def __aexit__(self, *exc_info: object) -> None: ...


class _Connection(Protocol):
    def transaction(self, *, readonly: bool = False) -> _Transaction: ...

    async def execute(
        self, query: str, *args: object, timeout: float | None = None
    ) -> str: ...

    async def prepare(
        self, query: str, *, timeout: float | None = None
    ) -> _Statement: ...


class _Pool(Protocol):
    def acquire(self, *, timeout: float | None = None) -> Awaitable[_Connection]: ...

    async def release(self, connection: _Connection) -> None: ...

    async def close(self) -> None: ...

    def terminate(self) -> None: ...


class PostgresEngine:
    """A PostgreSQL database, reached with a connection string read on demand."""

    def __init__(
        self,
        source: str,
        read_dsn: Callable[[], str],
        origin: str,
        *,
        statement_timeout: float,
        pool_size: int,
    ) -> None:
        self._source = source
        self._read_dsn = read_dsn
        self._origin = origin
        self._timeout = statement_timeout
        self._pool_size = pool_size
        self._pool: _Pool | None = None
        self._secrets: tuple[str, ...] = ()
        self._where = "the default host"
        self._opening = asyncio.Lock()

    async def rows(self, sql: str, start: float, end: float, limit: int) -> RowSet:
        """Up to `limit` rows of `sql`, with `:start` and `:end` bound to the window.

        Raises `SourceError` when no connection can be had (refused, bad password,
        no such database) and `QueryFailed` when this query fails on its own.
        """
        pool = await self._ready_pool()
        connection = await self._connect(pool)
        try:
            return await self._query(
                connection, sql, {"start": start, "end": end}, limit
            )
        finally:
            await pool.release(connection)

    async def close(self) -> None:
        """Close the pool's connections, dropping any that do not close in time."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            await asyncio.wait_for(pool.close(), CLOSE_TIMEOUT)
        except TimeoutError:
            log.warning(
                "sql source %s: connections to %s did not close within %gs; dropped",
                self._source,
                self._where,
                CLOSE_TIMEOUT,
            )
            pool.terminate()

    async def _ready_pool(self) -> _Pool:
        # Two queries of the first poll may both get here; one pool serves both.
        async with self._opening:
            if self._pool is None:
                # A file is read in a thread: on a slow or hung mount, it must not
                # stop the keyboard.
                dsn = await asyncio.to_thread(self._read_dsn)
                scheme = dsn.partition("://")[0].lower()
                if scheme not in ("postgresql", "postgres"):
                    raise SourceError(
                        f"the connection string in {self._origin} is not a "
                        "postgresql:// URL"
                    )
                where = _address(dsn)
                if where is None:
                    raise SourceError(
                        f"the connection string in {self._origin} is not a valid "
                        "URL; percent-encode any @ / ? # in the password"
                    )
                self._secrets = dsn_secrets(dsn)
                self._where = where
                self._pool = await self._new_pool(dsn)
                log.info(
                    "sql source %s: PostgreSQL at %s, connection string from %s",
                    self._source,
                    self._where,
                    self._origin,
                )
            return self._pool

    async def _new_pool(self, dsn: str) -> _Pool:
        # With no minimum size the pool connects on first acquire, so that the
        # reasons for not connecting all come from one place, `_connect`.
        try:
            pool: _Pool = await asyncpg.create_pool(
                dsn,
                min_size=0,
                max_size=self._pool_size,
                max_inactive_connection_lifetime=IDLE_LIFETIME,
                timeout=CONNECT_TIMEOUT,
                server_settings={"application_name": APPLICATION_NAME},
            )
        except (asyncpg.InterfaceError, ValueError) as error:
            raise SourceError(
                safe_reason(f"bad connection string: {error}", self._secrets)
            ) from None
        return pool

    async def _connect(self, pool: _Pool) -> _Connection:
        try:
            return await pool.acquire()
        except ConnectionRefusedError:
            raise SourceError(f"connection refused ({self._where})") from None
        except TimeoutError:
            raise SourceError(
                f"connection timed out after {CONNECT_TIMEOUT:g}s ({self._where})"
            ) from None
        except socket.gaierror:
            raise SourceError(f"cannot resolve the host in {self._where}") from None
        except OSError as error:
            raise SourceError(self._os_reason(error)) from None
        except (asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as error:
            # `from None` throughout: a chained driver error would carry its
            # unredacted message into any traceback that gets printed.
            raise SourceError(safe_reason(str(error), self._secrets)) from None

    async def _query(
        self,
        connection: _Connection,
        sql: str,
        window: dict[str, float],
        limit: int,
    ) -> RowSet:
        try:
            try:
                return await self._run(connection, sql, None, window, limit)
            except _TYPE_ERRORS as error:
                # `ts > :end - interval '1 hour'` fails to prepare: PostgreSQL
                # takes `:end` for an interval, from its neighbour. Bounds cast to
                # timestamptz are what such a query means; if that fails as well,
                # the first error is the one that explains the query.
                names = numbered(sql)[1]
                if not names:
                    raise
                casts = dict.fromkeys(names, "timestamptz")
                try:
                    return await self._run(connection, sql, casts, window, limit)
                except _TYPE_ERRORS:
                    raise error from None
        except (asyncpg.QueryCanceledError, TimeoutError):
            raise QueryFailed(f"statement timed out after {self._timeout:g}s") from None
        except (asyncpg.PostgresConnectionError, OSError) as error:
            raise SourceError(
                safe_reason(f"connection to {self._where} lost: {error}", self._secrets)
            ) from None
        except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise QueryFailed(safe_reason(str(error), self._secrets)) from None

    async def _run(
        self,
        connection: _Connection,
        sql: str,
        casts: dict[str, str] | None,
        window: dict[str, float],
        limit: int,
    ) -> RowSet:
        """One read-only transaction: the query prepared, bound and fetched.

        Preparing inside the transaction keeps all of it on one server session,
        which a pooler in transaction mode guarantees for transactions only.
        """
        budget = self._timeout + CLIENT_GRACE
        milliseconds = max(1, round(self._timeout * 1000))
        async with connection.transaction(readonly=True):
            await connection.execute(
                f"SET LOCAL statement_timeout = {milliseconds}", timeout=budget
            )
            text, names = numbered(sql, casts)
            statement = await connection.prepare(text, timeout=budget)
            types = [kind.name for kind in statement.get_parameters()]
            unplaced = {
                name: "timestamptz"
                for name, kind in zip(names, types, strict=False)
                if kind not in _BINDABLE
            }
            if unplaced:
                # A bound taken for a type no window fits (an interval, say) is
                # meant as a time, as above.
                text, names = numbered(sql, {**(casts or {}), **unplaced})
                statement = await connection.prepare(text, timeout=budget)
                types = [kind.name for kind in statement.get_parameters()]
            values = [
                _bound(name, kind, window[name])
                for name, kind in zip(names, types, strict=False)
            ]
            cursor = await statement.cursor(*values, timeout=budget)
            found = await cursor.fetch(limit, timeout=budget)
        columns = [column.name for column in statement.get_attributes()]
        return RowSet(columns=columns, rows=[tuple(row) for row in found])

    def _os_reason(self, error: OSError) -> str:
        # asyncpg tries each address a name resolves to and may report them
        # together as a plain OSError, refusals included.
        text = str(error)
        if error.errno == errno.ECONNREFUSED or f"[Errno {errno.ECONNREFUSED}]" in text:
            return f"connection refused ({self._where})"
        detail = error.strerror or text
        return safe_reason(f"cannot connect to {self._where}: {detail}", self._secrets)


_TYPE_ERRORS = (
    asyncpg.UndefinedFunctionError,
    asyncpg.AmbiguousFunctionError,
    asyncpg.DatatypeMismatchError,
    asyncpg.IndeterminateDatatypeError,
)
"""Errors of a query whose operators do not fit the types of their operands."""

_BINDABLE = frozenset(
    {
        "timestamptz",
        "timestamp",
        "date",
        "int2",
        "int4",
        "int8",
        "float4",
        "float8",
        "numeric",
        "text",
        "varchar",
        "bpchar",
        "name",
        "unknown",
    }
)
"""Parameter types a window bound can be given as."""


def _bound(name: str, kind: str, seconds: float) -> object:
    """The window bound `seconds` as the Python value for a parameter of type
    `kind`, the type PostgreSQL worked out from where the query uses it."""
    moment = datetime.fromtimestamp(seconds, UTC)
    if kind == "timestamptz":
        return moment
    if kind == "timestamp":
        return moment.replace(tzinfo=None)
    if kind == "date":
        return moment.date()
    if kind in ("int2", "int4", "int8"):
        # Whole seconds that still cover the window: start rounds down, end up.
        return math.floor(seconds) if name == "start" else math.ceil(seconds)
    if kind in ("float4", "float8"):
        return seconds
    if kind == "numeric":
        return Decimal(repr(seconds))
    if kind in _BINDABLE:
        return moment.isoformat()
    raise QueryFailed(
        f":{name} is used as {kind}; compare it with a timestamp or a number, "
        f"or cast it, e.g. :{name}::timestamptz"
    )


def _address(dsn: str) -> str | None:
    """Where the DSN points, as host:port without user or password; None when
    the DSN is not a well-formed URL.

    A password written without percent-encoding (an `@`, `/`, `?` or `#` in it)
    breaks the URL apart, and what then looks like the host or the port may be a
    piece of the password, which the driver would go on to quote in its errors.
    """
    try:
        netloc = urlsplit(dsn).netloc
    except ValueError:
        return None
    rest = dsn.partition(netloc)[2] if netloc else dsn
    address = netloc.rpartition("@")[2]
    if "@" in rest or not _PLAIN_ADDRESS.fullmatch(address):
        return None
    return address or "the default host"

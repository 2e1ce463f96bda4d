"""The SQL source (`type: sql`): read-only queries against PostgreSQL or SQLite.

Each query of a poll runs on its own, in a read-only transaction with a statement
timeout (see `sql_postgres` and `sql_sqlite` for how each database is held to that),
and its rows are read as a series or a table (`sql_reading`). A query that fails,
or returns more rows than `max_rows`, fails alone; a source that cannot connect at
all fails the whole call, with one reason for every panel. Connections are opened on
the first poll, not when the profile loads, and closed with the source. See
`sql_options` and `sql_params` for what a profile writes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from functools import partial
from typing import Protocol

from pydantic import ValidationError

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest, QueryResult
from console.sources.base import Source, SourceError, SourceKind, SourceOptions
from console.sources.secret_values import SecretRef, SecretUnavailable, read_secret
from console.sources.sql_options import SqlOptions
from console.sources.sql_params import SqlParams
from console.sources.sql_postgres import PostgresEngine
from console.sources.sql_reading import RowSet, read_rows
from console.sources.sql_reasons import QueryFailed
from console.sources.sql_sqlite import SqliteEngine
from console.sources.validation_reason import validation_reason

log = logging.getLogger(__name__)


class SqlEngine(Protocol):
    """One database, as the SQL source drives it."""

    async def rows(self, sql: str, start: float, end: float, limit: int) -> RowSet:
        """Up to `limit` rows of `sql` over the window; `QueryFailed` when this
        query fails, `SourceError` when the database cannot be reached."""
        ...

    async def close(self) -> None:
        """Let go of every connection."""
        ...


class SqlSource:
    """A database, queried read-only."""

    def __init__(self, name: str, options: SqlOptions) -> None:
        self.name = name
        self.options = options
        self._engine: SqlEngine | None = None

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Run every requested query, side by side as far as the pool allows.

        The first connection failure fails the whole call and stops the queries
        still running, since they would fail the same way.
        """
        batch = FetchBatch()
        wanted: list[tuple[FetchRequest, SqlParams]] = []
        for request in requests:
            try:
                params = SqlParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                continue
            wanted.append((request, params))
        if not wanted:
            return batch
        engine = self._engine_in_use()
        tasks = [
            asyncio.create_task(self._answer(engine, request, params))
            for request, params in wanted
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            # Also reached when the poller gives up on the call: queries still
            # running are stopped and their connections handed back.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            raised = None if task.cancelled() else task.exception()
            if raised is not None:
                raise raised
        for (request, _params), task in zip(wanted, tasks, strict=True):
            outcome = task.result()
            if isinstance(outcome, FetchFailure):
                batch.failures[request.key] = outcome
            else:
                batch.results[request.key] = outcome
        return batch

    async def close(self) -> None:
        """Close the database's connections; a later fetch opens them again."""
        engine, self._engine = self._engine, None
        if engine is not None:
            await engine.close()

    async def _answer(
        self, engine: SqlEngine, request: FetchRequest, params: SqlParams
    ) -> QueryResult | FetchFailure:
        limit = self.options.max_rows
        try:
            rows = await engine.rows(params.sql, request.start, request.end, limit + 1)
            if len(rows.rows) > limit:
                return FetchFailure(
                    f"more than {limit} rows (max_rows); narrow the query or add "
                    "a LIMIT"
                )
            return read_rows(rows, params)
        except QueryFailed as failure:
            log.debug("sql source %s: query failed: %s", self.name, failure.reason)
            return FetchFailure(failure.reason)

    def _engine_in_use(self) -> SqlEngine:
        if self._engine is None:
            self._engine = open_engine(self.name, self.options)
        return self._engine


def open_engine(name: str, options: SqlOptions) -> SqlEngine:
    """The engine for the database `options` point at; it connects on first use."""
    if options.sqlite_path is not None:
        return SqliteEngine(options.sqlite_path, options.statement_timeout)
    if options.dsn_env is not None:
        where = SecretRef(env=options.dsn_env)
    else:
        where = SecretRef(file=str(options.dsn_file))
    return PostgresEngine(
        name,
        partial(_read_dsn, where),
        where.describe(),
        statement_timeout=options.statement_timeout,
        pool_size=options.pool_size,
    )


def _read_dsn(where: SecretRef) -> str:
    try:
        return read_secret(where).strip()
    except SecretUnavailable as error:
        raise SourceError(str(error)) from None


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, SqlOptions):
        options = SqlOptions.model_validate(options.model_dump())
    return SqlSource(name, options)


KIND = SourceKind(
    type_name="sql",
    options_model=SqlOptions,
    params_model=SqlParams,
    create=_create,
    min_interval=5.0,
)
"""The SQL source, as the registry knows it."""

"""The SQL source against a real PostgreSQL 15 on 127.0.0.1, started once for the
module (see tests/server_postgres.py).

The test role owns its database and tables, so every refused write is refused by
the source's read-only transactions, not by missing grants. Its password is a
canary that no reason, option text or log line may ever contain.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

import pytest

from console.clock import ManualClock
from console.results import FetchBatch, FetchRequest, SeriesResult, TableResult
from console.sources.base import SourceError
from console.sources.sql import KIND, SqlSource
from console.sources.sql_options import SqlOptions
from console.sources.sql_params import SqlParams
from tests.server_faults import silent_server
from tests.server_postgres import (
    PostgresServer,
    free_port,
    postgres_available,
    running_postgres,
)

pytestmark = pytest.mark.integration

NOW = 1_700_000_000.0

ROLE = "watchdeck_reader"

CANARY = "Canary-7f3Q@x/y%z:w"
"""The test role's password, with characters a URL must encode."""

CANARY_FORMS = (CANARY, quote(CANARY, safe=""), "Canary-7f3Q")
"""The password as written, as encoded in a DSN, and its first stretch."""

SETUP_ROLE = f"""
CREATE ROLE {ROLE} LOGIN PASSWORD '{CANARY}';
CREATE DATABASE metrics OWNER {ROLE};
"""

SETUP_TABLES = f"""
SET ROLE {ROLE};
CREATE TABLE samples (ts timestamptz NOT NULL, host text, value double precision);
INSERT INTO samples
    SELECT to_timestamp({NOW:.0f} - 60 * i), 'web-' || (i % 2), i
    FROM generate_series(0, 9) AS i;
INSERT INTO samples VALUES (to_timestamp({NOW:.0f}), 'web-9', NULL);
CREATE TABLE epochs (at bigint, reading numeric(6, 2));
INSERT INTO epochs VALUES ({NOW:.0f} - 120, 1.25), ({NOW:.0f} - 60, 2.5),
    ({NOW:.0f}, 3.75);
"""


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    """One server for the module, with the test role, database and tables."""
    if not postgres_available():
        pytest.skip("PostgreSQL 15 from Debian is not installed (make test does it)")
    with running_postgres() as server:
        server.run_sql(SETUP_ROLE)
        server.run_sql(SETUP_TABLES, database="metrics")
        yield server


@pytest.fixture
def dsn(postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The environment variable that holds the test role's DSN."""
    monkeypatch.setenv("WATCHDECK_TEST_PG", postgres.dsn(ROLE, CANARY, "metrics"))
    return "WATCHDECK_TEST_PG"


def make_source(**options: object) -> SqlSource:
    source = KIND.create("db", SqlOptions.model_validate(options), ManualClock(NOW))
    assert isinstance(source, SqlSource)
    return source


def request(
    params: Mapping[str, object], key: str = "q", start: float = NOW - 3600
) -> FetchRequest:
    dumped = SqlParams.model_validate(params).model_dump(mode="json")
    return FetchRequest(key, dumped, start, NOW, 60.0)


async def fetch_one(
    source: SqlSource, params: Mapping[str, object], start: float = NOW - 3600
) -> FetchBatch:
    return await source.fetch([request(params, start=start)])


async def failure_of(source: SqlSource, params: Mapping[str, object]) -> str:
    batch = await fetch_one(source, params)
    assert not batch.results, batch.results
    return batch.failures["q"].reason


async def test_series_per_host_within_the_window(dsn: str) -> None:
    source = make_source(dsn_env=dsn)
    batch = await fetch_one(
        source,
        {
            "sql": "SELECT ts AS time, host, value FROM samples "
            "WHERE ts >= :start AND ts <= :end ORDER BY ts",
            "reading": "series",
            "name_column": "host",
        },
        start=NOW - 180,
    )
    await source.close()
    assert not batch.failures, batch.failures
    result = batch.results["q"]
    assert isinstance(result, SeriesResult)
    assert dict(result.series) == {
        "web-1": [(NOW - 180, 3.0), (NOW - 60, 1.0)],
        "web-0": [(NOW - 120, 2.0), (NOW, 0.0)],
    }


async def test_window_bounds_take_the_type_they_are_compared_with(dsn: str) -> None:
    source = make_source(dsn_env=dsn)
    as_numbers = await fetch_one(
        source,
        {
            "sql": "SELECT at, reading FROM epochs WHERE at > :start AND at <= :end",
            "reading": "series",
            "time_column": "at",
            "value_column": "reading",
        },
        start=NOW - 120,
    )
    as_seconds = await fetch_one(
        source,
        {
            "sql": "SELECT ts AS time, value FROM samples "
            "WHERE ts >= to_timestamp(:start) AND host = 'web-0'",
            "reading": "series",
        },
        start=NOW - 120,
    )
    as_text = await fetch_one(source, {"sql": "SELECT :end AS said"})
    await source.close()
    numbers = as_numbers.results["q"]
    assert isinstance(numbers, SeriesResult)
    assert dict(numbers.series) == {"reading": [(NOW - 60, 2.5), (NOW, 3.75)]}
    seconds = as_seconds.results["q"]
    assert isinstance(seconds, SeriesResult)
    assert dict(seconds.series) == {"value": [(NOW - 120, 2.0), (NOW, 0.0)]}
    text = as_text.results["q"]
    assert isinstance(text, TableResult)
    assert [list(row) for row in text.rows] == [["2023-11-14T22:13:20+00:00"]]


async def test_a_table_of_every_column(dsn: str) -> None:
    source = make_source(dsn_env=dsn)
    batch = await fetch_one(
        source,
        {
            "sql": "SELECT ts, host, value, value > 5 AS high FROM samples "
            "WHERE ts > :end - interval '130 seconds' ORDER BY ts DESC, host"
        },
    )
    await source.close()
    table = batch.results["q"]
    assert isinstance(table, TableResult)
    assert list(table.columns) == ["ts", "host", "value", "high"]
    assert [list(row) for row in table.rows] == [
        ["2023-11-14 22:13:20+00:00", "web-0", 0.0, "false"],
        ["2023-11-14 22:13:20+00:00", "web-9", None, None],
        ["2023-11-14 22:12:20+00:00", "web-1", 1.0, "false"],
        ["2023-11-14 22:11:20+00:00", "web-0", 2.0, "false"],
    ]


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        (
            "INSERT INTO samples VALUES (now(), 'x', 1)",
            "cannot execute INSERT in a read-only transaction",
        ),
        (
            "CREATE TABLE other (a int)",
            "cannot execute CREATE TABLE in a read-only transaction",
        ),
        (
            "WITH gone AS (DELETE FROM samples RETURNING 1) SELECT count(*) FROM gone",
            "cannot execute SELECT in a read-only transaction",
        ),
        (
            "SELECT 1; DELETE FROM samples",
            "cannot insert multiple commands into a prepared statement",
        ),
    ],
)
async def test_writes_are_refused(dsn: str, sql: str, reason: str) -> None:
    source = make_source(dsn_env=dsn)
    assert await failure_of(source, {"sql": sql}) == reason
    count = await fetch_one(source, {"sql": "SELECT count(*) AS n FROM samples"})
    await source.close()
    table = count.results["q"]
    assert isinstance(table, TableResult)
    assert [list(row) for row in table.rows] == [[11]]


async def test_a_slow_query_is_stopped_by_the_statement_timeout(dsn: str) -> None:
    source = make_source(dsn_env=dsn, statement_timeout="1s")
    began = time.monotonic()
    reason = await failure_of(source, {"sql": "SELECT pg_sleep(10)"})
    took = time.monotonic() - began
    assert reason == "statement timed out after 1s"
    assert took < 3.0
    # The one pooled connection is reset and serves the next query.
    after = await fetch_one(source, {"sql": "SELECT 1 AS one"})
    await source.close()
    assert not after.failures


async def test_a_query_given_up_on_frees_its_connection(dsn: str) -> None:
    source = make_source(dsn_env=dsn, statement_timeout="30s")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(fetch_one(source, {"sql": "SELECT pg_sleep(10)"}), 0.3)
    began = time.monotonic()
    after = await fetch_one(source, {"sql": "SELECT 1 AS one"})
    assert time.monotonic() - began < 2.0
    await source.close()
    assert not after.failures, after.failures


async def test_bad_sql_gives_the_server_message(dsn: str) -> None:
    source = make_source(dsn_env=dsn)
    assert await failure_of(source, {"sql": "SELEC 1"}) == (
        'syntax error at or near "SELEC"'
    )
    assert await failure_of(source, {"sql": "SELECT * FROM nope"}) == (
        'relation "nope" does not exist'
    )
    await source.close()


async def test_wrong_password_is_short_and_secret(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "WATCHDECK_TEST_PG", postgres.dsn(ROLE, CANARY + "-no", "metrics")
    )
    source = make_source(dsn_env="WATCHDECK_TEST_PG")
    with pytest.raises(SourceError) as caught:
        await fetch_one(source, {"sql": "SELECT 1"})
    await source.close()
    assert caught.value.reason == f'password authentication failed for user "{ROLE}"'


async def test_connection_refused_on_a_closed_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = free_port()
    monkeypatch.setenv("WATCHDECK_TEST_PG", f"postgresql://{ROLE}:x@127.0.0.1:{port}/m")
    source = make_source(dsn_env="WATCHDECK_TEST_PG")
    with pytest.raises(SourceError) as caught:
        await fetch_one(source, {"sql": "SELECT 1"})
    await source.close()
    assert caught.value.reason == f"connection refused (127.0.0.1:{port})"


async def test_dsn_from_a_file(postgres: PostgresServer, tmp_path: Path) -> None:
    path = tmp_path / "metrics.dsn"
    path.write_text(postgres.dsn(ROLE, CANARY, "metrics") + "\n")
    path.chmod(0o600)
    source = make_source(dsn_file=str(path))
    batch = await fetch_one(source, {"sql": "SELECT current_user AS who"})
    await source.close()
    table = batch.results["q"]
    assert isinstance(table, TableResult)
    assert [list(row) for row in table.rows] == [[ROLE]]


async def test_an_unset_variable_fails_before_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WATCHDECK_TEST_PG", raising=False)
    source = make_source(dsn_env="WATCHDECK_TEST_PG")
    with pytest.raises(SourceError, match="WATCHDECK_TEST_PG is not set"):
        await fetch_one(source, {"sql": "SELECT 1"})
    await source.close()


async def test_max_rows_fails_a_query_that_returns_more(dsn: str) -> None:
    source = make_source(dsn_env=dsn, max_rows=11)
    fits = await fetch_one(source, {"sql": "SELECT * FROM samples"})
    too_many = await failure_of(source, {"sql": "SELECT * FROM samples, samples AS b"})
    await source.close()
    assert not fits.failures
    assert too_many == "more than 11 rows (max_rows); narrow the query or add a LIMIT"


async def test_two_connections_answer_a_poll_side_by_side(dsn: str) -> None:
    source = make_source(dsn_env=dsn, pool_size=2, statement_timeout="5s")
    sleepy = {"sql": "SELECT 1 AS one FROM pg_sleep(0.5)"}
    requests = [request(sleepy, key=str(index)) for index in range(2)]
    requests.append(request({"sql": "SELEC"}, key="bad"))
    began = time.monotonic()
    batch = await source.fetch(requests)
    took = time.monotonic() - began
    await source.close()
    assert set(batch.results) == {"0", "1"}
    assert set(batch.failures) == {"bad"}
    # One after the other they would take a second at least.
    assert took < 0.9


async def test_the_password_never_shows(
    postgres: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    good = postgres.dsn(ROLE, CANARY, "metrics")
    encoded = quote(CANARY, safe="")
    cases = {
        "GOOD": good,
        "WRONG_DB": postgres.dsn(ROLE, CANARY, "absent"),
        "WRONG_USER": postgres.dsn("nobody_here", CANARY, "metrics"),
        "REFUSED": f"postgresql://{ROLE}:{encoded}@127.0.0.1:{free_port()}/m",
        "UNENCODED": f"postgresql://{ROLE}:{CANARY}@127.0.0.1:{postgres.port}/metrics",
        "BAD_OPTION": good + "?sslmode=sometimes",
        "NOT_POSTGRES": f"mysql://{ROLE}:{CANARY}@127.0.0.1/metrics",
    }
    queries = [
        {"sql": "SELECT 1 AS one"},
        {"sql": "SELEC 1"},
        {"sql": "INSERT INTO samples VALUES (now(), 'x', 1)"},
        {"sql": "SELECT pg_sleep(2)"},
    ]
    for variable, value in cases.items():
        monkeypatch.setenv(variable, value)
        options = SqlOptions(dsn_env=variable, statement_timeout=0.2)
        seen += [repr(options), str(options)]
        source = make_source(dsn_env=variable, statement_timeout=0.2)
        try:
            batch = await source.fetch(
                [request(query, key=str(index)) for index, query in enumerate(queries)]
            )
            seen += [failure.reason for failure in batch.failures.values()]
        except SourceError as error:
            seen.append(error.reason)
        await source.close()
    path = tmp_path / "dsn"
    path.write_text(good)
    options = SqlOptions(dsn_file=path)
    seen += [repr(options), str(options), caplog.text]
    assert any("password authentication failed" in text for text in seen)
    assert any("statement timed out" in text for text in seen)
    for text in seen:
        for form in CANARY_FORMS:
            assert form not in text, text


async def test_a_server_that_never_answers_times_out_with_a_short_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with silent_server() as url:
        port = url.rsplit(":", 1)[1]
        monkeypatch.setenv(
            "WATCHDECK_TEST_PG", f"postgresql://{ROLE}:x@127.0.0.1:{port}/m"
        )
        source = make_source(dsn_env="WATCHDECK_TEST_PG", statement_timeout="1s")
        started = time.monotonic()
        try:
            reason = await asyncio.wait_for(
                _any_reason(source, {"sql": "SELECT 1"}), timeout=20
            )
        finally:
            await source.close()
    assert time.monotonic() - started < 15
    assert "\n" not in reason and len(reason) <= 160
    assert "timed out" in reason or "timeout" in reason, reason


async def test_an_unknown_host_gives_a_short_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Name resolution is replaced by one that fails: a stand-in for a real DNS
    failure, since no test may send traffic beyond loopback, a DNS query included."""
    real = socket.getaddrinfo

    def failing(host: object, *args: object, **kwargs: object) -> object:
        if host == "db.unknown.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", failing)
    monkeypatch.setenv(
        "WATCHDECK_TEST_PG", f"postgresql://{ROLE}:x@db.unknown.invalid:5432/m"
    )
    source = make_source(dsn_env="WATCHDECK_TEST_PG")
    try:
        reason = await _any_reason(source, {"sql": "SELECT 1"})
    finally:
        await source.close()
    assert "\n" not in reason and len(reason) <= 160
    assert "db.unknown.invalid" in reason or "resolve" in reason, reason


async def _any_reason(source: SqlSource, params: Mapping[str, object]) -> str:
    """The reason a fetch failed, whether for the whole call or for the query."""
    try:
        batch = await fetch_one(source, params)
    except SourceError as error:
        return error.reason
    assert not batch.results
    return batch.failures["q"].reason

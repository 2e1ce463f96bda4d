"""The SQL source against SQLite files, and the parts that need no server: options,
parameters, placeholders, secret references and the redaction of reasons.

PostgreSQL itself is exercised in test_sql_postgres.py, against a real server.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from console.clock import ManualClock
from console.results import FetchBatch, FetchRequest, SeriesResult, TableResult
from console.sources.base import SourceError
from console.sources.sql import KIND, SqlSource
from console.sources.sql_options import SqlOptions
from console.sources.sql_params import SqlParams
from console.sources.sql_placeholders import numbered
from console.sources.sql_reasons import dsn_secrets, one_line, redact, safe_reason
from console.sources.sql_sqlite import READ_ONLY_REASON

NOW = 1_700_000_000.0

ROWS = [
    # (unix seconds, ISO text time, host, value)
    (NOW - 300, "2023-11-14 22:08:20", "web-1", 10.0),
    (NOW - 200, "2023-11-14 22:10:00", "web-2", 20.0),
    (NOW - 100, "2023-11-14 22:11:40", "web-1", 30.0),
    (NOW - 50, "2023-11-14 22:12:30", "web-2", None),
    (NOW, "2023-11-14 22:13:20", "web-1", 50.0),
]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A SQLite file (in a directory whose name needs quoting in a URI) with five
    samples of two hosts, one of them NULL."""
    folder = tmp_path / "data dir?#%"
    folder.mkdir()
    path = folder / "metrics.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE samples (ts REAL, stamp TEXT, host TEXT, value REAL)"
        )
        connection.executemany("INSERT INTO samples VALUES (?, ?, ?, ?)", ROWS)
    connection.close()
    return path


def sqlite_source(path: Path, **options: object) -> SqlSource:
    source = KIND.create(
        "db",
        SqlOptions.model_validate({"sqlite_path": path, **options}),
        ManualClock(NOW),
    )
    assert isinstance(source, SqlSource)
    return source


def planned(params: Mapping[str, object]) -> dict[str, object]:
    """Parameters as the session hands them over: validated, dumped, defaults in."""
    return SqlParams.model_validate(params).model_dump(mode="json")


async def fetch_one(
    source: SqlSource, params: Mapping[str, object], start: float = 0.0
) -> FetchBatch:
    request = FetchRequest("q", planned(params), start, NOW, 1.0)
    return await source.fetch([request])


async def failure_of(source: SqlSource, params: Mapping[str, object]) -> str:
    batch = await fetch_one(source, params)
    assert not batch.results, batch.results
    return batch.failures["q"].reason


async def series_of(
    source: SqlSource, params: Mapping[str, object], start: float = 0.0
) -> SeriesResult:
    batch = await fetch_one(source, params, start)
    assert not batch.failures, batch.failures
    result = batch.results["q"]
    assert isinstance(result, SeriesResult)
    return result


async def table_of(source: SqlSource, params: Mapping[str, object]) -> TableResult:
    batch = await fetch_one(source, params)
    assert not batch.failures, batch.failures
    result = batch.results["q"]
    assert isinstance(result, TableResult)
    return result


# Options


def test_options_need_exactly_one_database() -> None:
    with pytest.raises(ValidationError, match="exactly one of dsn_env"):
        SqlOptions()
    with pytest.raises(ValidationError, match="got dsn_env and sqlite_path"):
        SqlOptions(dsn_env="DB", sqlite_path=Path("x.db"))
    assert SqlOptions(dsn_env="DB").engine == "postgresql"
    assert SqlOptions(sqlite_path=Path("x.db")).engine == "sqlite"


def test_options_defaults_and_durations() -> None:
    options = SqlOptions(dsn_file=Path("~/db.dsn"))
    assert (options.statement_timeout, options.max_rows, options.pool_size) == (
        5.0,
        10_000,
        1,
    )
    assert SqlOptions.model_validate(
        {"dsn_env": "DB", "statement_timeout": "500ms"}
    ).statement_timeout == pytest.approx(0.5)
    with pytest.raises(ValidationError):
        SqlOptions.model_validate({"dsn_env": "DB", "pool_size": 3})
    with pytest.raises(ValidationError):
        SqlOptions.model_validate({"dsn_env": "not a name"})


@pytest.mark.parametrize("key", ["dsn", "password", "url", "connection_string"])
def test_a_literal_connection_string_or_password_is_refused(key: str) -> None:
    canary = "postgresql://u:Canary-opt-77@db/x"
    with pytest.raises(ValidationError) as caught:
        SqlOptions.model_validate({key: canary, "dsn_env": "DB"})
    message = caught.value.errors()[0]["msg"]
    assert f"`{key}:` is refused" in message
    assert "dsn_env" in message
    assert "dsn_file" in message
    assert "Canary-opt-77" not in str(caught.value)
    assert "Canary-opt-77" not in repr(caught.value)


@pytest.mark.parametrize("model", [SqlOptions, SqlParams])
def test_every_field_says_what_it_does_and_its_default(model: type[BaseModel]) -> None:
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no docstring"
        words = " ".join(field.description.split())
        assert "Left out" in words or "Required" in words, name


# Parameters


def test_series_columns_belong_to_series_and_columns_to_tables() -> None:
    with pytest.raises(ValidationError, match="applies only to `reading: series`"):
        SqlParams(sql="SELECT 1", time_column="ts")
    with pytest.raises(ValidationError, match="applies only to `reading: table`"):
        SqlParams(sql="SELECT 1", reading="series", columns=["a"])
    with pytest.raises(ValidationError, match="must hold a query"):
        SqlParams(sql="   ")
    params = SqlParams(sql="SELECT 1", reading="series")
    assert (params.time_key, params.value_key) == ("time", "value")


# Placeholders


def test_placeholders_become_numbered_in_order_of_first_use() -> None:
    text, names = numbered(
        "SELECT * FROM t WHERE a >= :start AND a < :end OR b = :start"
    )
    assert text == "SELECT * FROM t WHERE a >= $1 AND a < $2 OR b = $1"
    assert names == ("start", "end")
    assert numbered("SELECT :end") == ("SELECT $1", ("end",))
    assert numbered("SELECT 1") == ("SELECT 1", ())


def test_placeholders_in_strings_comments_and_casts_stay() -> None:
    sql = (
        "SELECT ':start', E'\\':end', \"a:end\", $$ :start $$, $q$:end$q$, "
        "x::date, :startle -- :end\n/* :start */ FROM t WHERE t > :end"
    )
    text, names = numbered(sql)
    assert names == ("end",)
    assert text == sql.replace("t > :end", "t > $1")


# Reasons


def test_reasons_are_one_short_line() -> None:
    assert one_line("\n  first   line \nsecond") == "first line"
    cut = one_line("x" * 500)
    assert len(cut) == 160
    assert cut.endswith("…")
    assert safe_reason("") == "the database gave no reason"


def test_redaction_hides_passwords_in_every_usual_spelling() -> None:
    dsn = "postgresql://reader:s%40cret%2Fpw@db:5432/x?sslpassword=k3y"
    secrets = dsn_secrets(dsn)
    assert {"s%40cret%2Fpw", "s@cret/pw", "k3y", dsn} <= set(secrets)
    message = f"cannot use {dsn}; password s@cret/pw refused; key k3y"
    hidden = redact(message, secrets)
    for secret in ("s%40cret", "s@cret", "k3y"):
        assert secret not in hidden
    assert redact("postgres://u:pw@h/d failed") == "postgres://u:***@h/d failed"
    assert redact("password=hunter2 host=h") == "password=*** host=h"


# Where the connection string comes from


async def test_an_unreadable_connection_string_fails_the_whole_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WATCHDECK_TEST_DSN", raising=False)
    source = KIND.create(
        "db", SqlOptions(dsn_env="WATCHDECK_TEST_DSN"), ManualClock(NOW)
    )
    with pytest.raises(SourceError, match="WATCHDECK_TEST_DSN is not set"):
        await source.fetch([FetchRequest("q", planned({"sql": "SELECT 1"}), 0, NOW, 1)])
    path = tmp_path / "dsn"
    path.write_text("postgresql://u:Canary-file-1@h/d\npostgresql://second\n")
    source = KIND.create("db", SqlOptions(dsn_file=path), ManualClock(NOW))
    with pytest.raises(SourceError, match="holds more than one line") as caught:
        await source.fetch([FetchRequest("q", planned({"sql": "SELECT 1"}), 0, NOW, 1)])
    assert "Canary" not in caught.value.reason
    path.write_text("mysql://u:Canary-file-2@h/d\n")
    with pytest.raises(SourceError, match="is not a postgresql:// URL") as caught:
        await source.fetch([FetchRequest("q", planned({"sql": "SELECT 1"}), 0, NOW, 1)])
    assert "Canary" not in caught.value.reason
    await source.close()


# SQLite


async def test_series_per_name_sorted_with_nulls_skipped(database: Path) -> None:
    source = sqlite_source(database)
    result = await series_of(
        source,
        {
            "sql": "SELECT ts AS time, host, value FROM samples ORDER BY ts DESC",
            "reading": "series",
            "name_column": "host",
        },
    )
    assert result.replace is False
    assert dict(result.series) == {
        "web-1": [(NOW - 300, 10.0), (NOW - 100, 30.0), (NOW, 50.0)],
        "web-2": [(NOW - 200, 20.0)],
    }
    await source.close()


async def test_start_and_end_bind_the_window_as_unix_seconds(database: Path) -> None:
    source = sqlite_source(database)
    params = {
        "sql": "SELECT ts, value AS v FROM samples "
        "WHERE ts >= :start AND ts <= :end AND value IS NOT NULL",
        "reading": "series",
        "time_column": "ts",
        "value_column": "v",
    }
    result = await series_of(source, params, start=NOW - 150)
    assert dict(result.series) == {"v": [(NOW - 100, 30.0), (NOW, 50.0)]}
    empty = await series_of(source, params, start=NOW + 1)
    assert dict(empty.series) == {"v": []}
    await source.close()


async def test_iso_text_times_and_case_folded_column_names(database: Path) -> None:
    source = sqlite_source(database)
    result = await series_of(
        source,
        {
            "sql": "SELECT stamp AS Time, value AS Value FROM samples "
            "WHERE stamp >= datetime(:start, 'unixepoch')",
            "reading": "series",
        },
        start=NOW - 100,
    )
    assert dict(result.series) == {"Value": [(NOW - 100, 30.0), (NOW, 50.0)]}
    await source.close()


async def test_a_table_of_every_column_or_of_chosen_ones(database: Path) -> None:
    source = sqlite_source(database)
    table = await table_of(source, {"sql": "SELECT * FROM samples ORDER BY ts LIMIT 2"})
    assert list(table.columns) == ["ts", "stamp", "host", "value"]
    assert [list(row) for row in table.rows] == [
        [NOW - 300, "2023-11-14 22:08:20", "web-1", 10.0],
        [NOW - 200, "2023-11-14 22:10:00", "web-2", 20.0],
    ]
    chosen = await table_of(
        source,
        {
            "sql": "SELECT * FROM samples WHERE value IS NULL",
            "columns": ["VALUE", "host"],
        },
    )
    assert list(chosen.columns) == ["value", "host"]
    assert [list(row) for row in chosen.rows] == [[None, "web-2"]]
    blob = await table_of(source, {"sql": "SELECT x'00ff' AS b, 1 = 1 AS t"})
    assert [list(row) for row in blob.rows] == [["\\x00ff", 1]]
    await source.close()


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO samples VALUES (1, 'x', 'x', 1)",
        "CREATE TABLE other (a)",
        "DELETE FROM samples",
        "PRAGMA query_only = OFF",
        "ATTACH DATABASE 'elsewhere.db' AS elsewhere",
    ],
)
async def test_writes_and_escapes_are_refused(database: Path, sql: str) -> None:
    before = database.read_bytes()
    source = sqlite_source(database)
    assert await failure_of(source, {"sql": sql}) == READ_ONLY_REASON
    table = await table_of(source, {"sql": "SELECT count(*) AS n FROM samples"})
    assert [list(row) for row in table.rows] == [[len(ROWS)]]
    await source.close()
    assert database.read_bytes() == before
    assert sorted(os.listdir(database.parent)) == ["metrics.db"]


async def test_a_slow_query_is_stopped_by_the_statement_timeout(database: Path) -> None:
    source = sqlite_source(database, statement_timeout="200ms")
    endless = (
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
        "SELECT count(*) FROM r"
    )
    assert (
        await failure_of(source, {"sql": endless}) == "statement timed out after 0.2s"
    )
    # The connection is fine afterwards, and the next query has its own deadline.
    table = await table_of(source, {"sql": "SELECT 1 AS one"})
    assert [list(row) for row in table.rows] == [[1]]
    await source.close()


async def test_a_query_given_up_on_stops_at_once(database: Path) -> None:
    source = sqlite_source(database, statement_timeout="30s")
    endless = (
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
        "SELECT count(*) FROM r"
    )
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(fetch_one(source, {"sql": endless}), 0.2)
    began = time.monotonic()
    table = await table_of(source, {"sql": "SELECT 1 AS one"})
    assert time.monotonic() - began < 1.0
    assert [list(row) for row in table.rows] == [[1]]
    await source.close()


async def test_bad_queries_say_why_in_one_line(database: Path) -> None:
    source = sqlite_source(database)
    assert await failure_of(source, {"sql": "SELEC 1"}) == 'near "SELEC": syntax error'
    assert "no such table" in await failure_of(source, {"sql": "SELECT * FROM nope"})
    missing = await failure_of(
        source, {"sql": "SELECT ts FROM samples", "reading": "series"}
    )
    assert missing == "no column 'time' in the result (columns: ts)"
    text = await failure_of(
        source,
        {"sql": "SELECT ts AS time, host AS value FROM samples", "reading": "series"},
    )
    assert text == "column 'value' holds text, not numbers"
    await source.close()


async def test_max_rows_fails_a_query_that_returns_more(database: Path) -> None:
    source = sqlite_source(database, max_rows=len(ROWS))
    assert len((await table_of(source, {"sql": "SELECT * FROM samples"})).rows) == 5
    too_many = await failure_of(source, {"sql": "SELECT * FROM samples, samples AS b"})
    assert too_many == "more than 5 rows (max_rows); narrow the query or add a LIMIT"
    await source.close()


async def test_a_missing_file_fails_the_whole_call(tmp_path: Path) -> None:
    source = sqlite_source(tmp_path / "absent.db")
    with pytest.raises(SourceError, match=r"cannot open .*absent\.db: no such file"):
        await fetch_one(source, {"sql": "SELECT 1"})
    assert not (tmp_path / "absent.db").exists()
    await source.close()


async def test_bad_parameters_fail_alone(database: Path) -> None:
    source = sqlite_source(database)
    good = FetchRequest("good", planned({"sql": "SELECT 1 AS one"}), 0, NOW, 1)
    bad = FetchRequest("bad", {"sql": "SELECT 1", "reading": "chart"}, 0, NOW, 1)
    batch = await source.fetch([good, bad])
    assert set(batch.results) == {"good"}
    assert batch.failures["bad"].reason.startswith("reading:")
    await source.close()


async def test_closing_lets_go_and_a_later_fetch_reopens(database: Path) -> None:
    source = sqlite_source(database)
    await table_of(source, {"sql": "SELECT 1 AS one"})
    await source.close()
    await source.close()
    table = await table_of(source, {"sql": "SELECT 2 AS two"})
    assert [list(row) for row in table.rows] == [[2]]
    await source.close()


def test_the_kind_polls_no_faster_than_every_five_seconds() -> None:
    assert KIND.type_name == "sql"
    assert KIND.min_interval == 5.0
    assert KIND.options_model is SqlOptions
    assert KIND.params_model is SqlParams

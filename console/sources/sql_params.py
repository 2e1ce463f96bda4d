"""What a query may ask of the `sql` source: a read-only query, and how to read it.

    query:
      source: orders_db
      sql: |
        SELECT date_trunc('minute', created_at) AS time, region, count(*) AS value
        FROM orders WHERE created_at >= :start AND created_at < :end
        GROUP BY 1, 2 ORDER BY 1
      reading: series
      name_column: region

`:start` and `:end` are bound to the window the panel wants. For PostgreSQL they
take the type the query compares them with: a timestamp beside a timestamp column,
a number (unix seconds) beside a number, as in `to_timestamp(:start)`. SQLite has no
timestamp type, so there they are unix seconds; compare text columns with
`datetime(:start, 'unixepoch')`. A panel that keeps history asks, after its first
poll, only for the window since its newest sample.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from console.sources.base import QueryParams

DEFAULT_TIME_COLUMN = "time"
"""The column holding each row's time when a series query does not say."""

DEFAULT_VALUE_COLUMN = "value"
"""The column holding each row's value when a series query does not say."""

_SERIES_ONLY = ("time_column", "value_column", "name_column")


class SqlParams(QueryParams):
    """A query of the SQL source: one read-only statement and how to read its rows."""

    sql: str = Field(min_length=1, max_length=20_000)
    """The statement to run: one SELECT (or WITH ... SELECT), run read-only. Write
    `:start` and `:end` where the window's bounds belong. Required."""
    reading: Literal["series", "table"] = "table"
    """`series`: each row is a sample (see `time_column`, `value_column` and
    `name_column`), for charts, gauges and single values. `table`: the rows as they
    come, for table panels. Left out: table."""
    time_column: str | None = Field(default=None, min_length=1)
    """series only: the column with each row's time: a timestamp (one without a
    time zone is taken as UTC), ISO 8601 text, or unix seconds. Rows where it is
    NULL are skipped. Left out: the column named `time`."""
    value_column: str | None = Field(default=None, min_length=1)
    """series only: the column with each row's number; rows where it is NULL are
    skipped. Left out: the column named `value`."""
    name_column: str | None = Field(default=None, min_length=1)
    """series only: a column whose value names the series each row belongs to, so
    that one query draws a line per host, region or status. Left out: one series,
    named after the value column."""
    columns: list[str] | None = Field(default=None, min_length=1, max_length=50)
    """table only: the columns to show, in this order. Left out: every column the
    query returns, in its order."""

    @field_validator("sql")
    @classmethod
    def _not_blank(cls, sql: str) -> str:
        if not sql.strip():
            raise ValueError("`sql` must hold a query")
        return sql

    @model_validator(mode="after")
    def _parameters_fit_reading(self) -> SqlParams:
        # Checked by value, not by which keys were written: the session hands the
        # source a full dump of the model, defaults included.
        if self.reading == "table":
            for name in _SERIES_ONLY:
                if getattr(self, name) is not None:
                    raise ValueError(f"`{name}` applies only to `reading: series`")
        elif self.columns is not None:
            raise ValueError("`columns` applies only to `reading: table`")
        return self

    @property
    def time_key(self) -> str:
        """The column holding each row's time, for a series reading."""
        return self.time_column or DEFAULT_TIME_COLUMN

    @property
    def value_key(self) -> str:
        """The column holding each row's value, for a series reading."""
        return self.value_column or DEFAULT_VALUE_COLUMN

"""What a query may ask of the `command` source: a program to run and how to read
what it prints.

    parse    output                               answer
    number   one number, as `42.5`                one sample at the time of the poll
    json     a JSON document                      value, series or table, read as the
                                                  http source reads a response
    lines    `name value` or `value` per line     one series per line (a sample at
                                                  the time of the poll) or a table
                                                  of name and value

    query: {source: local, argv: [/usr/local/bin/queue-depth, --queue, orders]}
    query: {source: local, argv: [df, --output=target,pcent], parse: lines,
            reading: table}
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from console.profile_schema import Duration
from console.sources.json_reading import ReadingParams

ParseMode = Literal["number", "json", "lines"]

MEGABYTE = 1024 * 1024

DEFAULT_TIMEOUT = 10.0
"""Seconds a program may run before its whole process group is ended."""

DEFAULT_MAX_BYTES = MEGABYTE
"""The most output read from a program before it is ended."""

_ENV_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_JSON_ONLY = ("path_in_response", "time_field", "value_field", "name_field")


class CommandParams(ReadingParams):
    """A query of the command source: one program, run without a shell."""

    argv: list[str] = Field(min_length=1, max_length=100)
    """The program and its arguments, one list item each, as
    `[df, --output=pcent, /]`; never a shell line, so no quoting, pipes or `$`.
    The program is looked up on PATH. Required."""
    timeout: Duration = Field(default=DEFAULT_TIMEOUT, gt=0, le=300)
    """Seconds the program may run; after that it and every process it started
    are ended and the query fails. Left out: 10."""
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1, le=64 * MEGABYTE)
    """The most output read; a program printing more is ended and the query
    fails. Left out: 1 MB (1048576)."""
    parse: ParseMode = "number"
    """How to read the output: `number`, `json` or `lines` (see the module's
    table). Left out: number."""
    env: list[str] = Field(default_factory=list, max_length=30)
    """Names of environment variables passed on to the program, beyond PATH, LANG
    and HOME, which are the only ones it gets otherwise. Values are never written
    here, only names. Left out: none."""

    @field_validator("argv", mode="before")
    @classmethod
    def _argv_is_a_list(cls, argv: object) -> object:
        if isinstance(argv, str):
            if argv.split() == [argv]:
                return [argv]
            words = ", ".join(argv.split())
            raise ValueError(
                "`argv` is a list of words, not a shell line: write "
                f"[{words}] (no shell runs it, so pipes and quotes do not work)"
            )
        if isinstance(argv, list) and len(argv) == 1 and isinstance(argv[0], str):
            parts = argv[0].split()
            if len(parts) > 1:
                raise ValueError(
                    "`argv` has one item holding spaces; write one word per item: "
                    f"[{', '.join(parts)}]"
                )
        return argv

    @field_validator("env")
    @classmethod
    def _env_names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not re.fullmatch(_ENV_NAME, name):
                raise ValueError(f"{name!r} is not an environment variable name")
        return names

    @model_validator(mode="after")
    def _reading_fits_parse(self) -> CommandParams:
        if self.parse == "number":
            for name in (*_JSON_ONLY, "columns"):
                if getattr(self, name) is not None:
                    raise ValueError(f"`{name}` applies to `parse: json` or `lines`")
            if self.reading not in (None, "value"):
                raise ValueError("`parse: number` reads one value; use json or lines")
        elif self.parse == "lines":
            for name in _JSON_ONLY:
                if getattr(self, name) is not None:
                    raise ValueError(f"`{name}` applies to `parse: json` only")
            if self.reading == "value":
                raise ValueError("`parse: lines` reads a series or a table")
        return self

    @property
    def effective_reading(self) -> str:
        """The reading asked for, or the one `parse` implies when it is left out."""
        if self.reading is not None:
            return self.reading
        return "series" if self.parse == "lines" else "value"

"""`:start` and `:end` in a query, turned into PostgreSQL's numbered parameters.

Profiles write the window's bounds as `:start` and `:end` whatever the database.
SQLite understands that spelling itself; asyncpg wants `$1`, `$2`. The scan skips
string literals, quoted names, comments, dollar-quoted bodies and `::` casts, so that
`'10:end'` or `x::date` stay as written. A nested block comment (`/* a /* b */ c */`)
is taken to end at its first `*/`, as in SQLite; a placeholder written in what
follows would be numbered, and PostgreSQL would then find one parameter too many.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS = ("start", "end")
"""The names a query may bind, in the order a window gives them."""

_TOKEN = re.compile(
    r"""
    (?P<skip>
        (?<![\w$])[eE]'(?:[^'\\]|\\.|'')*'        # E'...' with backslash escapes
      | '(?:[^']|'')*'                            # '...'
      | "(?:[^"]|"")*"                            # "quoted name"
      | --[^\n]*                                  # line comment
      | /\*.*?\*/                                 # block comment
      | \$(?P<tag>(?:[A-Za-z_][A-Za-z_0-9]*)?)\$.*?\$(?P=tag)\$  # $tag$...$tag$
      | ::                                        # a cast, never a placeholder
    )
    | :(?P<name>start|end)\b
    """,
    re.VERBOSE | re.DOTALL,
)


def numbered(
    sql: str, casts: Mapping[str, str] | None = None
) -> tuple[str, tuple[str, ...]]:
    """`sql` with `:start`/`:end` as `$1`, `$2` in order of first use, and the
    placeholder names in that order; a query using only `:end` gets just `$1`.

    `casts` gives a type for some names, written after their number (`$1::date`).
    """
    order: list[str] = []
    casts = casts or {}

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name is None:
            return match.group(0)
        if name not in order:
            order.append(name)
        cast = casts.get(name)
        number = f"${order.index(name) + 1}"
        return f"{number}::{cast}" if cast else number

    return _TOKEN.sub(replace, sql), tuple(order)

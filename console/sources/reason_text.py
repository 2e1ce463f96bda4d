"""Text from outside (a response, a program's stderr) made fit for a failure reason.

A reason is drawn inside a panel on one line, so anything quoted in it is cut short
and has its control characters replaced: a stray escape sequence from a program's
stderr must not reach the terminal.
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def clipped(text: str, limit: int = 60) -> str:
    """`text` on one line, control characters as `?`, at most `limit` characters."""
    flat = _UNPRINTABLE.sub("?", _SPACES.sub(" ", text).strip())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1] + "…"


def size_label(count: int) -> str:
    """A byte count as a panel says it: `5 MB`, `64 KB`, `512 bytes`."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"

"""Times as Alertmanager writes them (RFC 3339, UTC, up to nanoseconds) and as the
console keeps them (seconds since the epoch)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_FRACTION = re.compile(r"\.(\d+)")


def epoch_seconds(text: str) -> float:
    """Seconds since the epoch of an RFC 3339 time such as
    `2024-05-01T12:00:00.123456789Z`; raises ValueError for anything else."""
    # datetime keeps microseconds; Go writes up to nanoseconds.
    trimmed = _FRACTION.sub(lambda match: "." + match[1][:6].ljust(6, "0"), text, 1)
    moment = datetime.fromisoformat(trimmed)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment.timestamp()


def rfc3339(seconds: float) -> str:
    """An RFC 3339 UTC time, to the millisecond, for `seconds` since the epoch."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

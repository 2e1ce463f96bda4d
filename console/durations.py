"""Durations written the way people write them: `30s`, `5m`, `3h`, `7d`."""

from __future__ import annotations

import math
import re

REFRESH_NAMES: dict[str, float] = {
    "real_time": 1.0,
    "fast": 30.0,
    "normal": 300.0,
    "slow": 1800.0,
}
"""Named refresh rates a profile may use instead of a duration."""

_UNITS: dict[str, float] = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")


class DurationError(ValueError):
    """A duration or refresh value that could not be understood."""


def parse_duration(text: str | int | float) -> float:
    """Seconds in `text`: a number of seconds, or digits and a unit (ms s m h d)."""
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise DurationError(f"expected a duration such as 30s or 5m, not {text!r}")
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        match = _DURATION.match(text)
        if match is None:
            raise DurationError(
                f"{text!r} is not a duration; write a number and a unit "
                "(ms, s, m, h, d), for example 30s, 5m, 3h or 7d"
            )
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if not math.isfinite(seconds):
        # NaN passes every comparison and infinity no timer can wait for; either
        # would leave a panel that never refreshes or a poller that spins.
        raise DurationError(f"a duration must be a finite number, not {text!r}")
    if seconds <= 0:
        raise DurationError(f"a duration must be longer than zero, not {text!r}")
    return seconds


def parse_refresh(text: str | int | float) -> float:
    """Seconds between refreshes: a refresh name or any duration."""
    if isinstance(text, str) and text.strip() in REFRESH_NAMES:
        return REFRESH_NAMES[text.strip()]
    try:
        return parse_duration(text)
    except DurationError:
        names = ", ".join(REFRESH_NAMES)
        raise DurationError(
            f"{text!r} is not a refresh rate; use one of {names} or a duration "
            "such as 10s"
        ) from None


def format_duration(seconds: float) -> str:
    """A short human form: `45s`, `12m`, `3h`, `2d`; the largest whole unit wins."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{int(seconds)}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        hours, rest = divmod(int(seconds), 3600)
        minutes = rest // 60
        return f"{hours}h" if minutes == 0 or hours >= 10 else f"{hours}h{minutes}m"
    return f"{int(seconds // 86400)}d"

"""The scripted incident of the synthetic source: how bad things are, second by second.

The demo has to show a real alert within its first minute, so the script is tuned to
the thresholds a demo profile would use for a web service:

    p99 latency   normal ~180 ms, warning 400, critical 800, peak ~1100 ms
    error rate    normal ~0.3 %,  warning 2,   critical 5,   peak ~7.5 %
    requests/s    drop to ~85 % of normal at the peak

With the defaults (the incident starts 20 s after the source was created and lasts
240 s), both latency and errors cross warning about 28 s after the source started and
critical about 46 s after, stay critical until about 223 s, and are back to normal at
260 s. The script only says how intense the incident is, from 0 (calm) to 1 (worst);
each shape turns that into its own effect.
"""

from __future__ import annotations

import math

DEFAULT_INCIDENT_START = 20.0
"""Seconds after the source was created when the incident begins."""

DEFAULT_INCIDENT_LENGTH = 240.0
"""Seconds from the start of the incident until everything is normal again."""

RAMP_SECONDS = 50.0
"""How long the incident takes to reach its worst; shorter for short incidents."""

RAMP_EASE = 1.5
"""Exponent of the ramp: above 1, the onset is abrupt and the arrival at the worst
is gentle, as a service that tips over and then saturates."""

RECOVERY_SECONDS = 60.0
"""How long the recovery takes, from worst to calm; shorter for short incidents."""

_LONGEST_SHARE = 0.4
"""Neither the ramp nor the recovery may take more than this share of the length."""


def incident_intensity(
    seconds_since_start: float, start: float, length: float
) -> float:
    """How intense the incident is at `seconds_since_start`, from 0 to 1.

    `start` is when the incident begins and `length` how long it lasts, both in seconds
    and counted from the moment the source was created. Before `start` (including any
    time before the source existed, which backfill asks about) and from `start +
    length` on, the answer is 0.
    """
    elapsed = seconds_since_start - start
    if length <= 0 or elapsed <= 0 or elapsed >= length:
        return 0.0
    ramp = min(RAMP_SECONDS, length * _LONGEST_SHARE)
    recovery = min(RECOVERY_SECONDS, length * _LONGEST_SHARE)
    if elapsed < ramp:
        return 1.0 - float((1.0 - elapsed / ramp) ** RAMP_EASE)
    remaining = length - elapsed
    if remaining < recovery:
        # A half cosine leaves the plateau and lands on calm without a kink at
        # either end, so the recovery reads as smooth on a chart.
        return 0.5 - 0.5 * math.cos(math.pi * remaining / recovery)
    return 1.0

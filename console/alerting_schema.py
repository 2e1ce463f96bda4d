"""The profile's say on alerting: escalation, the incident dashboard, health scores.

These models are part of the profile schema (`console.profile_schema` imports them);
they live here so that the alerting fields sit together with their docstrings.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from console.durations import parse_duration

_Duration = Annotated[float, BeforeValidator(parse_duration)]
_Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]

EscalationAction = Literal["bell_invert", "banner"]
"""What an escalation step does: `bell_invert` turns the alert's tile to reverse
video and rings the terminal bell once; `banner` pins a banner naming the alert to
the top of every screen."""


class _Schema(BaseModel):
    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True
    )


class EscalationStep(_Schema):
    """One step of the escalation policy."""

    after: _Duration
    """How long a critical alert must have fired, unacknowledged, before this step
    is taken, for example `5m`."""
    action: EscalationAction
    """`bell_invert` (tile in reverse video, bell rung once) or `banner` (a banner on
    every screen until the alert is acknowledged or resolves)."""


class IncidentPolicy(_Schema):
    """What the console does when a critical alert fires."""

    dashboard: _Identifier | None = None
    """The incident dashboard of the profile. Left out: none."""
    switch: bool = False
    """Open `dashboard` by itself when a critical alert starts firing (once per
    alert). Default: false, the header alone says so."""

"""What the console needs from a source whose alerts can be acknowledged by a
silence (Alertmanager): the alert's labels, a count of what a silence would hold,
and making and ending silences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable


@runtime_checkable
class Silencer(Protocol):
    """A source that acknowledges alerts by silencing them."""

    def alert_labels(self, fingerprint: str) -> Mapping[str, str] | None:
        """The labels of the alert with `fingerprint`, if a fetch listed it."""
        ...

    async def matching_alerts(self, matchers: Mapping[str, str]) -> int:
        """How many alerts a silence on `matchers` would hold."""
        ...

    async def silence(
        self,
        labels: Mapping[str, str],
        *,
        duration_s: float,
        comment: str,
        created_by: str | None = None,
    ) -> str:
        """Silence alerts with exactly these labels; returns the silence id."""
        ...

    async def expire(self, silence_id: str) -> None:
        """End a silence now."""
        ...

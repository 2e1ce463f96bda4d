"""Silences as Alertmanager's `/api/v2/silences` keeps them: who silenced what, and
until when; and the body that creates one matching exactly one alert's labels."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from console.results import TableResult
from console.sources.rfc3339_times import epoch_seconds, rfc3339

MAX_SILENCE = 30 * 86_400.0
"""The longest silence the console creates: a month. Longer is a config change."""


_OPERATORS = {
    (False, True): "=",
    (True, True): "=~",
    (False, False): "!=",
    (True, False): "!~",
}
"""A matcher's operator by (is_regex, is_equal)."""


class SilenceAnswerError(Exception):
    """An answer that is JSON but not silences as Alertmanager sends them."""


@dataclass(frozen=True, slots=True)
class Matcher:
    """One condition of a silence on one label."""

    name: str
    value: str
    is_regex: bool = False
    is_equal: bool = True

    def __str__(self) -> str:
        """The matcher as Alertmanager writes it: `name="value"`, `name=~"re"`..."""
        operator = _OPERATORS[self.is_regex, self.is_equal]
        escaped = (
            self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        )
        return f'{self.name}{operator}"{escaped}"'


@dataclass(frozen=True, slots=True)
class Silence:
    """A silence: what it matches, who made it and why, and when it ends."""

    id: str
    state: str
    """Alertmanager's state: active, pending (starts later) or expired."""
    matchers: tuple[Matcher, ...]
    created_by: str
    comment: str
    starts_at: float
    """Seconds since the epoch."""
    ends_at: float
    """Seconds since the epoch; for an expired silence, when it was expired."""
    updated_at: float | None

    @property
    def matchers_text(self) -> str:
        """The matchers as Alertmanager writes them, comma-separated."""
        return ", ".join(str(matcher) for matcher in self.matchers)


def silence_body(
    labels: Mapping[str, str],
    *,
    now: float,
    duration_s: float,
    comment: str,
    created_by: str,
) -> dict[str, object]:
    """The JSON that creates a silence of every label of one alert, from `now`.

    Raises ValueError for no labels, a duration that is not positive and at most
    `MAX_SILENCE`, or an empty comment or author.
    """
    if not labels:
        raise ValueError("a silence needs at least one label to match")
    if not (math.isfinite(duration_s) and 0 < duration_s <= MAX_SILENCE):
        raise ValueError(
            f"a silence lasts more than 0 s and at most {MAX_SILENCE:g} s, "
            f"not {duration_s:g}"
        )
    if not comment.strip():
        raise ValueError("a silence needs a comment saying why")
    if not created_by.strip():
        raise ValueError("a silence needs to say who created it")
    return {
        "matchers": [
            {"name": name, "value": value, "isRegex": False, "isEqual": True}
            for name, value in sorted(labels.items())
        ],
        "startsAt": rfc3339(now),
        "endsAt": rfc3339(now + duration_s),
        "createdBy": created_by,
        "comment": comment,
    }


def parse_silences(body: object) -> list[Silence]:
    """The silences of an `/api/v2/silences` answer."""
    if not isinstance(body, list):
        raise SilenceAnswerError("not a list of silences")
    return [_silence(item) for item in body]


def _silence(item: object) -> Silence:
    if not isinstance(item, dict):
        raise SilenceAnswerError("a silence that is not an object")
    status = item.get("status")
    matchers = item.get("matchers")
    if not isinstance(status, dict) or not isinstance(matchers, list):
        raise SilenceAnswerError("a silence without a status or matchers")
    try:
        starts_at = epoch_seconds(str(item.get("startsAt")))
        ends_at = epoch_seconds(str(item.get("endsAt")))
        updated = item.get("updatedAt")
        updated_at = epoch_seconds(updated) if isinstance(updated, str) else None
    except ValueError:
        raise SilenceAnswerError("a silence with an unreadable time") from None
    return Silence(
        id=str(item.get("id", "")),
        state=str(status.get("state", "")),
        matchers=tuple(_matcher(matcher) for matcher in matchers),
        created_by=str(item.get("createdBy", "")),
        comment=str(item.get("comment", "")),
        starts_at=starts_at,
        ends_at=ends_at,
        updated_at=updated_at,
    )


def _matcher(item: object) -> Matcher:
    if not isinstance(item, dict):
        raise SilenceAnswerError("a matcher that is not an object")
    return Matcher(
        name=str(item.get("name", "")),
        value=str(item.get("value", "")),
        is_regex=bool(item.get("isRegex", False)),
        # Alertmanager before 0.22 leaves isEqual out; it meant equality then.
        is_equal=bool(item.get("isEqual", True)),
    )


SILENCE_COLUMNS = ("state", "created by", "comment", "matches", "ends", "id")
"""The columns of a silences table, in order."""


def silence_table(silences: Sequence[Silence]) -> TableResult:
    """Who silenced what and until when, one row per silence, in the given order."""
    rows = [
        (
            silence.state,
            silence.created_by,
            silence.comment,
            silence.matchers_text,
            time.strftime("%Y-%m-%d %H:%M", time.localtime(silence.ends_at)),
            silence.id,
        )
        for silence in silences
    ]
    return TableResult(SILENCE_COLUMNS, rows)

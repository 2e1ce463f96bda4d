"""What happened, in order: alert changes, acknowledgements and notes, from the
state store; as rows for the timeline screen, Markdown or JSON for a postmortem."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Literal

from console.storage.interface import StateStore

EntryKind = Literal["alert", "ack", "unack", "note"]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of the timeline."""

    at: float
    kind: EntryKind
    """alert (a change of state), ack, unack or note."""
    what: str
    """The alert's title and its new state, or the note's text."""
    who: str = ""
    """Who acknowledged or wrote it; empty for alert changes."""
    detail: str = ""
    """The value or summary, the acknowledgement's note and end."""


def timeline_entries(
    store: StateStore,
    *,
    since: float,
    until: float | None = None,
    profile: str | None = None,
) -> list[TimelineEntry]:
    """Every entry between `since` and `until` (now when None), oldest first."""
    entries: list[TimelineEntry] = []
    titles: dict[str, str] = {}
    for change in store.alert_changes(since=since, until=until, profile=profile):
        titles[change.alert_key] = change.title
        entries.append(
            TimelineEntry(
                change.at,
                "alert",
                f"{change.title} {change.state} ({change.severity})",
                detail=change.detail,
            )
        )
    for ack in store.acknowledgements(since=since):
        title = titles.get(ack.alert_key, ack.alert_key)
        if ack.at >= since and (until is None or ack.at <= until):
            until_text = time.strftime("%H:%M", time.localtime(ack.until))
            entries.append(
                TimelineEntry(
                    ack.at,
                    "ack",
                    f"{title} acknowledged",
                    ack.user,
                    f"{ack.note} (until {until_text})",
                )
            )
        cleared = ack.cleared_at
        if cleared is not None and since <= cleared <= (until or cleared):
            entries.append(
                TimelineEntry(
                    cleared, "unack", f"{title} un-acknowledged", ack.cleared_by or ""
                )
            )
    for note in store.annotations(since=since, until=until, profile=profile):
        where = f"on {note.dashboard}" if note.dashboard else ""
        entries.append(TimelineEntry(note.at, "note", note.text, note.user, where))
    return sorted(entries, key=lambda entry: entry.at)


def as_markdown(entries: list[TimelineEntry], title: str = "Timeline") -> str:
    """A Markdown table, times in the local zone, ready for a postmortem."""
    lines = [f"# {title}", ""]
    if not entries:
        return "\n".join([*lines, "Nothing happened in this window.", ""])
    lines += ["| time | kind | what | who | detail |", "|---|---|---|---|---|"]
    for entry in entries:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.at))
        cells = [stamp, entry.kind, entry.what, entry.who, entry.detail]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join([*lines, ""])


def as_json(entries: list[TimelineEntry]) -> str:
    """A JSON list of entries, one object each, times as Unix seconds."""
    return json.dumps([asdict(entry) for entry in entries], indent=2)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

"""Two revisions of a view side by side, field by field, in unified style."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Any

from console.storage.records import ViewRevision


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A JSON value as dotted paths to its leaves, each shown as JSON text.

    Lists are indexed (`drill_path[0].dashboard`); an empty mapping or list is a
    leaf of its own, so that clearing one still shows.
    """
    if isinstance(value, Mapping) and value:
        items: Iterator[tuple[str, Any]] = iter(value.items())
    elif isinstance(value, list) and value:
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return {prefix or "(state)": json.dumps(value, sort_keys=True)}
    flat: dict[str, str] = {}
    for key, child in items:
        joined = f"{prefix}{key}" if key.startswith("[") else f"{prefix}.{key}"
        flat.update(flatten(child, joined.removeprefix(".")))
    return flat


def describe(revision: ViewRevision) -> str:
    """`checkout r3 (ana@bastion, 2027-01-15 08:00)`."""
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(revision.saved_at))
    return (
        f"{revision.name} r{revision.revision} "
        f"({revision.saved_by}@{revision.host}, {stamp})"
    )


def diff_revisions(old: ViewRevision, new: ViewRevision) -> list[str]:
    """The lines that show what changed from `old` to `new`.

    Fields that changed appear as a `-` line and a `+` line; fields only one side
    has appear once. A change of profile is said first, as it explains the rest.
    Two equal states give the header and one line saying so.
    """
    lines = [f"--- {describe(old)}", f"+++ {describe(new)}"]
    if old.profile_hash != new.profile_hash:
        lines.append(
            f"! profile content changed: {old.profile_hash[:12]} -> "
            f"{new.profile_hash[:12]}"
        )
    before, after = flatten(old.state), flatten(new.state)
    changed = False
    for key in sorted(before.keys() | after.keys(), key=_field_order):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        changed = True
        if was is not None:
            lines.append(f"- {key}: {was}")
        if now is not None:
            lines.append(f"+ {key}: {now}")
    if not changed:
        lines.append("  (the two states are the same)")
    return lines


_ORDER = ("profile", "dashboard", "variables", "range", "filter", "focused_panel")


def _field_order(key: str) -> tuple[int, str]:
    top = key.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    rank = _ORDER.index(top) if top in _ORDER else len(_ORDER)
    return rank, key

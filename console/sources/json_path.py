"""Dotted paths into a JSON document: `data.items`, `data.0.value`, `rows.-1`.

Each part is a key of an object or, on a list, a position counted from 0 (negative
positions count from the end). A key that itself holds a dot cannot be reached.
"""

from __future__ import annotations

import re

_POSITION = re.compile(r"-?\d+")


class PathMissing(Exception):
    """The document has nothing at the path asked for."""


def check_path(path: str) -> str:
    """`path` itself, or ValueError with a message fit for a profile problem."""
    if any(part == "" for part in path.split(".")):
        raise ValueError(
            f"path {path!r} has an empty part; write keys and positions joined by "
            "single dots, such as data.items or data.0.value"
        )
    return path


def follow(document: object, path: str | None) -> object:
    """What `document` holds at `path`; the document itself when `path` is None.

    Raises PathMissing when a part names no key of an object, no position of a
    list, or reaches into a plain value.
    """
    if path is None:
        return document
    here = document
    for part in path.split("."):
        if isinstance(here, dict):
            if part not in here:
                raise PathMissing(path)
            here = here[part]
        elif isinstance(here, list) and _POSITION.fullmatch(part):
            position = int(part)
            if not -len(here) <= position < len(here):
                raise PathMissing(path)
            here = here[position]
        else:
            raise PathMissing(path)
    return here

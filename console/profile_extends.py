"""`extends:`: a profile built on another one, changing only what it names.

    extends: operations          # a profile name (the user's own first, then the
                                 # shipped ones) or a path beside this file
    variables:
      region: {default: eu-west-1}
    dashboards:
      - id: ops                  # a dashboard the base has: these keys win
        refresh: 10s
        panels:
          - id: errors           # a panel the base has: these keys win
            thresholds: {warning: 5, critical: 20}
          - id: queue            # a new panel, added
            ...

How the two trees combine: `variables` and `sources` entries of the extending file
replace or add the base's entries of that name; `dashboards` are matched by `id`,
their keys override the base's, and their `panels` are matched by `id` the same way
(new ones are added at the end); every other key simply replaces the base's.

The base is loaded and checked on its own first, so a problem inside it is reported
in its own file. Problems of the combined profile are reported in the extending
file: at the node it wrote, or at its `extends:` line for what came from the base.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.problems import Problem, ProfileError
from console.yaml_document import NodePath, PositionMap, YamlDocument

EXTENDS_KEY = "extends"
"""The top-level key naming the profile this one builds on."""

MAX_DEPTH = 8
"""Profiles one chain of `extends:` may pass through before it is refused."""

_BY_ID = ("dashboards", "panels")
"""List keys whose items are matched by `id` rather than replaced."""

_ENTRY_MAPPINGS = ("variables", "sources")
"""Top-level mappings whose entries are replaced or added one by one."""


@dataclass(frozen=True, slots=True)
class ExtendedDocument:
    """The combined tree, its positions in the extending file, and a hash of
    every file in the chain (so that a view notices when any of them changed)."""

    document: YamlDocument
    content_hash: str
    chain: tuple[Path, ...]


Loader = Callable[[Path], tuple[bytes, YamlDocument]]
"""Reads a file into its bytes and document; raises `ProfileError` if it cannot."""

Checker = Callable[[YamlDocument, str], None]
"""Checks a base profile on its own; raises `ProfileError` with its problems."""

Resolver = Callable[[str, Path | None], Path | None]
"""Finds the file an `extends:` value names, not counting the extending file."""


def apply_extends(
    document: YamlDocument,
    path_label: str,
    own_path: Path | None,
    data: bytes,
    *,
    read: Loader,
    resolve: Resolver,
    check: Checker,
    chain: tuple[Path, ...] = (),
) -> ExtendedDocument:
    """`document` combined with the profile its `extends:` names, recursively.

    Raises `ProfileError` when the base cannot be found, when the chain loops back
    on itself or runs deeper than `MAX_DEPTH`, or when the base has problems of its
    own (reported in the base's file).
    """
    digest = hashlib.sha256(data)
    here = own_path.resolve() if own_path is not None else None
    chain = (*chain, here) if here is not None else chain
    name = document.tree.get(EXTENDS_KEY)
    if name is None:
        return ExtendedDocument(document, digest.hexdigest(), chain)
    line, column = document.positions.locate((EXTENDS_KEY,))
    if not isinstance(name, str) or not name.strip():
        message = "extends must name a profile or a file, such as `operations`"
        raise ProfileError([Problem(path_label, line, column, message)])
    base_path = resolve(name.strip(), own_path)
    if base_path is None:
        message = f"extends {name!r}: no profile of that name and no such file"
        raise ProfileError([Problem(path_label, line, column, message)])
    base_path = base_path.resolve()
    if base_path in chain:
        loop = " → ".join(p.name for p in (*chain, base_path))
        message = f"circular extends: {loop}"
        raise ProfileError([Problem(path_label, line, column, message)])
    if len(chain) >= MAX_DEPTH:
        message = f"extends goes more than {MAX_DEPTH} profiles deep"
        raise ProfileError([Problem(path_label, line, column, message)])
    base_data, base_document = read(base_path)
    base_label = str(base_path)
    base = apply_extends(
        base_document,
        base_label,
        base_path,
        base_data,
        read=read,
        resolve=resolve,
        check=check,
        chain=chain,
    )
    check(base.document, base_label)
    tree, moves = _combine(base.document.tree, document.tree)
    positions = _positions(document.positions, moves, (line, column))
    digest.update(base.content_hash.encode())
    combined = YamlDocument(tree, positions, document.problems)
    return ExtendedDocument(combined, digest.hexdigest(), base.chain)


def _combine(
    base: dict[str, Any], child: dict[str, Any]
) -> tuple[dict[str, Any], dict[NodePath, NodePath]]:
    """The combined tree, and where each list item of `child` ended up in it
    (child path -> combined path), for the lists matched by id."""
    moves: dict[NodePath, NodePath] = {}
    tree = dict(base)
    for key, value in child.items():
        if key in _ENTRY_MAPPINGS and isinstance(value, dict):
            old = tree.get(key)
            tree[key] = {**(old if isinstance(old, dict) else {}), **value}
        elif key in _BY_ID and isinstance(value, list):
            tree[key] = _by_id(tree.get(key), value, (key,), (key,), moves)
        else:
            tree[key] = value
    return tree, moves


def _by_id(
    base: object,
    child: list[Any],
    child_path: NodePath,
    merged_path: NodePath,
    moves: dict[NodePath, NodePath],
) -> list[Any]:
    items = list(base) if isinstance(base, list) else []
    index = {
        item.get("id"): position
        for position, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    for position, item in enumerate(child):
        here = (*child_path, position)
        found = index.get(item.get("id")) if isinstance(item, dict) else None
        if found is None:
            found = len(items)
            items.append(item)
        else:
            old = items[found]
            merged = {**old, **item}
            for key in _BY_ID:
                if key in item and isinstance(item[key], list):
                    merged[key] = _by_id(
                        old.get(key),
                        item[key],
                        (*here, key),
                        (*merged_path, found, key),
                        moves,
                    )
            items[found] = merged
        moves[here] = (*merged_path, found)
    return items


def _positions(
    child: PositionMap, moves: dict[NodePath, NodePath], extends_at: tuple[int, int]
) -> PositionMap:
    """The child's positions under the combined tree's paths; nodes that came
    from the base fall back to the `extends:` line."""

    def moved(path: NodePath) -> NodePath:
        # The longest moved prefix decides; deeper moves are already absolute.
        for end in range(len(path), 0, -1):
            target = moves.get(path[:end])
            if target is not None:
                return (*target, *path[end:])
        return path

    values = {moved(path): at for path, at in child.values.items()}
    keys = {moved(path): at for path, at in child.keys.items()}
    values[()] = extends_at
    return PositionMap(values, keys)


def find_base(
    name: str,
    own_path: Path | None,
    search: tuple[Path, ...],
) -> Path | None:
    """The file `extends: name` means: a bare name is looked for in `search`
    (in order, skipping the extending file itself, so that a user's profile may
    extend the shipped one of the same name); anything else is a path relative to
    the extending file's directory."""
    bare = "/" not in name and not name.endswith((".yaml", ".yml"))
    here = own_path.resolve() if own_path is not None else None
    if bare:
        for directory in search:
            for suffix in (".yaml", ".yml"):
                candidate = directory / f"{name}{suffix}"
                if candidate.is_file() and candidate.resolve() != here:
                    return candidate
        return None
    base_dir = own_path.parent if own_path is not None else Path()
    candidate = (base_dir / name).expanduser()
    return candidate if candidate.is_file() else None

"""`watchdeck views`: list, show, compare, restore, export and import saved views."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from console.cli.profile_options import Subcommands
from console.cli.user_options import (
    add_role_argument,
    load_config,
    open_store,
    role_from_options,
)
from console.problems import ProfileError
from console.storage.interface import StateStore, StorageError
from console.storage.records import ViewRevision
from console.view_access import ViewAccess
from console.views_diff import describe, diff_revisions
from console.views_history import restore_revision
from console.views_transfer import (
    export_view,
    import_view,
    read_export,
    write_private_file,
)

Handler = Callable[[argparse.Namespace, StateStore, TextIO, TextIO], int]


def add_to(commands: Subcommands) -> None:
    """Add `views` and its actions to the command line."""
    views = commands.add_parser("views", help="saved views and their revisions")
    views.add_argument(
        "--read-only", action="store_true", help="refuse restore and import"
    )
    actions = views.add_subparsers(dest="views_action", required=True)
    listing = actions.add_parser(
        "list", help="every view your role may open, newest revision"
    )
    add_role_argument(listing)
    listing.set_defaults(views_handler=_list)
    show = actions.add_parser("show", help="one revision's state, as JSON")
    show.add_argument("name")
    show.add_argument("revision", nargs="?", type=int, help="default: the newest")
    add_role_argument(show)
    show.set_defaults(views_handler=_show)
    history = actions.add_parser("history", help="every revision of a view")
    history.add_argument("name")
    history.set_defaults(views_handler=_history)
    diff = actions.add_parser("diff", help="what changed between two revisions")
    diff.add_argument("name")
    diff.add_argument("old", type=int)
    diff.add_argument("new", type=int, nargs="?", help="default: the newest")
    diff.set_defaults(views_handler=_diff)
    restore = actions.add_parser("restore", help="save an old revision as the newest")
    restore.add_argument("name")
    restore.add_argument("revision", type=int)
    restore.set_defaults(views_handler=_restore, writes=True)
    export = actions.add_parser("export", help="a view's history as YAML")
    export.add_argument("name")
    export.add_argument("--revision", type=int, help="only this revision")
    export.add_argument("-o", "--output", type=Path, help="default: standard output")
    export.set_defaults(views_handler=_export)
    imported = actions.add_parser("import", help="add an exported view's revisions")
    imported.add_argument("file", type=Path)
    imported.add_argument("--name", help="save under this name instead")
    imported.set_defaults(views_handler=_import, writes=True)
    views.set_defaults(handler=_run)


def _run(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = load_config(err)
    if config is None:
        return 2
    known, role = role_from_options(options, config, err)
    if not known:
        return 2
    options.access = ViewAccess(role)
    read_only = options.read_only or config.read_only
    if read_only and getattr(options, "writes", False):
        print(
            f"watchdeck: read-only mode: views {options.views_action} writes, so "
            f"nothing was changed",
            file=err,
        )
        return 1
    store = open_store(config, read_only=read_only, err=err)
    if store is None:
        return 2
    handler: Handler = options.views_handler
    try:
        return handler(options, store, out, err)
    except StorageError as error:
        print(f"watchdeck: {error}", file=err)
        return 1
    finally:
        store.close()


def _list(
    options: argparse.Namespace, store: StateStore, out: TextIO, _: TextIO
) -> int:
    access: ViewAccess = options.access
    for name in store.view_names():
        latest = store.view(name)
        if latest is not None and access.refusal(latest.state) is None:
            dashboard = latest.state.get("dashboard", "?")
            print(
                f"{describe(latest)}  {latest.state.get('profile', '?')} › {dashboard}",
                file=out,
            )
    return 0


def _revision(
    store: StateStore, name: str, number: int | None, err: TextIO
) -> ViewRevision | None:
    found = store.view(name, number)
    if found is None:
        history = store.view_history(name)
        if not history:
            print(f"watchdeck: no view named {name!r}", file=err)
        else:
            print(
                f"watchdeck: {name!r} has revisions 1 to {history[-1].revision}, "
                f"not {number}",
                file=err,
            )
    return found


def _show(
    options: argparse.Namespace, store: StateStore, out: TextIO, err: TextIO
) -> int:
    found = _revision(store, options.name, options.revision, err)
    if found is None:
        return 1
    refusal = options.access.refusal(found.state)
    if refusal is not None:
        print(
            f"watchdeck: {options.name!r} is not shown in the role "
            f"{options.access.role}: {refusal}",
            file=err,
        )
        return 1
    print(describe(found) + (f": {found.note}" if found.note else ""), file=out)
    print(json.dumps(found.state, indent=2, sort_keys=True), file=out)
    return 0


def _history(
    options: argparse.Namespace, store: StateStore, out: TextIO, err: TextIO
) -> int:
    history = store.view_history(options.name)
    if not history:
        print(f"watchdeck: no view named {options.name!r}", file=err)
        return 1
    for revision in history:
        note = f"  {revision.note}" if revision.note else ""
        print(
            f"{describe(revision)}  {revision.state.get('dashboard', '?')}{note}",
            file=out,
        )
    return 0


def _diff(
    options: argparse.Namespace, store: StateStore, out: TextIO, err: TextIO
) -> int:
    old = _revision(store, options.name, options.old, err)
    new = _revision(store, options.name, options.new, err)
    if old is None or new is None:
        return 1
    for line in diff_revisions(old, new):
        print(line, file=out)
    return 0


def _restore(
    options: argparse.Namespace, store: StateStore, out: TextIO, err: TextIO
) -> int:
    saved = restore_revision(store, options.name, options.revision, at=time.time())
    print(
        f"restored {options.name} revision {options.revision} as revision "
        f"{saved.revision.revision}",
        file=out,
    )
    return 0


def _export(
    options: argparse.Namespace, store: StateStore, out: TextIO, err: TextIO
) -> int:
    if options.revision is not None:
        one = _revision(store, options.name, options.revision, err)
        history = [one] if one is not None else []
    else:
        history = store.view_history(options.name)
        if not history:
            print(f"watchdeck: no view named {options.name!r}", file=err)
    if not history:
        return 1
    text = export_view(history)
    if options.output is None:
        out.write(text)
        return 0
    try:
        write_private_file(options.output, text)
    except OSError as error:
        print(f"watchdeck: cannot write {options.output}: {error.strerror}", file=err)
        return 1
    print(
        f"wrote {len(history)} revision(s) of {options.name} to {options.output}",
        file=err,
    )
    return 0


def _import(
    options: argparse.Namespace, store: StateStore, out: TextIO, err: TextIO
) -> int:
    try:
        exported = read_export(options.file)
    except ProfileError as error:
        print(str(error), file=err)
        print(f"watchdeck: {options.file} was not imported", file=err)
        return 1
    saved = import_view(store, exported, options.name)
    first, last = saved[0].revision, saved[-1].revision
    print(
        f"imported {len(saved)} revision(s) as {last.name} revisions "
        f"{first.revision} to {last.revision}",
        file=out,
    )
    return 0

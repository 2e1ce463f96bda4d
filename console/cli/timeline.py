"""`watchdeck timeline`: alert changes, acknowledgements and notes, for a
postmortem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from console.cli.profile_options import Subcommands
from console.durations import DurationError, parse_duration


def add_to(commands: Subcommands) -> None:
    """Add `timeline` to the command line."""
    timeline = commands.add_parser(
        "timeline", help="print what happened: alert changes, acks and notes"
    )
    timeline.add_argument(
        "--since", default="24h", help="how far back, e.g. 2h or 7d (default 24h)"
    )
    timeline.add_argument("--format", choices=("markdown", "json"), default="markdown")
    timeline.add_argument(
        "--profile", help="only what was seen under this profile's name"
    )
    timeline.add_argument(
        "--store", type=Path, help="the state store (default: the user's data dir)"
    )
    timeline.set_defaults(handler=_timeline)


def _timeline(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import time

    from console.storage.interface import StorageError
    from console.storage.opening import open_state_store
    from console.timeline import as_json, as_markdown, timeline_entries

    try:
        span = parse_duration(options.since)
    except DurationError as error:
        print(f"watchdeck: --since: {error}", file=err)
        return 2
    try:
        store = open_state_store(options.store, read_only=True)
    except StorageError as error:
        print(f"watchdeck: {error}", file=err)
        return 1
    try:
        entries = timeline_entries(
            store, since=time.time() - span, profile=options.profile
        )
    except StorageError as error:
        print(f"watchdeck: {error}", file=err)
        return 1
    finally:
        store.close()
    if options.format == "json":
        print(as_json(entries), file=out)
    else:
        print(as_markdown(entries, f"Timeline, last {options.since}"), file=out)
    return 0

"""`watchdeck snapshot`: render a dashboard once, headless, after data arrives."""

from __future__ import annotations

import argparse
from typing import TextIO

from console.cli.profile_options import (
    Subcommands,
    add_profile_arguments,
    load_from_options,
)
from console.logging_setup import configure_logging


def add_to(commands: Subcommands) -> None:
    """Add `snapshot` to the command line."""
    snapshot = commands.add_parser(
        "snapshot", help="render a dashboard once, headless, after data arrives"
    )
    add_profile_arguments(snapshot)
    snapshot.add_argument("--size", default="120x40", help="COLUMNSxLINES")
    snapshot.add_argument("--format", choices=("text", "svg"), default="text")
    snapshot.add_argument(
        "--wait", type=float, default=15.0, help="seconds to wait for data at most"
    )
    snapshot.set_defaults(handler=_snapshot)


def _snapshot(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    configure_logging(None, debug=False, quiet=True)
    try:
        columns, _, lines = options.size.lower().partition("x")
        size = (int(columns), int(lines))
        if size[0] < 20 or size[1] < 5:
            raise ValueError
    except ValueError:
        print(f"watchdeck: --size wants COLUMNSxLINES, not {options.size!r}", file=err)
        return 2
    loaded = load_from_options(options, err)
    if loaded is None:
        return 2
    from screens.snapshot import render_snapshot

    picture = render_snapshot(
        loaded,
        dashboard_id=options.dashboard,
        size=size,
        image=options.format == "svg",
        wait=options.wait,
    )
    out.write(picture)
    if not picture.endswith("\n"):
        out.write("\n")
    return 0

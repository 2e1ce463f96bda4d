"""`watchdeck usage`: who opened what, how long dashboards took, what people wrote."""

from __future__ import annotations

import argparse
import json
import time
from typing import TextIO

from console.cli.profile_options import Subcommands
from console.durations import parse_duration


def add_to(commands: Subcommands) -> None:
    """Add `usage` to the command line."""
    usage = commands.add_parser(
        "usage",
        help="which dashboards are used, which are slow and why, feedback",
        description="Read the usage records the console kept in the local state "
        "store (or the team store) and report on a period.",
    )
    usage.add_argument(
        "--since", default="7d", help="how far back to look, e.g. 1h, 7d (default 7d)"
    )
    usage.add_argument("--format", choices=("text", "json"), default="text")
    usage.add_argument(
        "--feedback", action="store_true", help="list only what people wrote (f)"
    )
    usage.add_argument(
        "--profile",
        action="append",
        default=[],
        help="a profile whose dashboards count (repeatable; default: every "
        "shipped profile); dashboards of these nobody opened are listed",
    )
    usage.set_defaults(handler=_usage)


def _usage(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from console.problems import ProfileError
    from console.profile_catalog import ProfileNotFound, list_shipped, resolve_profile
    from console.profile_loader import load_profile
    from console.storage.interface import StorageError
    from console.storage.opening import open_state_store
    from console.usage.report import build_report
    from console.usage.report_text import render_feedback, render_text

    try:
        period = parse_duration(options.since)
    except ValueError as error:
        print(f"watchdeck: --since: {error}", file=err)
        return 2
    profiles = []
    for name in options.profile or list_shipped():
        try:
            profiles.append(load_profile(resolve_profile(name)).profile)
        except ProfileNotFound as error:
            print(f"watchdeck: {error}", file=err)
            return 2
        except ProfileError as error:
            print(f"{error}\nwatchdeck: profile {name} has problems", file=err)
            return 2
    until = time.time()
    since = until - period
    try:
        store = open_state_store(read_only=True)
        try:
            records = store.usage(since=since)
        finally:
            store.close()
    except StorageError as error:
        print(f"watchdeck: {error}", file=err)
        return 1
    report = build_report(records, profiles, since=since, until=until)
    if options.format == "json":
        shown = {"since": since, "until": until, "feedback": report["feedback"]}
        json.dump(shown if options.feedback else report, out, indent=2)
        out.write("\n")
    elif options.feedback:
        out.write(render_feedback(report))
    else:
        out.write(render_text(report))
    return 0

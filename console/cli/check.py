"""`watchdeck check`: poll once, judge every panel, exit 0/1/2/3 for cron."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from console.check import CheckState, check_profile
from console.cli.profile_options import (
    Subcommands,
    add_profile_arguments,
    load_from_options,
)
from console.clock import SystemClock
from console.logging_setup import configure_logging

USAGE_ERROR_STATUS = 3
"""Bad arguments exit UNKNOWN, not argparse's 2 (which would read as CRITICAL)."""


def add_to(commands: Subcommands) -> None:
    """Add `check` to the command line."""
    check = commands.add_parser(
        "check",
        help="evaluate thresholds once; exit 0 ok, 1 warning, 2 critical, 3 unknown",
    )
    add_profile_arguments(check)
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="one summary line (default), or every panel as JSON",
    )
    check.add_argument(
        "--wait",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="how long to wait for the sources at most (default 15)",
    )
    check.set_defaults(handler=_check)


def _check(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    configure_logging(None, quiet=True)
    if not options.wait > 0:
        print(
            f"watchdeck: --wait wants a positive number, not {options.wait}", file=err
        )
        return int(CheckState.UNKNOWN)
    loaded = load_from_options(options, err)
    if loaded is None:
        print("UNKNOWN - the profile could not be loaded", file=out)
        return int(CheckState.UNKNOWN)
    profile = loaded.profile
    dashboards = profile.dashboards
    if options.dashboard:
        dashboards = [d for d in dashboards if d.id == options.dashboard]
    try:
        report = check_profile(profile, dashboards, SystemClock(), options.wait)
    except Exception as error:  # noqa: BLE001 - any failure is UNKNOWN
        # A check that breaks must still answer in the monitoring system's terms,
        # never with a traceback in a cron mail.
        print(f"watchdeck: check failed: {type(error).__name__}: {error}", file=err)
        print("UNKNOWN - the check could not run", file=out)
        return int(CheckState.UNKNOWN)
    try:
        if options.format == "json":
            json.dump(report.as_json(), out, indent=2)
            out.write("\n")
        else:
            print(report.summary(), file=out)
        out.flush()
    except BrokenPipeError:
        # `check --format json | head`: the reader has what it wanted.
        from console.cli import quiet_stdout

        quiet_stdout()
    return int(report.state)

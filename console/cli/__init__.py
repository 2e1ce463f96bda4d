"""The `watchdeck` command line.

Each subcommand lives in its own module here and adds itself to the parser through
`add_to`; `SUBCOMMANDS` lists them in the order `--help` shows. Textual is imported
only by the subcommands that draw, so that `watchdeck lint` stays quick and the core
stays free of the user interface.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from console.cli import (
    check,
    export_command,
    import_command,
    lint,
    new,
    replay,
    run,
    snapshot,
    timeline,
    usage,
    views,
)

SUBCOMMANDS: tuple[ModuleType, ...] = (
    run,
    replay,
    lint,
    snapshot,
    check,
    new,
    views,
    timeline,
    usage,
    import_command,
    export_command,
)
"""Modules with an `add_to(commands)` function, one per subcommand."""

DEFAULT_SUBCOMMAND = "run"
"""What `watchdeck` with no subcommand does."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `watchdeck` command; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser, names = build_parser()
    if not args or args[0] not in (*names, "-h", "--help", "--version"):
        args.insert(0, DEFAULT_SUBCOMMAND)
    try:
        options = parser.parse_args(args)
    except SystemExit as stop:
        # `check` answers in a monitoring system's terms: bad arguments are UNKNOWN.
        if stop.code == 2 and args[0] in USAGE_ERROR_STATUS:
            return USAGE_ERROR_STATUS[args[0]]
        raise
    try:
        status: int = options.handler(options, sys.stdout, sys.stderr)
        sys.stdout.flush()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, with no traceback and no
        # complaint when Python flushes stdout at exit.
        quiet_stdout()
        return USAGE_ERROR_STATUS.get(args[0], 141)
    return status


USAGE_ERROR_STATUS = {"check": check.USAGE_ERROR_STATUS}
"""Exit status for bad arguments, by subcommand, where it is not argparse's 2."""


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that nothing more is written to a closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def build_parser() -> tuple[argparse.ArgumentParser, frozenset[str]]:
    """The argument parser for every subcommand, and the subcommands' names."""
    parser = argparse.ArgumentParser(
        prog="watchdeck",
        description="A keyboard-driven monitoring console for the terminal.",
    )
    parser.add_argument("--version", action="version", version="watchdeck 0.1.0")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in SUBCOMMANDS:
        module.add_to(commands)
    return parser, frozenset(commands.choices)

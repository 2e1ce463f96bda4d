"""The `watchdeck` command line.

Each subcommand lives in its own module here and adds itself to the parser through
`add_to`; `SUBCOMMANDS` lists them in the order `--help` shows. Textual is imported
only by the subcommands that draw, so that `watchdeck lint` stays quick and the core
stays free of the user interface.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from console.cli import (
    check,
    export_command,
    import_command,
    lint,
    new,
    run,
    snapshot,
    timeline,
    usage,
    views,
)

SUBCOMMANDS: tuple[ModuleType, ...] = (
    run,
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
    options = parser.parse_args(args)
    try:
        status: int = options.handler(options, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        return 130
    return status


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

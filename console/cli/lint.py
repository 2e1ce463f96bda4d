"""`watchdeck lint`: check profiles for problems."""

from __future__ import annotations

import argparse
from typing import TextIO

from console.cli.profile_options import Subcommands


def add_to(commands: Subcommands) -> None:
    """Add `lint` to the command line."""
    lint = commands.add_parser("lint", help="check profiles for problems")
    lint.add_argument("paths", nargs="*", help="profile files or directories")
    lint.add_argument(
        "--strict",
        action="store_true",
        help="also flag dashboards without owner or description, operational "
        "panels without thresholds, repeated queries, refreshes faster than the "
        "metric's period, and panels squeezed or out of sight",
    )
    lint.set_defaults(handler=_lint)


def _lint(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from console.lint_command import run_lint
    from console.profile_catalog import shipped_profiles_dir

    paths = options.paths or [str(shipped_profiles_dir())]
    return run_lint(paths, out, err, strict=options.strict)

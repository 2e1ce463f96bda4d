"""The `watchdeck` command line.

Textual is imported only by the subcommands that draw, so that `watchdeck lint` stays
quick and the core stays free of the user interface.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from console.logging_setup import configure_logging
from console.problems import ProfileError
from console.profile_catalog import ProfileNotFound, resolve_profile
from console.profile_loader import LoadedProfile, load_profile
from console.sources.command import allow_commands

SUBCOMMANDS = ("run", "lint", "snapshot")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `watchdeck` command; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (*SUBCOMMANDS, "-h", "--help", "--version"):
        args.insert(0, "run")
    parser = build_parser()
    options = parser.parse_args(args)
    try:
        status: int = options.handler(options, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        return 130
    return status


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="watchdeck",
        description="A keyboard-driven monitoring console for the terminal.",
    )
    parser.add_argument("--version", action="version", version="watchdeck 0.1.0")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="open the console (the default)")
    _profile_arguments(run)
    run.add_argument("--read-only", action="store_true", help="change nothing")
    run.add_argument(
        "--allow-commands",
        action="store_true",
        help="let `command` sources run local programs (never on a profile's word)",
    )
    run.add_argument(
        "--log-file",
        type=Path,
        help="write the log here (default: the user's state directory)",
    )
    run.add_argument("--debug", action="store_true", help="log in detail")
    run.set_defaults(handler=_run)

    lint = commands.add_parser("lint", help="check profiles for problems")
    lint.add_argument("paths", nargs="*", help="profile files or directories")
    lint.set_defaults(handler=_lint)

    snapshot = commands.add_parser(
        "snapshot", help="render a dashboard once, headless, after data arrives"
    )
    _profile_arguments(snapshot)
    snapshot.add_argument("--size", default="120x40", help="COLUMNSxLINES")
    snapshot.add_argument("--format", choices=("text", "svg"), default="text")
    snapshot.add_argument(
        "--wait", type=float, default=15.0, help="seconds to wait for data at most"
    )
    snapshot.set_defaults(handler=_snapshot)
    return parser


def _profile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile", help="a shipped profile's name or a path (default: the demo)"
    )
    parser.add_argument("--dashboard", help="the dashboard id to open first")
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a profile variable (repeatable)",
    )


def _load(options: argparse.Namespace, err: TextIO) -> LoadedProfile | None:
    """The loaded profile, or None after printing why it could not be loaded."""
    overrides: dict[str, str] = {}
    for item in options.var:
        name, sep, value = item.partition("=")
        if not sep or not name:
            print(f"watchdeck: --var wants NAME=VALUE, not {item!r}", file=err)
            return None
        overrides[name.strip()] = value
    try:
        path = resolve_profile(options.profile)
        loaded = load_profile(path, overrides)
    except ProfileNotFound as error:
        print(f"watchdeck: {error}", file=err)
        return None
    except ProfileError as error:
        print(str(error), file=err)
        count = len(error.problems)
        print(f"watchdeck: the profile has {count} problem(s)", file=err)
        return None
    if options.dashboard and loaded.profile.dashboard(options.dashboard) is None:
        ids = ", ".join(d.id for d in loaded.profile.dashboards)
        print(
            f"watchdeck: no dashboard {options.dashboard!r} in {path}; it has: {ids}",
            file=err,
        )
        return None
    return loaded


def _run(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    configure_logging(options.log_file, debug=options.debug)
    loaded = _load(options, err)
    if loaded is None:
        return 2
    from screens.app import WatchdeckApp

    if options.allow_commands:
        allow_commands()

    app = WatchdeckApp(
        loaded, dashboard_id=options.dashboard, read_only=options.read_only
    )
    result = app.run()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)


def _lint(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from console.lint_command import run_lint
    from console.profile_catalog import shipped_profiles_dir

    paths = options.paths or [str(shipped_profiles_dir())]
    return run_lint(paths, out, err)


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
    loaded = _load(options, err)
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

"""`watchdeck run`: open the console."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from console.cli.profile_options import (
    Subcommands,
    add_profile_arguments,
    load_from_options,
)
from console.logging_setup import configure_logging
from console.sources.command import allow_commands
from console.storage.interface import StorageError
from console.storage.opening import open_state_store
from console.storage.sqlite_store import SqliteStateStore


def add_to(commands: Subcommands) -> None:
    """Add `run` to the command line."""
    run = commands.add_parser("run", help="open the console (the default)")
    add_profile_arguments(run)
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
    run.add_argument(
        "--no-usage",
        action="store_true",
        help="keep no usage records this run (they never leave the state store)",
    )
    run.add_argument("--debug", action="store_true", help="log in detail")
    run.set_defaults(handler=_run)


def _run(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    configure_logging(options.log_file, debug=options.debug)
    loaded = load_from_options(options, err)
    if loaded is None:
        return 2
    from screens.app import WatchdeckApp

    if options.allow_commands:
        allow_commands()

    try:
        state_store = open_state_store(read_only=options.read_only)
    except StorageError as error:
        print(f"watchdeck: {error}; nothing will be kept after this run", file=err)
        state_store = SqliteStateStore.in_memory()
    if state_store.recovered_from:
        print(
            f"watchdeck: the state store was unreadable and was moved to "
            f"{state_store.recovered_from}; starting a new one",
            file=err,
        )
    app = WatchdeckApp(
        loaded,
        dashboard_id=options.dashboard,
        read_only=options.read_only,
        state_store=state_store,
        usage=not options.no_usage,
    )
    result = app.run()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)

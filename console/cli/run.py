"""`watchdeck run`: open the console."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TextIO

from console.cli.profile_options import (
    Subcommands,
    add_profile_arguments,
    load_from_options,
)
from console.cli.user_options import (
    add_role_argument,
    load_config,
    open_store,
    role_from_options,
)
from console.cli.view_options import add_view_arguments, view_from_options
from console.logging_setup import configure_logging
from console.profile_loader import LoadedProfile
from console.profile_schema import Role
from console.recording import RecordingHeader, RecordingStore, RecordingWriter
from console.roles import allows, visible_dashboards
from console.sources.command import allow_commands
from console.storage.sqlite_store import SqliteStateStore


def add_to(commands: Subcommands) -> None:
    """Add `run` to the command line."""
    run = commands.add_parser("run", help="open the console (the default)")
    add_profile_arguments(run)
    add_role_argument(run)
    add_view_arguments(run)
    run.add_argument(
        "--read-only",
        action="store_true",
        help="change nothing (also the config file's `read_only: true`)",
    )
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
    run.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="keep every sample of the session in FILE (gzip JSON lines, 200 MB max)",
    )
    run.add_argument("--debug", action="store_true", help="log in detail")
    run.set_defaults(handler=_run)


def _run(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    configure_logging(options.log_file, debug=options.debug)
    config = load_config(err)
    if config is None:
        return 2
    known, role = role_from_options(options, config, err)
    if not known:
        return 2
    read_only = options.read_only or config.read_only
    state_store = open_store(config, read_only=read_only, err=err)
    if state_store is None:
        print("watchdeck: nothing will be kept after this run", file=err)
        state_store = SqliteStateStore.in_memory()
    found, chosen = view_from_options(options, state_store, err)
    loaded = load_from_options(options, err) if found else None
    if loaded is None or not _role_may_open(loaded, options.dashboard, role, err):
        state_store.close()
        return 2
    from screens.app import WatchdeckApp
    from screens.view_actions import OpenedView

    if options.allow_commands or config.allow_commands:
        allow_commands()
    view = None
    if chosen is not None:
        view = OpenedView(
            chosen.state,
            chosen.profile_hash,
            chosen.label,
            chosen.name,
            chosen.revision,
        )
    store = None
    if options.record is not None:
        try:
            header = RecordingHeader(
                str(loaded.path.resolve()), dict(loaded.variables), time.time()
            )
            store = RecordingStore(RecordingWriter(options.record, header))
        except OSError as error:
            print(f"watchdeck: cannot record to {options.record}: {error}", file=err)
            state_store.close()
            return 2
    app = WatchdeckApp(
        loaded,
        dashboard_id=options.dashboard,
        read_only=read_only,
        state_store=state_store,
        role=role,
        view=view,
        usage=config.usage.record and not options.no_usage,
        store=store,
    )
    result = app.run()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)


def _role_may_open(
    loaded: LoadedProfile, dashboard: str | None, role: Role | None, err: TextIO
) -> bool:
    """Whether `role` may open the profile (and `--dashboard`); says why not."""
    profile = loaded.profile
    if not allows(profile.roles, role):
        print(
            f"watchdeck: the profile {profile.profile!r} is for "
            f"{', '.join(profile.roles)}, not {role}",
            file=err,
        )
        return False
    visible = [d.id for d in visible_dashboards(profile, role)]
    if not visible:
        print(f"watchdeck: no dashboard of {profile.profile!r} is for {role}", file=err)
        return False
    if dashboard is not None and dashboard not in visible:
        print(
            f"watchdeck: the dashboard {dashboard!r} is not for {role}; "
            f"yours are: {', '.join(visible)}",
            file=err,
        )
        return False
    return True

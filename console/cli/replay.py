"""`watchdeck replay`: play a recording back in the console, asking no source."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from console.cli.profile_options import Subcommands
from console.logging_setup import configure_logging
from console.problems import ProfileError
from console.profile_loader import load_profile
from console.replay import MAX_SPEED, MIN_SPEED, RecordingError, load_recording


def add_to(commands: Subcommands) -> None:
    """Add `replay` to the command line."""
    replay = commands.add_parser(
        "replay", help="play back a session kept with `run --record FILE`"
    )
    replay.add_argument("file", type=Path, metavar="FILE", help="the recording")
    replay.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="multiples of real time (default 1; * and \\ change it while playing)",
    )
    replay.add_argument(
        "--size",
        metavar="COLUMNSxLINES",
        help="draw in this much of the terminal instead of all of it",
    )
    replay.add_argument("--dashboard", help="open this dashboard first")
    replay.add_argument(
        "--log-file",
        type=Path,
        help="write the log here (default: the user's state directory)",
    )
    replay.set_defaults(handler=_replay)


def _replay(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    configure_logging(options.log_file, debug=False)
    if not MIN_SPEED <= options.speed <= MAX_SPEED:
        print(
            f"watchdeck: --speed wants {MIN_SPEED:g} to {MAX_SPEED:g}, "
            f"not {options.speed:g}",
            file=err,
        )
        return 2
    size = None
    if options.size is not None:
        columns, _, lines = options.size.lower().partition("x")
        try:
            size = (int(columns), int(lines))
        except ValueError:
            size = None
        if size is None or size[0] < 20 or size[1] < 5:
            print(
                f"watchdeck: --size wants COLUMNSxLINES, not {options.size!r}",
                file=err,
            )
            return 2
    try:
        recording = load_recording(options.file)
    except RecordingError as error:
        print(f"watchdeck: {error}", file=err)
        return 2
    header = recording.header
    try:
        loaded = load_profile(Path(header.profile), header.variables)
    except (OSError, ProfileError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(
            f"watchdeck: cannot open the recorded profile {header.profile}: {reason}",
            file=err,
        )
        return 2
    if options.dashboard and loaded.profile.dashboard(options.dashboard) is None:
        print(f"watchdeck: no dashboard {options.dashboard!r}", file=err)
        return 2
    from screens.replay_app import ReplayApp

    app = ReplayApp(
        loaded, recording, speed=options.speed, dashboard_id=options.dashboard
    )
    if size is not None:
        # Textual asks shutil for the terminal's size, which these override.
        os.environ["COLUMNS"], os.environ["LINES"] = str(size[0]), str(size[1])
    result = app.run()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)

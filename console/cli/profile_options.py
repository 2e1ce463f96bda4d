"""Options shared by every subcommand that opens a profile, and loading it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from console.problems import ProfileError
from console.profile_catalog import ProfileNotFound, resolve_profile
from console.profile_loader import LoadedProfile, load_profile

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]
    """The object `add_subparsers` returns, which each subcommand adds itself to."""
else:
    Subcommands = argparse._SubParsersAction


def add_profile_arguments(parser: argparse.ArgumentParser) -> None:
    """`--profile`, `--dashboard` and `--var`."""
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


def parse_variables(items: list[str], err: TextIO) -> dict[str, str] | None:
    """`--var NAME=VALUE` items as a mapping, or None after printing the bad one."""
    overrides: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            print(f"watchdeck: --var wants NAME=VALUE, not {item!r}", file=err)
            return None
        overrides[name.strip()] = value
    return overrides


def load_from_options(options: argparse.Namespace, err: TextIO) -> LoadedProfile | None:
    """The loaded profile, or None after printing why it could not be loaded."""
    overrides = parse_variables(options.var, err)
    if overrides is None:
        return None
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

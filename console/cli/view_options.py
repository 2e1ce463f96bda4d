"""`--view NAME` and `--view-token TOKEN`: which saved view `run` opens."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TextIO

from console.profile_catalog import ProfileNotFound, resolve_profile
from console.storage.interface import StateStore, StorageError
from console.view_state import ViewState, ViewStateError
from console.views_token import TokenError, decode_token


@dataclass(frozen=True, slots=True)
class ChosenView:
    """The view the command line asked for."""

    state: ViewState
    profile_hash: str
    label: str
    name: str | None = None
    revision: int | None = None


def add_view_arguments(parser: argparse.ArgumentParser) -> None:
    """`--view` and `--view-token`."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--view", metavar="NAME", help="open a saved view")
    group.add_argument(
        "--view-token", metavar="TOKEN", help="open a view copied as a token (y)"
    )


def view_from_options(
    options: argparse.Namespace, store: StateStore, err: TextIO
) -> tuple[bool, ChosenView | None]:
    """(True, the view or None when none was asked for), or (False, None) after
    printing why it cannot be opened. Sets `options.profile` to the view's profile
    when the command line named none."""
    chosen = _chosen(options, store, err)
    if chosen is None:
        return options.view is None and options.view_token is None, None
    if options.profile is None:
        try:
            resolve_profile(chosen.state.profile_path or chosen.state.profile)
        except ProfileNotFound:
            print(
                f"watchdeck: {chosen.label} was saved with the profile "
                f"{chosen.state.profile_path!r}, which is not here; name it with "
                f"--profile",
                file=err,
            )
            return False, None
        options.profile = chosen.state.profile_path or chosen.state.profile
    return True, chosen


def _chosen(
    options: argparse.Namespace, store: StateStore, err: TextIO
) -> ChosenView | None:
    if options.view_token is not None:
        try:
            token = decode_token(options.view_token)
        except TokenError as error:
            print(f"watchdeck: --view-token: {error}", file=err)
            return None
        return ChosenView(token.state, token.profile_hash, "the token's view")
    if options.view is None:
        return None
    try:
        revision = store.view(options.view)
        names = store.view_names() if revision is None else []
    except StorageError as error:
        print(f"watchdeck: {error}", file=err)
        return None
    if revision is None:
        known = ", ".join(names) or "none saved yet"
        print(f"watchdeck: no view named {options.view!r}; views: {known}", file=err)
        return None
    try:
        state = ViewState.from_json(revision.state)
    except ViewStateError as error:
        print(f"watchdeck: the view {options.view!r} cannot be read: {error}", file=err)
        return None
    label = f"view {revision.name!r} (revision {revision.revision})"
    return ChosenView(
        state, revision.profile_hash, label, revision.name, revision.revision
    )

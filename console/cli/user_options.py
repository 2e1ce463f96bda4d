"""What every subcommand that touches user state shares: the user's config file,
their role, and the store the config chooses."""

from __future__ import annotations

import argparse
from typing import TextIO

from console.identity import local_user
from console.problems import ProfileError
from console.profile_schema import Role
from console.roles import UnknownRole, local_groups, resolve_role
from console.storage.interface import StateStore, StorageError
from console.storage.opening import open_state_store
from console.user_config import UserConfig, load_user_config


def add_role_argument(parser: argparse.ArgumentParser) -> None:
    """`--role`."""
    parser.add_argument(
        "--role",
        help="work in this role: only its profiles and dashboards are shown "
        "(default: from the config file)",
    )


def load_config(err: TextIO) -> UserConfig | None:
    """The user's config, or None after printing every located problem."""
    try:
        return load_user_config()
    except ProfileError as error:
        print(str(error), file=err)
        print("watchdeck: the config file has problems", file=err)
        return None


def role_from_options(
    options: argparse.Namespace, config: UserConfig, err: TextIO
) -> tuple[bool, Role | None]:
    """(True, the role) or (False, None) after printing why `--role` is wrong."""
    try:
        role = resolve_role(
            config,
            explicit=getattr(options, "role", None),
            user=local_user(),
            groups=local_groups(),
        )
    except UnknownRole as error:
        print(f"watchdeck: {error}", file=err)
        return False, None
    return True, role


def open_store(
    config: UserConfig, *, read_only: bool, err: TextIO
) -> StateStore | None:
    """The store the config chooses, or None after printing why it cannot open."""
    try:
        store = open_state_store(read_only=read_only, settings=config.store)
    except StorageError as error:
        print(f"watchdeck: {error}", file=err)
        return None
    if store.recovered_from:
        print(
            f"watchdeck: the state store was unreadable and was moved to "
            f"{store.recovered_from}; starting a new one",
            file=err,
        )
    return store

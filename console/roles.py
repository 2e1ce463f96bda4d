"""Which role the person at the keyboard works in, and what that role may open.

A profile and each of its dashboards may list the roles they are for. A user in a
role sees only the profiles and dashboards that list it (or list none); a user with
no role (no `--role`, no mapping, no default in the config) sees everything.
"""

from __future__ import annotations

import grp
import os
from collections.abc import Iterable, Sequence
from typing import get_args

from console.profile_schema import Dashboard, Profile, Role
from console.user_config import UserConfig

ROLES: tuple[str, ...] = get_args(Role)
"""Every role a profile, a dashboard, `--role` or the config may name."""


class UnknownRole(ValueError):
    """`--role` named a role that does not exist."""


def local_groups() -> list[str]:
    """The names of the groups the current process belongs to."""
    names: list[str] = []
    for gid in dict.fromkeys([os.getgid(), *os.getgroups()]):
        try:
            names.append(grp.getgrgid(gid).gr_name)
        except KeyError:
            continue
    return names


def resolve_role(
    config: UserConfig,
    *,
    explicit: str | None,
    user: str,
    groups: Iterable[str],
) -> Role | None:
    """The role to work in: `--role`, else the user's mapping, else the first of
    their groups the config maps (in the config's order), else the config's
    default. Raises `UnknownRole` for an `explicit` role no one defined."""
    if explicit is not None:
        if explicit not in ROLES:
            raise UnknownRole(f"no role {explicit!r}; the roles are {', '.join(ROLES)}")
        return explicit  # type: ignore[return-value]
    if user in config.roles.users:
        return config.roles.users[user]
    member_of = set(groups)
    for group, role in config.roles.groups.items():
        if group in member_of:
            return role
    return config.default_role


def allows(roles: Sequence[str], role: str | None) -> bool:
    """Whether something listing `roles` may be opened in `role`."""
    return role is None or not roles or role in roles


def visible_dashboards(profile: Profile, role: str | None) -> list[Dashboard]:
    """The profile's dashboards `role` may open, in the profile's order."""
    return [d for d in profile.dashboards if allows(d.roles, role)]

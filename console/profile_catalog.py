"""Where the profiles that ship with watchdeck live, and how a name finds one.

Running from a source checkout they are the `profiles/` directory at the repository
root; inside an installed wheel they are `console/shipped_profiles/`, where the build
copies that directory.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

import console

DEMO_PROFILE = "demo"
"""The profile opened when none is named: this host next to a synthetic service."""

_SUFFIXES = (".yaml", ".yml")


class ProfileNotFound(LookupError):
    """No shipped profile has the name given, and no file is at that path."""


def shipped_profiles_dir() -> Path:
    """The directory holding the shipped profiles."""
    package = Path(console.__file__).parent
    installed = package / "shipped_profiles"
    # The wheel's copy is checked first: next to an installed package, `../profiles`
    # would be some other directory of site-packages.
    if installed.is_dir():
        return installed
    return package.parent / "profiles"


def user_profiles_dir() -> Path:
    """The user's own profiles: `profiles/` in their watchdeck config directory.

    `watchdeck new` writes there, and a bare `--profile` name is looked up there
    before the shipped profiles."""
    return Path(platformdirs.user_config_dir("watchdeck")) / "profiles"


def list_shipped() -> list[str]:
    """The names of the shipped profiles, sorted, as `--profile` takes them."""
    directory = shipped_profiles_dir()
    if not directory.is_dir():
        return []
    names = {
        path.stem
        for path in directory.iterdir()
        if path.suffix in _SUFFIXES and path.is_file()
    }
    return sorted(names)


def resolve_profile(name_or_path: str | None) -> Path:
    """The file a `--profile` value means.

    Left out, the demo profile. A bare name (no directory, no suffix) is the
    user's own profile of that name (in `user_profiles_dir`), else a shipped one;
    anything else, or a name no profile has, is a path. Raises
    `ProfileNotFound`, listing the shipped names, when neither exists.
    """
    name = DEMO_PROFILE if name_or_path is None else name_or_path
    is_bare_name = "/" not in name and "\\" not in name and not name.endswith(_SUFFIXES)
    if is_bare_name:
        # The user's own profile of a name wins over the shipped one, so that a
        # user can replace a shipped profile (or extend it) under its own name.
        for directory in (user_profiles_dir(), shipped_profiles_dir()):
            for suffix in _SUFFIXES:
                candidate = directory / f"{name}{suffix}"
                if candidate.is_file():
                    return candidate
    path = Path(name).expanduser()
    if path.is_file():
        return path
    available = ", ".join(list_shipped()) or "none"
    if is_bare_name:
        message = f"no profile named {name!r} and no file {name!r}"
    else:
        message = f"no profile file at {name}"
    raise ProfileNotFound(f"{message}; shipped profiles: {available}")

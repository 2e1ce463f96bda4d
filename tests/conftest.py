"""Shared fixtures: a fixed time zone, a frozen clock, and the demo profile."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from console.clock import ManualClock
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import LoadedProfile, load_profile

FROZEN_AT = 1_800_000_000.0
"""2027-01-15 08:00:00 UTC: the moment every frozen-clock test starts at."""

os.environ["TZ"] = "UTC"
time.tzset()

_HOME = tempfile.mkdtemp(prefix="watchdeck-test-home-")
atexit.register(shutil.rmtree, _HOME, True)
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    # Every test, and every console a test starts, keeps its files in a private
    # folder, never in the home of the user running the suite.
    os.environ[_name] = os.path.join(_HOME, _name.lower())


@pytest.fixture
def frozen_clock() -> ManualClock:
    """A clock that stands still at FROZEN_AT until a test moves it."""
    return ManualClock(FROZEN_AT)


@pytest.fixture
def demo_profile() -> LoadedProfile:
    """The shipped demo profile, loaded with its defaults."""
    return load_profile(shipped_profiles_dir() / "demo.yaml")


@pytest.fixture
def profiles_dir() -> Path:
    """The directory of shipped profiles."""
    return shipped_profiles_dir()

"""Source kinds load on demand: every name maps to its module's KIND, and a profile
that names no AWS source never loads the AWS SDK."""

from __future__ import annotations

import subprocess
import sys

from console.sources.registry import KIND_MODULES, source_kinds


def test_every_type_name_finds_its_kind() -> None:
    kinds = source_kinds()
    assert set(kinds) == set(KIND_MODULES)
    for name in KIND_MODULES:
        assert kinds[name].type_name == name


def test_the_demo_runs_without_loading_the_aws_sdk_or_database_drivers() -> None:
    probe = (
        "import sys\n"
        "from console.profile_catalog import resolve_profile\n"
        "from console.profile_loader import load_profile\n"
        "from console.session import Session\n"
        "from console.clock import SystemClock\n"
        "import screens.app\n"
        "Session(load_profile(resolve_profile(None)).profile, SystemClock())\n"
        "print(sorted(m for m in ('boto3', 'botocore', 'asyncpg', 'aiosqlite')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

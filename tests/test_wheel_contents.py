"""The wheel carries what an installed `watchdeck` needs beyond the code: the shipped
profiles (where `console.profile_catalog` looks for them) and the app's stylesheet."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_profiles_and_stylesheet(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("watchdeck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "profiles").glob("*.yaml")}
    assert "demo.yaml" in shipped
    for name in shipped:
        assert f"console/shipped_profiles/{name}" in names
    assert "screens/watchdeck.tcss" in names
    assert not any(name.startswith("tests/") for name in names)

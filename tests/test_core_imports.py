"""The core stays free of the user interface: no module under console/ imports
Textual, checked in a fresh interpreter so that nothing else has loaded it first."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import console


def core_modules() -> list[str]:
    return sorted(
        info.name for info in pkgutil.walk_packages(console.__path__, prefix="console.")
    )


def test_there_are_core_modules_to_check() -> None:
    modules = core_modules()
    assert "console.poller" in modules
    assert "console.sources.testdata" in modules


def test_importing_every_core_module_does_not_import_textual() -> None:
    program = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'screens', 'widgets'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"core pulled in: {result.stdout.strip()}"

"""The `watchdeck` command as a user runs it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

WATCHDECK = str(Path(sys.executable).parent / "watchdeck")


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WATCHDECK, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_lint_of_the_shipped_profiles_is_clean() -> None:
    result = run("lint", "profiles")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stderr


def test_lint_reports_every_problem_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "profile: bad\n"
        "title: Bad\n"
        "colour: red\n"
        "dashboards:\n"
        "  - id: a\n"
        "    title: A\n"
        "    refresh: soon\n"
        "    panels:\n"
        "      - {id: p, title: P, type: gauge, at: {x: 10, y: 0, w: 4, h: 2},\n"
        "         query: {source: nowhere}}\n"
    )
    result = run("lint", str(bad))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) >= 4, result.stdout
    assert any(line.startswith(f"{bad}:3:1: ") and "colour" in line for line in lines)
    assert any(f"{bad}:7:" in line and "soon" in line for line in lines)
    assert any("grid" in line for line in lines)
    assert any("nowhere" in line for line in lines)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--profile", "no-such-profile"), "no-such-profile"),
        (("--dashboard", "nope"), "no dashboard 'nope'"),
        (("--var", "novalue"), "NAME=VALUE"),
        (("--var", "service=elsewhere"), "elsewhere"),
        (("--var", "undeclared=1"), "undeclared"),
    ],
)
def test_bad_arguments_say_why_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run("run", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_snapshot_prints_the_dashboard_as_text_once_data_arrived() -> None:
    result = run("snapshot", "--size", "120x40", "--wait", "20")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 40
    assert "checkout: service health" in lines[0]
    assert "p99 latency" in result.stdout
    assert "NO DATA" not in result.stdout


def test_snapshot_svg_of_another_dashboard() -> None:
    result = run("snapshot", "--dashboard", "latency", "--format", "svg")
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("<svg")
    assert "latency" in result.stdout


def test_snapshot_refuses_a_bad_size() -> None:
    result = run("snapshot", "--size", "huge")
    assert result.returncode == 2
    assert "COLUMNSxLINES" in result.stderr

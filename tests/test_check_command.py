"""`watchdeck check` as cron runs it: one line, Nagios exit codes, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.check import CheckReport, CheckState, PanelCheck
from console.evaluation import PanelState
from console.profile_schema import Panel

WATCHDECK = str(Path(sys.executable).parent / "watchdeck")

PROFILE = """\
profile: checked
title: Checked
sources:
  calm: {{type: testdata, seed: 3}}
{extra_source}
dashboards:
  - id: main
    title: Main
    refresh: 5s
    range: 10m
    panels:
      - id: steady
        title: Steady latency
        type: single_value
        at: {{x: 0, y: 0, w: 4, h: 4}}
        query: {{source: calm, metric: lat, shape: latency, incident: false}}
        unit: " ms"
        thresholds: {{warning: {warning}, critical: {critical}}}
      - id: quiet
        title: Quiet
        type: single_value
        at: {{x: 4, y: 0, w: 4, h: 4}}
        query: {{source: calm, metric: q, shape: latency, incident: false}}
        thresholds: {{warning: 5000, critical: 9000}}
      - id: about
        title: About
        type: text
        at: {{x: 8, y: 0, w: 4, h: 4}}
        text: not judged
{extra_panel}
"""

FAILING_PANEL = """\
      - id: broken
        title: Broken source
        type: single_value
        at: {x: 0, y: 4, w: 4, h: 4}
        query: {source: gone, promql: up}
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WATCHDECK, "check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write_profile(
    tmp_path: Path, warning: float, critical: float, *, failing: bool = False
) -> Path:
    # The latency shape without its incident stays within about 180 +- 30 ms, so
    # levels far on either side of it fix the verdict.
    text = PROFILE.format(
        warning=warning,
        critical=critical,
        # Port 9 on loopback (discard) has nothing listening: connection refused.
        extra_source=(
            "  gone: {type: prometheus, url: 'http://127.0.0.1:9', timeout: 2}"
            if failing
            else ""
        ),
        extra_panel=FAILING_PANEL if failing else "",
    )
    path = tmp_path / "checked.yaml"
    path.write_text(text)
    return path


@pytest.mark.slow
def test_the_demo_is_calm_before_its_incident_starts() -> None:
    # The demo's incident begins 15 s after its source is created; a check polls
    # within the first seconds, so the service dashboard is all OK.
    result = run("--dashboard", "service")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK - 10 panels ok")
    assert result.stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("warning", "critical", "code", "start"),
    [
        (1000, 2000, 0, "OK - 2 panels ok"),
        (10, 2000, 1, "WARNING - 1 warning of 2 panels: Steady latency: lat "),
        (10, 20, 2, "CRITICAL - 1 critical of 2 panels: Steady latency: lat "),
    ],
)
def test_exit_code_and_summary_follow_the_worst_panel(
    tmp_path: Path, warning: float, critical: float, code: int, start: str
) -> None:
    result = run("--profile", str(write_profile(tmp_path, warning, critical)))
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stdout.startswith(start)
    assert result.stdout.count("\n") == 1


@pytest.mark.slow
@pytest.mark.integration
def test_a_failing_source_is_unknown(tmp_path: Path) -> None:
    path = write_profile(tmp_path, 1000, 2000, failing=True)
    result = run("--profile", str(path), "--wait", "5")
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout.startswith("UNKNOWN - 1 unknown of 3 panels: Broken source:")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_critical_outranks_a_failing_source(tmp_path: Path) -> None:
    path = write_profile(tmp_path, 10, 20, failing=True)
    result = run("--profile", str(path), "--wait", "5")
    assert result.returncode == 2
    assert result.stdout.startswith("CRITICAL - 1 critical, 1 unknown of 3 panels")


@pytest.mark.slow
def test_json_lists_every_judged_panel(tmp_path: Path) -> None:
    path = write_profile(tmp_path, 10, 2000)
    result = run("--profile", str(path), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["state"] == "warning"
    assert report["exit_code"] == 1
    assert report["summary"].startswith("WARNING - 1 warning of 2 panels")
    panels = {p["panel"]: p for p in report["panels"]}
    assert set(panels) == {"steady", "quiet"}
    steady = panels["steady"]
    assert steady["state"] == "warning"
    assert steady["dashboard"] == "main"
    assert 100 < steady["value"] < 300
    assert steady["reason"].startswith("lat ")
    assert panels["quiet"] == {
        **panels["quiet"],
        "state": "ok",
        "reason": "",
        "unit": "",
    }


def test_a_bad_profile_is_unknown_with_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("profile: bad\ntitle: Bad\ndashboards:\n  - id: x\n    tite: y\n")
    result = run("--profile", str(path))
    assert result.returncode == 3
    assert f"{path}:5:5" in result.stderr
    assert result.stdout.startswith("UNKNOWN - the profile could not be loaded")
    assert "Traceback" not in result.stderr


def test_summary_counts_and_precedence() -> None:
    panel = Panel.model_validate(
        {
            "id": "p",
            "title": "P",
            "type": "text",
            "at": {"x": 0, "y": 0, "w": 1, "h": 1},
            "text": "x",
        }
    )

    def check(state: PanelState, reason: str = "") -> PanelCheck:
        return PanelCheck("d", panel, state, None, reason)

    report = CheckReport(
        [
            check(PanelState.OK),
            check(PanelState.STALE, "stale: last data 5m ago"),
            check(PanelState.WARNING, "v 3 >= 2"),
        ],
        0.0,
    )
    assert report.state is CheckState.WARNING
    assert report.summary() == "WARNING - 1 warning, 1 unknown of 3 panels: P: v 3 >= 2"
    assert CheckReport([], 0.0).summary() == "OK - 0 panels ok"

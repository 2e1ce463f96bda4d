"""Usage end to end: the installed command in tmux, used as a person would (the
overlay, a drill-down, a note), then `watchdeck usage` read back in the same home."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from console.usage.report_schema import REPORT_SCHEMA
from tests.test_end_to_end_tmux import WATCHDECK, Tmux, require_tmux

pytestmark = pytest.mark.slow


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(require_tmux(), tmp_path)
    yield session
    session.kill()


def usage(home: Path, *args: str) -> str:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    done = subprocess.run(
        [str(WATCHDECK), "usage", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_session_shows_up_in_the_usage_report(tmux: Tmux, tmp_path: Path) -> None:
    tmux.start([str(WATCHDECK)], size=(160, 48))
    tmux.wait_for(lambda s: "p99 latency" in s and "NO DATA" not in s, timeout=20)
    tmux.keys("o")
    screen = tmux.wait_for(lambda s: "loaded in" in s)
    assert "performance (o hides)" in screen and "shop" in screen
    tmux.keys("o")
    tmux.wait_for(lambda s: "performance (o hides)" not in s)
    tmux.keys("Tab", "Enter")
    tmux.wait_for(lambda s: "query:" in s)
    tmux.keys("f")
    tmux.wait_for(lambda s: "Feedback on this dashboard" in s)
    tmux.keys("-l", "split errors by service")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "your note is kept" in s)
    tmux.keys("Escape")
    # Sent at once, Escape and q would read as Alt+q.
    tmux.wait_for(lambda s: "query:" not in s)
    tmux.keys("q")
    tmux.wait_dead(10)

    notes = usage(tmp_path, "--feedback")
    assert "demo/service/error-rate: split errors by service" in notes
    report = json.loads(usage(tmp_path, "--format", "json", "--profile", "demo"))
    jsonschema.validate(report, REPORT_SCHEMA)
    service = report["dashboards"][0]
    assert (service["dashboard"], service["opens"], service["drills"]) == (
        "service",
        1,
        1,
    )
    assert report["slowest_dashboards"][0]["dashboard"] == "service"
    assert {row["source"] for row in report["sources"]} == {"shop"}
    assert [row["dashboard"] for row in report["unused"]] == ["host", "latency"]

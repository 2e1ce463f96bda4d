"""Triage of the demo incident in tmux, as a person would: see it fire, open the
alerts, jump to the panel, acknowledge it with a note, add a note, read the
timeline in the console and from `watchdeck timeline`."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_end_to_end_tmux import WATCHDECK, Tmux, require_tmux

pytestmark = pytest.mark.slow


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(require_tmux(), tmp_path)
    yield session
    session.kill()


def test_triage_the_demo_incident(tmux: Tmux, tmp_path: Path) -> None:
    tmux.start([str(WATCHDECK)], size=(160, 48))
    # The tile's banner is letter-spaced when there is room.
    tmux.wait_for(lambda s: "F I R I N G" in s and "critical" in s, timeout=90)

    tmux.keys("a")
    tmux.wait_for(lambda s: "› alerts" in s and "p99 latency alert" in s)
    tmux.keys("/")
    tmux.wait_for(lambda s: "▔▔▔" in s)
    tmux.keys("-l", "latency alert")
    tmux.wait_for(lambda s: "p99 latency alert" in s and "Worker pool" not in s)
    tmux.keys("Enter")
    # A person's second Enter comes after the focus has moved to the list.
    time.sleep(0.5)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "› alerts" not in s and "service health" in s)

    tmux.keys("A")
    tmux.wait_for(lambda s: "Note (what you are doing about it)" in s)
    tmux.keys("-l", "rolling back checkout")
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "· ACK" in s)
    assert "rolling bac" in screen  # the tile crops the note to its width

    tmux.keys("m")
    tmux.wait_for(lambda s: "Add a note at this moment" in s)
    tmux.keys("-l", "rolled back to v41")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "note added" in s)

    tmux.keys("t")
    screen = tmux.wait_for(lambda s: "› timeline" in s and "v41" in s)
    assert "p99 latency alert acknowledged" in screen
    assert "firing" in screen
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "› timeline" not in s)
    tmux.keys("q")
    tmux.wait_dead(5)

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [str(WATCHDECK), "timeline", "--since", "1h"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "rolled back to v41" in result.stdout
    assert "p99 latency alert acknowledged" in result.stdout

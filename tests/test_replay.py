"""Replaying a recording: recorded time, the feeder, the keys and the command."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from console.cli import main
from console.clock import ManualClock
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import LoadedProfile, load_profile
from console.recording import RecordingHeader, RecordingStore, RecordingWriter
from console.replay import ReplayClock, load_recording
from console.results import SeriesResult
from screens.app import WatchdeckApp
from screens.replay_app import ReplayApp
from tests.pilot_support import wait_for_data
from widgets.status_header import StatusHeader


class FakeMonotonic:
    """Real time as a test sets it: replays run without waiting."""

    def __init__(self) -> None:
        self.value = 0.0

    def __call__(self) -> float:
        return self.value


Held = dict[str, tuple[dict[str, list[tuple[float, float]]], float | None]]
"""Each query's series and last success, as a live store held them."""


async def _record_demo(path: Path, clock: ManualClock) -> Held:
    """Record a short demo session; returns what the live store held at the end."""
    demo = shipped_profiles_dir() / "demo.yaml"
    writer = RecordingWriter(path, RecordingHeader(str(demo), {}, clock.now()))
    app = WatchdeckApp(load_profile(demo), clock=clock, store=RecordingStore(writer))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        for _ in range(4):
            clock.advance(5)
            app.poller.refresh_now()
            await pilot.pause(0.3)
        writer.flush()
        live: Held = {
            s.key: ({n: list(b) for n, b in s.series.items()}, s.last_success)
            for s in app.store
        }
    writer.close()
    return live


@pytest.fixture
async def demo_recording(tmp_path: Path, frozen_clock: ManualClock) -> Path:
    path = tmp_path / "demo.wdrec"
    await _record_demo(path, frozen_clock)
    return path


def test_the_clock_runs_at_its_speed_and_stands_still_when_paused() -> None:
    real = FakeMonotonic()
    clock = ReplayClock(1000.0, speed=4, monotonic=real)
    real.value = 2.0
    assert clock.now() == 1008.0
    clock.pause()
    real.value = 50.0
    assert clock.now() == 1008.0
    clock.resume()
    real.value = 51.0
    assert clock.now() == 1012.0
    assert clock.set_speed(1000) == 64
    clock.seek(900.0)
    assert clock.now() == 900.0


async def test_a_replay_holds_the_recorded_samples_at_their_times(
    tmp_path: Path, frozen_clock: ManualClock
) -> None:
    path = tmp_path / "demo.wdrec"
    live = await _record_demo(path, frozen_clock)
    recording = load_recording(path)
    real = FakeMonotonic()
    clock = ReplayClock(recording.first, monotonic=real)
    app = ReplayApp(
        load_profile(Path(recording.header.profile)), recording, clock=clock
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        real.value = recording.last - recording.first + 1
        app.replay_step()
        await pilot.pause(0.2)
        assert clock.paused  # the end of the recording stops the clock
        for key, (series, last_success) in live.items():
            state = app.store.get(key)
            assert state is not None, key
            assert state.last_success == last_success
            for name, points in series.items():
                assert list(state.series[name])[-len(points) :] == points
        assert app.poller.calls == 0
        header = app.screen.query_one(StatusHeader)
        assert header.replay.startswith("REPLAY ") and header.replay_paused


async def test_space_pauses_and_seeking_back_feeds_again(demo_recording: Path) -> None:
    recording = load_recording(demo_recording)
    real = FakeMonotonic()
    clock = ReplayClock(recording.first, monotonic=real)
    app = ReplayApp(
        load_profile(Path(recording.header.profile)), recording, clock=clock
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        real.value = 12.0
        await pilot.press("space")
        assert clock.paused
        held = clock.now()
        real.value = 100.0
        assert clock.now() == held
        newest = max(s.last_success or 0 for s in app.store)
        assert newest > recording.first
        await pilot.press("comma")  # a minute back: before the first sample
        assert clock.now() == recording.first
        assert all(
            s.last_success is None or s.last_success <= recording.first
            for s in app.store
        )
        # Fed again up to the new time, not merely emptied.
        assert any(s.last_success == recording.first for s in app.store)
        await pilot.press("full_stop")
        assert clock.now() == recording.last
        assert max(s.last_success or 0 for s in app.store) == recording.last
        await pilot.press("less_than_sign")
        assert clock.now() == recording.first
        await pilot.press("greater_than_sign")
        assert clock.now() == recording.last
        await pilot.press("asterisk")
        assert clock.speed == 2
        await pilot.press("backslash", "backslash")
        assert clock.speed == 0.5
        for _ in range(8):
            await pilot.press("asterisk")
        assert clock.speed == 64
        await pilot.press("space")
        assert not clock.paused


@pytest.mark.parametrize("key", ["A", "U", "m", "b", "f"])
async def test_writing_keys_write_nothing(demo_recording: Path, key: str) -> None:
    recording = load_recording(demo_recording)
    app = ReplayApp(load_profile(Path(recording.header.profile)), recording)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        await pilot.press(key)
        await pilot.pause(0.1)
        messages = [str(n.message) for n in app._notifications]
        assert "replay: nothing is written" in messages
        assert len(app.screen_stack) == 2  # no prompt opened over the dashboard
        assert app.state_store.annotations(since=0) == []


CLOSED_PORT_PROFILE = """
profile: closed
title: Closed
sources:
  api:
    type: http
    base_url: http://127.0.0.1:1
dashboards:
  - id: main
    title: Main
    panels:
      - id: a
        title: A
        type: single_value
        at: {x: 0, y: 0, w: 6, h: 4}
        query: {source: api, path: /x}
"""


async def test_a_replay_never_asks_its_sources(tmp_path: Path) -> None:
    # Port 1 on loopback is closed: a call would fail and mark the query failing.
    profile_path = tmp_path / "closed.yaml"
    profile_path.write_text(CLOSED_PORT_PROFILE)
    loaded = load_profile(profile_path)
    keys = await _demanded_keys(loaded)
    path = tmp_path / "closed.wdrec"
    writer = RecordingWriter(path, RecordingHeader(str(profile_path), {}, 100.0))
    for step in range(3):
        for key in keys:
            t = 100.0 + 5 * step
            writer.sample(key, SeriesResult({"x": [(t, 40.0 + step)]}), t)
    writer.close()
    recording = load_recording(path)
    real = FakeMonotonic()
    clock = ReplayClock(recording.first, monotonic=real)
    app = ReplayApp(loaded, recording, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        real.value = 11.0
        app.replay_step()
        await pilot.pause(0.2)
        for key in keys:
            state = app.store.get(key)
            assert state is not None and state.last_error is None
            assert list(state.series["x"])[-1] == (110.0, 42.0)
        assert app.poller.calls == 0


async def _demanded_keys(loaded: LoadedProfile) -> list[str]:
    app = WatchdeckApp(loaded, poll=False, clock=ManualClock(100.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        return [state.key for state in app.store]


def test_replay_of_a_missing_or_corrupt_file_says_so_in_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt.wdrec"
    corrupt.write_bytes(b"this is no gzip")
    junk = tmp_path / "junk.wdrec"
    junk.write_bytes(gzip.compress(b"{not json\n"))
    moved = tmp_path / "moved.wdrec"
    writer = RecordingWriter(moved, RecordingHeader(str(tmp_path / "gone.yaml"), {}, 1))
    writer.sample("q", SeriesResult({"s": [(1.0, 1.0)]}), 1.0)
    writer.close()
    for path in (tmp_path / "missing.wdrec", corrupt, junk, moved):
        assert main(["replay", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.err.count("\n") == 1, captured.err
        assert str(path.name) in captured.err or "gone.yaml" in captured.err


def test_check_with_bad_arguments_is_unknown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--format", "xml", "--profile", "demo"]) == 3
    assert main(["check", "--no-such-option", "--profile", "demo"]) == 3
    assert "usage" in capsys.readouterr().err


def test_check_into_a_closed_pipe_exits_quietly() -> None:
    demo = shipped_profiles_dir() / "demo.yaml"
    code = "from console.cli import main; raise SystemExit(main())"
    command = [sys.executable, "-c", code, "check", "--format", "json"]
    process = subprocess.Popen(
        [*command, "--wait", "5", "--profile", str(demo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the report is written
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 1, 2, 3)
    assert "BrokenPipe" not in error and "Traceback" not in error, error


async def test_alert_changes_are_recorded_and_replayed_to_the_timeline(
    tmp_path: Path, frozen_clock: ManualClock
) -> None:
    demo = shipped_profiles_dir() / "demo.yaml"
    path = tmp_path / "incident.wdrec"
    writer = RecordingWriter(path, RecordingHeader(str(demo), {}, frozen_clock.now()))
    app = WatchdeckApp(
        load_profile(demo), clock=frozen_clock, store=RecordingStore(writer)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        for _ in range(40):  # past the demo's scripted incident at 15 s
            frozen_clock.advance(5)
            app.poller.refresh_now()
            await pilot.pause(0.1)
        live = app.state_store.alert_changes(since=0)
        writer.flush()
    writer.close()
    assert live, "the demo's incident raised no alert"
    recording = load_recording(path)
    recorded = [e for e in recording.events if e["k"] == "alert"]
    assert [(e["alert_key"], e["state"]) for e in recorded] == [
        (c.alert_key, c.state) for c in live
    ]
    real = FakeMonotonic()
    clock = ReplayClock(recording.first, monotonic=real)
    replay = ReplayApp(load_profile(demo), recording, clock=clock)
    async with replay.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        real.value = recording.last - recording.first + 1
        replay.replay_step()
        await pilot.pause(0.2)
        replayed = replay.state_store.alert_changes(since=0)
        assert [(c.alert_key, c.state, c.at) for c in replayed] == [
            (c.alert_key, c.state, c.at) for c in live
        ]


def test_replay_refuses_a_bad_speed_or_size(
    demo_recording: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(demo_recording), "--speed", "0"]) == 2
    assert main(["replay", str(demo_recording), "--size", "wide"]) == 2
    err = capsys.readouterr().err
    assert "--speed wants" in err and "--size wants" in err

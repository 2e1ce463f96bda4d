"""Recording a session: every answer the store keeps, readable after a crash."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from console.clock import ManualClock
from console.profile_loader import LoadedProfile
from console.recording import (
    RecordingHeader,
    RecordingStore,
    RecordingWriter,
    read_recording,
    result_of,
)
from console.results import FetchFailure, SeriesResult, TableResult
from console.store import Store
from screens.app import WatchdeckApp
from tests.pilot_support import wait_for_data


def test_answers_written_are_read_back_alike(tmp_path: Path) -> None:
    path = tmp_path / "session.wdrec"
    writer = RecordingWriter(path, RecordingHeader("demo.yaml", {"a": "b"}, 10.0))
    store = RecordingStore(writer)
    store.ensure("q", 5.0, 100)
    store.record("q", SeriesResult({"s": [(1.0, 2.0), (2.0, 3.5)]}), 11.0)
    store.record("q", TableResult(["c"], [("x",)]), 12.0)
    store.record_failure("q", FetchFailure("boom"), 13.0)
    store.record("unwanted", SeriesResult({"s": [(1.0, 1.0)]}), 14.0)
    writer.flush()
    # Not closed: a crash after the flush still leaves a readable file.
    assert os.stat(path).st_mode & 0o777 == 0o600
    lines = list(read_recording(path))
    assert lines[0]["k"] == "header" and lines[0]["profile"] == "demo.yaml"
    assert [line["k"] for line in lines[1:]] == ["sample", "sample", "failure"]
    assert result_of(lines[1]) == SeriesResult({"s": [(1.0, 2.0), (2.0, 3.5)]})
    assert result_of(lines[2]) == TableResult(["c"], [("x",)])
    assert lines[3]["reason"] == "boom" and lines[3]["t"] == 13.0
    writer.close()


def test_recording_stops_at_its_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "capped.wdrec"
    writer = RecordingWriter(path, RecordingHeader("p", {}, 0.0), max_bytes=2000)
    big = SeriesResult(
        {f"s{i}": [(float(t), t * 1.37) for t in range(50)] for i in range(20)}
    )
    for step in range(50):
        writer.sample("q", big, float(step))
        if not writer.flush():
            break
    assert writer.full
    size = path.stat().st_size
    writer.sample("q", big, 99.0)
    assert path.stat().st_size == size
    with gzip.open(path, "rt") as stream:
        assert stream.readline().startswith('{"k":"header"')


async def test_a_demo_session_replays_into_the_same_samples(
    tmp_path: Path, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    path = tmp_path / "demo.wdrec"
    writer = RecordingWriter(path, RecordingHeader("demo", {}, frozen_clock.now()))
    app = WatchdeckApp(demo_profile, clock=frozen_clock, store=RecordingStore(writer))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        for _ in range(3):
            frozen_clock.advance(5)
            app.poller.refresh_now()
            await pilot.pause(0.3)
        writer.flush()
        live = {s.key: {n: list(b) for n, b in s.series.items()} for s in app.store}
    writer.close()

    replayed = Store()
    for line in read_recording(path):
        if line["k"] == "sample":
            replayed.ensure(line["key"], 5.0, 2000)
            replayed.record(line["key"], result_of(line), line["t"])
    for key, series in live.items():
        state = replayed.get(key)
        assert state is not None, key
        # The live ring is sized to the panel; the replayed one keeps more, so the
        # live samples are the newest of the replayed ones, at the same times.
        assert set(state.series) == set(series)
        for name, points in series.items():
            assert points
            assert list(state.series[name])[-len(points) :] == points

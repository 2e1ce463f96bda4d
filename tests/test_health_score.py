"""The health score: weighted panel states, unknowns left out, a bounded trend."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.clock import ManualClock
from console.evaluation import PanelState
from console.health import HealthHistory, health_status, score_panels
from console.problems import ProfileError
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import load_profile
from console.profile_schema import Panel
from screens.app import WatchdeckApp
from tests.pilot_support import wait_for_data
from widgets.panel import PanelView

OK, WARN, CRIT = PanelState.OK, PanelState.WARNING, PanelState.CRITICAL
TITLES = {"a": "Alpha", "b": "Beta", "c": "Gamma"}


def test_all_ok_scores_100_and_nobody_is_worst() -> None:
    health = score_panels({"a": 1, "b": 2}, {"a": OK, "b": OK}, TITLES)
    assert health.score == 100
    assert health.worst(3) == []
    assert health.unknown == []


def test_weights_decide_the_score_and_the_worst() -> None:
    health = score_panels(
        {"a": 3, "b": 1, "c": 1}, {"a": WARN, "b": CRIT, "c": OK}, TITLES
    )
    # (3 * 50 + 1 * 0 + 1 * 100) / 5
    assert health.score == pytest.approx(50.0)
    worst = health.worst(3)
    assert [c.panel_id for c in worst] == ["a", "b"]
    assert worst[0].lost == pytest.approx(30.0)
    assert worst[1].lost == pytest.approx(20.0)
    assert sum(c.lost for c in health.contributions) == pytest.approx(50.0)


def test_unknown_panels_are_left_out_and_listed() -> None:
    health = score_panels(
        {"a": 1, "b": 1, "c": 5},
        {"a": OK, "b": CRIT, "c": PanelState.ERROR},
        TITLES,
    )
    assert health.score == pytest.approx(50.0)
    assert [c.title for c in health.unknown] == ["Gamma"]
    nothing = score_panels({"a": 1}, {}, TITLES)
    assert nothing.score is None
    assert [c.state for c in nothing.unknown] == [PanelState.NO_DATA]


def test_the_panel_thresholds_judge_the_score() -> None:
    panel = Panel.model_validate(
        {
            "id": "h",
            "title": "Health",
            "type": "health_score",
            "at": {"x": 0, "y": 0, "w": 3, "h": 8},
            "health": {"panels": {"a": 1, "b": 1}},
            "thresholds": {"warning": 90, "critical": 60, "direction": "below"},
        }
    )
    status = health_status(
        panel, score_panels({"a": 1, "b": 1}, {"a": OK, "b": WARN}, TITLES)
    )
    assert status.state is PanelState.WARNING
    assert status.value == 75
    assert status.reason == "worst: Beta (WARN)"
    blind = health_status(panel, score_panels({"a": 1}, {}, TITLES))
    assert blind.state is PanelState.NO_DATA


def test_history_is_bounded_and_measures_the_change(frozen_clock: ManualClock) -> None:
    history = HealthHistory(keep=600.0, step=10.0)
    start = frozen_clock.now()
    for second in range(0, 3600, 2):
        frozen_clock.set(start + second)
        history.add(frozen_clock.now(), 100.0 if second < 3300 else 40.0)
    points = history.points()
    # One sample per 10 s over 10 minutes, whatever the rate of updates.
    assert len(points) <= 62
    assert points[0][0] >= frozen_clock.now() - 600.0
    assert history.change() == pytest.approx(-60.0)
    frozen_clock.set(start)
    history.add(frozen_clock.now(), 90.0)
    assert history.points() == [(start, 90.0)]


def test_a_score_of_unknown_panels_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "profile: p\ntitle: P\nsources: {t: {type: testdata}}\ndashboards:\n"
        "  - id: d\n    title: D\n    panels:\n"
        "      - {id: v, title: V, type: single_value, at: {x: 0, y: 0, w: 2, h: 4},"
        " query: {source: t}}\n"
        "      - id: h\n        title: H\n        type: health_score\n"
        "        at: {x: 2, y: 0, w: 2, h: 4}\n"
        "        health:\n          panels: {v: 1, nope: 2, h: 1}\n"
    )
    with pytest.raises(ProfileError) as raised:
        load_profile(path)
    text = str(raised.value)
    assert f"{path}:14:26: health score weighs unknown panel 'nope'" in text
    assert f"{path}:14:35: a health score cannot weigh itself" in text


async def test_the_executive_score_follows_the_incident(
    frozen_clock: ManualClock,
) -> None:
    loaded = load_profile(shipped_profiles_dir() / "executive.yaml")
    app = WatchdeckApp(loaded, clock=frozen_clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause(0.3)
        health = app.screen.query_one("#panel-health", PanelView)
        assert health.data.health is not None
        assert health.data.health.score == 100
        assert health.state is PanelState.OK
        for _ in range(6):
            frozen_clock.advance(20)
            app.poller.refresh_now()
            await pilot.pause(0.4)
        assert health.data.health.score is not None
        assert health.data.health.score < 90
        assert health.state is not PanelState.OK
        assert health.data.health.worst(3)
        history = health.data.health_history
        assert history is not None and history.change() is not None
        assert history.change() < 0

"""Range arithmetic and the drill path: zoom steps, panning, live, panel ranges."""

from __future__ import annotations

import pytest

from console.navigation_state import (
    RANGE_STEPS,
    NavigationState,
    describe_end,
    matches_filter,
    pan,
    zoom_in,
    zoom_out,
)
from console.profile_schema import Dashboard

NOW = 1_800_000_000.0
HOUR = 3600.0


def dashboard(range_: str = "1h") -> Dashboard:
    return Dashboard.model_validate(
        {
            "id": "d",
            "title": "D",
            "range": range_,
            "panels": [
                {
                    "id": "own",
                    "title": "Own range",
                    "type": "text",
                    "text": "x",
                    "range": "7d",
                    "at": {"x": 0, "y": 0, "w": 6, "h": 4},
                },
                {
                    "id": "plain",
                    "title": "Plain",
                    "type": "text",
                    "text": "x",
                    "at": {"x": 6, "y": 0, "w": 6, "h": 4},
                },
            ],
        }
    )


@pytest.mark.parametrize(
    ("current", "shorter", "longer"),
    [
        (900.0, 900.0, 3600.0),
        (3600.0, 900.0, 10800.0),
        (10800.0, 3600.0, 43200.0),
        (86400.0, 43200.0, 604800.0),
        (604800.0, 86400.0, 604800.0),
        # A range between the steps goes to the neighbouring step.
        (1800.0, 900.0, 3600.0),
        (300.0, 900.0, 900.0),
        (30 * 86400.0, 604800.0, 604800.0),
    ],
)
def test_zoom_walks_the_steps_and_stops_at_the_ends(
    current: float, shorter: float, longer: float
) -> None:
    assert zoom_in(current) == shorter
    assert zoom_out(current) == longer


def test_the_steps_are_the_ones_the_issue_names() -> None:
    assert RANGE_STEPS == (900, 3600, 3 * HOUR, 12 * HOUR, 24 * HOUR, 7 * 24 * HOUR)


def test_pan_back_moves_half_a_range_from_now_then_from_the_edge() -> None:
    first = pan(HOUR, None, NOW, -1)
    assert first == NOW - HOUR / 2
    assert pan(HOUR, first, NOW, -1) == NOW - HOUR


def test_pan_forward_up_to_now_is_live_again() -> None:
    assert pan(HOUR, NOW - HOUR, NOW, 1) == NOW - HOUR / 2
    assert pan(HOUR, NOW - HOUR / 2, NOW, 1) is None
    assert pan(HOUR, None, NOW, 1) is None


def test_a_panel_with_its_own_range_keeps_it_through_zooming() -> None:
    board = dashboard("1h")
    own, plain = board.panels
    state = NavigationState()
    assert state.panel_range(board, plain) == HOUR
    state.range = 12 * HOUR
    assert state.panel_range(board, plain) == 12 * HOUR
    assert state.panel_range(board, own) == 7 * 24 * HOUR
    state.panel_ranges["d/own"] = 900.0
    assert state.panel_range(board, own) == 900.0


def test_the_window_ends_now_while_live() -> None:
    state = NavigationState()
    assert state.live and state.window_end(NOW) == NOW
    state.range_end = NOW - 60
    assert not state.live and state.window_end(NOW) == NOW - 60


def test_drill_path_grows_by_links_and_restarts_on_a_direct_choice() -> None:
    state = NavigationState()
    state.enter("service", {"service": "checkout"})
    state.follow("latency", {"service": "payments"})
    state.filter = "p99"
    assert [step[0] for step in state.drill_path] == ["service", "latency"]
    assert state.back() == ("service", {"service": "checkout"})
    assert state.filter == ""
    assert state.back() is None
    assert state.drill_path == [("service", {"service": "checkout"})]
    state.follow("latency", {})
    state.enter("host", {})
    assert state.drill_path == [("host", {})]


def test_describe_end_gives_the_clock_and_how_far_back() -> None:
    # conftest fixes the zone at UTC; NOW is 08:00.
    assert describe_end(NOW - HOUR, NOW) == "07:00 (-1h)"
    assert describe_end(NOW - 2 * 86400, NOW) == "Jan 13 08:00 (-2d)"


def test_filter_matches_any_case_and_ignores_surrounding_spaces() -> None:
    assert matches_filter("p99 Latency", " latency ")
    assert matches_filter("anything", "")
    assert not matches_filter("Errors", "lat")

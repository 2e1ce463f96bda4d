"""Forecasts on a known slope, on pure noise, and on the ways a fit can be wrong."""

from __future__ import annotations

import random

from console.forecast import fit_line, forecast_breach
from console.profile_schema import Thresholds

NOW = 1_800_000_000.0


def ramp(
    slope_per_minute: float, start: float, minutes: int = 30
) -> list[tuple[float, float]]:
    return [
        (NOW - (minutes - i) * 60.0, start + slope_per_minute * i)
        for i in range(minutes + 1)
    ]


def test_a_known_slope_is_fitted_exactly() -> None:
    line = fit_line(ramp(2.0, 100.0))
    assert line is not None
    assert abs(line.slope - 2.0 / 60.0) < 1e-9
    assert line.r_squared > 0.999


def test_a_rising_series_forecasts_the_critical_crossing() -> None:
    # 2 per minute from 100, at 160 now; critical 200 is 20 minutes away.
    forecast = forecast_breach(
        ramp(2.0, 100.0),
        Thresholds(warning=150, critical=200),
        now=NOW,
        lookahead=3600,
    )
    assert forecast.verdict == "crossing"
    assert forecast.seconds is not None and abs(forecast.seconds - 1200) < 1
    assert forecast.text == "critical in ~20m"


def test_a_crossing_beyond_the_lookahead_is_not_shown() -> None:
    forecast = forecast_breach(
        ramp(2.0, 100.0), Thresholds(critical=200), now=NOW, lookahead=600
    )
    assert forecast.verdict == "clear"
    assert forecast.text == ""


def test_a_falling_series_with_direction_below() -> None:
    forecast = forecast_breach(
        ramp(-1.0, 90.0),
        Thresholds(warning=40, critical=20, direction="below"),
        now=NOW,
        lookahead=7200,
    )
    # 60 now, falling 1 per minute: 20 is 40 minutes away.
    assert forecast.verdict == "crossing"
    assert forecast.seconds is not None and abs(forecast.seconds - 2400) < 1


def test_pure_noise_gives_no_forecast() -> None:
    noise = random.Random(5)
    points = [(NOW - 1800 + i * 60.0, 100 + noise.gauss(0, 10)) for i in range(31)]
    forecast = forecast_breach(
        points, Thresholds(critical=200), now=NOW, lookahead=3600
    )
    assert forecast.verdict == "unsure"
    assert forecast.text == "no forecast"


def test_too_few_points_give_no_forecast_and_flat_is_clear() -> None:
    few = ramp(2.0, 100.0)[-3:]
    assert (
        forecast_breach(few, Thresholds(critical=200), now=NOW, lookahead=3600).text
        == "no forecast"
    )
    flat = [(NOW - i * 60.0, 50.0) for i in range(20)]
    assert (
        forecast_breach(flat, Thresholds(critical=200), now=NOW, lookahead=3600).verdict
        == "clear"
    )


def test_a_level_already_breached_is_not_forecast() -> None:
    forecast = forecast_breach(
        ramp(2.0, 300.0), Thresholds(critical=200), now=NOW, lookahead=3600
    )
    assert forecast.verdict == "clear"

"""Number formatting for display and nice axis scales."""

from __future__ import annotations

import math

import pytest

from widgets.drawing.number_format import (
    NO_VALUE,
    axis_ticks,
    format_axis_labels,
    format_parts,
    format_value,
    nice_scale,
)


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (0, "", None, "0"),
        (42, "", None, "42"),
        (3.14159, "", None, "3.14"),
        (0.1234, "", None, "0.123"),
        (1234, "", None, "1.23k"),
        (1234, "", 1, "1.2k"),
        (3_400_000, "", 1, "3.4M"),
        (5.6e9, "", 1, "5.6G"),
        (-1500, "", 1, "-1.5k"),
        (999.96, "", 1, "1.0k"),
        (12, "", 1, "12.0"),
        (42, "req/s", None, "42 req/s"),
        (1234, "req/s", 1, "1.2k req/s"),
        (12.5, "%", None, "12.5%"),
        (12.5, "%", 0, "12%"),
        (512, "B", None, "512 B"),
        (1536, "B", None, "1.5 KiB"),
        (1536, "bytes", 1, "1.5 KiB"),
        (3.5 * 1024**2, "B/s", 1, "3.5 MiB/s"),
        (5 * 1024**3, "B", 0, "5 GiB"),
        (0.25, "s", None, "250 ms"),
        (2500, "ms", None, "2.5 s"),
        (0.0005, "ms", None, "500 ns"),
        (-0.0001, "", 2, "0.00"),
        (None, "ms", None, NO_VALUE),
        (math.nan, "", 1, NO_VALUE),
        (math.inf, "%", None, "∞%"),
    ],
)
def test_format_value(
    value: float | None, unit: str, decimals: int | None, expected: str
) -> None:
    assert format_value(value, unit, decimals) == expected


def test_format_parts_separates_the_unit_from_the_number() -> None:
    assert format_parts(1234, "req/s", 1) == ("1.2k", " req/s")
    assert format_parts(1536, "B", 1) == ("1.5", " KiB")
    assert format_parts(87.5, "%", 1) == ("87.5", "%")


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [
        (0, 97, 5),
        (201, 219, 5),
        (-3, 7, 4),
        (0.001, 0.0013, 5),
        (5, 5, 5),
        (0, 0, 3),
        (12_345, 98_765_432, 6),
        (-50, -10, 3),
    ],
)
def test_nice_scale_covers_the_data_with_a_round_step(
    lo: float, hi: float, ticks: int
) -> None:
    low, high, step = nice_scale(lo, hi, ticks)
    assert low <= lo and high >= hi and high > low
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))
    assert len(axis_ticks(low, high, step)) <= ticks
    assert math.isclose(low / step, round(low / step), abs_tol=1e-6)


def test_nice_scale_does_not_move_with_small_changes() -> None:
    base = nice_scale(203.0, 217.0, 5)
    for hi in (215.2, 218.0, 219.9, 220.0):
        assert nice_scale(201.0, hi, 5) == base


def test_nice_scale_counts_bytes_in_binary_steps() -> None:
    low, high, step = nice_scale(0, 1e9, 6, unit="B")
    assert step % 1024**2 == 0
    labels = format_axis_labels(axis_ticks(low, high, step), step, "B")
    assert labels[1] == "200 MiB"


def test_axis_labels_share_prefix_and_precision() -> None:
    assert format_axis_labels([0, 500, 1000, 1500], 500, "") == [
        "0",
        "0.5k",
        "1.0k",
        "1.5k",
    ]
    labels = format_axis_labels([1.230, 1.232, 1.234], 0.002, "")
    assert len(set(labels)) == 3
    assert format_axis_labels([0, 0.5, 1.0], 0.5, "s") == ["0", "0.5 s", "1.0 s"]
    assert format_axis_labels([0, 0.25, 0.5], 0.25, "s") == ["0", "250 ms", "500 ms"]

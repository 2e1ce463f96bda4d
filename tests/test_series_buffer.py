"""The compact series buffer behaves as a bounded, oldest-first sequence of samples."""

from __future__ import annotations

import pytest

from console.series_buffer import SeriesBuffer


def test_it_keeps_the_newest_samples_up_to_its_capacity() -> None:
    buffer = SeriesBuffer(3, [(1.0, 10.0), (2.0, 20.0)])
    buffer.extend([(3.0, 30.0), (4.0, 40.0), (5.0, 50.0)])
    assert list(buffer) == [(3.0, 30.0), (4.0, 40.0), (5.0, 50.0)]
    assert len(buffer) == 3 and buffer.newest_time() == 5.0


def test_indexing_and_slices_follow_sequence_rules() -> None:
    buffer = SeriesBuffer(4, [(float(t), float(t * t)) for t in range(10)])
    assert buffer[0] == (6.0, 36.0) and buffer[-1] == (9.0, 81.0)
    assert buffer[1:3] == [(7.0, 49.0), (8.0, 64.0)]
    assert buffer[::-2] == [(9.0, 81.0), (7.0, 49.0)]
    with pytest.raises(IndexError):
        buffer[4]
    with pytest.raises(IndexError):
        buffer[-5]


def test_many_appends_keep_the_arrays_within_twice_the_capacity() -> None:
    buffer = SeriesBuffer(100)
    for t in range(10_000):
        buffer.extend([(float(t), 1.0)])
        assert len(buffer._times) <= 200
    assert buffer[0][0] == 9_900.0 and len(buffer) == 100


def test_an_empty_buffer_is_false_and_has_no_newest_time() -> None:
    buffer = SeriesBuffer(5)
    assert not buffer and buffer.newest_time() is None and list(buffer) == []


def test_resizing_keeps_the_newest_samples() -> None:
    buffer = SeriesBuffer(10, [(float(t), 0.0) for t in range(10)])
    smaller = buffer.resized(3)
    assert [t for t, _ in smaller] == [7.0, 8.0, 9.0]
    assert len(buffer) == 10


def test_nan_values_survive_as_gaps() -> None:
    buffer = SeriesBuffer(2, [(1.0, float("nan"))])
    assert buffer[0][1] != buffer[0][1]

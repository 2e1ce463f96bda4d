"""Placing panels: the grid as drawn on wide terminals, reflowed in reading order
on narrow ones, never overlapping."""

from __future__ import annotations

from itertools import combinations

from widgets.grid_placement import Box, GridCell, place_panels

CELLS = [
    GridCell(0, 0, 6, 4),
    GridCell(6, 0, 6, 4),
    GridCell(0, 4, 12, 6),
    GridCell(0, 10, 4, 3),
    GridCell(4, 10, 8, 3),
]


def overlaps(a: Box, b: Box) -> bool:
    return not (
        a.x + a.width <= b.x
        or b.x + b.width <= a.x
        or a.y + a.height <= b.y
        or b.y + b.height <= a.y
    )


def test_wide_terminal_uses_the_grid_and_stretches_to_fill() -> None:
    boxes = place_panels(CELLS, 160, 46)
    assert boxes[0] == Box(0, 0, 80, boxes[0].height)
    assert boxes[1].x == 80 and boxes[1].width == 80
    assert boxes[2].width == 160
    assert max(b.y + b.height for b in boxes) <= 46
    assert max(b.y + b.height for b in boxes) >= 40, "rows stretch to use the room"
    assert not any(overlaps(a, b) for a, b in combinations(boxes, 2))


def test_short_terminal_keeps_one_line_per_row_and_scrolls() -> None:
    boxes = place_panels(CELLS, 160, 5)
    assert max(b.y + b.height for b in boxes) == 13


def test_narrow_terminal_reflows_into_two_columns_in_reading_order() -> None:
    boxes = place_panels(CELLS, 80, 22)
    assert boxes[0].x == 0 and boxes[1].x == 40, "first row: two halves"
    assert place_panels(CELLS, 79, 22)[1].x > 0, "a scrollbar keeps two columns"
    assert boxes[2].width == 80, "a full-width panel keeps its row"
    assert boxes[4].y > boxes[3].y, "two thirds of the grid wide keeps its own row"
    assert boxes[3].width == 80, "a panel alone in its row takes the room left"
    assert not any(overlaps(a, b) for a, b in combinations(boxes, 2))
    assert all(b.x + b.width <= 80 for b in boxes)


def test_very_narrow_terminal_stacks_panels() -> None:
    boxes = place_panels(CELLS, 50, 22)
    assert all(b.x == 0 and b.width == 50 for b in boxes)
    tops = [b.y for b in boxes]
    assert tops == sorted(tops)


def test_reflowed_panels_get_their_minimum_height() -> None:
    boxes = place_panels([GridCell(0, 0, 6, 1, min_height=5)], 80, 24)
    assert boxes[0].height == 5

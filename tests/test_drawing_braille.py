"""The braille canvas: dots, lines and the colour of each cell."""

from __future__ import annotations

from rich.style import Style

from widgets.drawing.braille import BrailleCanvas
from widgets.drawing.cell_grid import CellGrid

RED = Style(bold=True)
BLUE = Style(italic=True)


def _render(canvas: BrailleCanvas) -> list[str]:
    grid = CellGrid(canvas.width, canvas.height)
    canvas.draw_onto(grid, 0, 0)
    return [strip.text for strip in grid.strips()]


def test_each_dot_has_its_own_bit() -> None:
    canvas = BrailleCanvas(1, 1)
    canvas.set(0, 0, None)
    assert _render(canvas) == ["⠁"]
    for x in range(2):
        for y in range(4):
            canvas.set(x, y, None)
    assert _render(canvas) == ["⣿"]


def test_dots_outside_are_ignored() -> None:
    canvas = BrailleCanvas(2, 1)
    canvas.set(-1, 0, None)
    canvas.set(4, 0, None)
    canvas.set(0, 4, None)
    assert _render(canvas) == ["  "]


def test_line_reaches_both_ends() -> None:
    canvas = BrailleCanvas(4, 2)
    canvas.line(0, 7, 7, 0, None)
    assert canvas.is_set(0, 7) and canvas.is_set(7, 0)
    assert sum(canvas.is_set(x, y) for x in range(8) for y in range(8)) == 8


def test_horizontal_dashes_are_counted_in_cells() -> None:
    canvas = BrailleCanvas(6, 1)
    canvas.hline(1, 0, 11, None, dash=(1, 1))
    assert _render(canvas) == ["⠂ ⠂ ⠂ ".replace("⠂", "⠒")]


def test_last_writer_colours_the_cell() -> None:
    canvas = BrailleCanvas(1, 1)
    canvas.set(0, 0, RED)
    canvas.set(1, 3, BLUE)
    grid = CellGrid(1, 1)
    canvas.draw_onto(grid, 0, 0)
    (segment,) = list(grid.strips()[0])
    assert segment.style == BLUE
    assert segment.text == "⢁"

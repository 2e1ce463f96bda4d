"""The scrolling area that holds a dashboard's panels where the grid puts them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import ScrollableContainer
from textual.geometry import NULL_OFFSET, NULL_SPACING, Region, Size
from textual.layout import ArrangeResult, Layout, WidgetPlacement
from textual.layouts.factory import LAYOUT_MAP

from widgets.grid_placement import GridCell, place_panels

if TYPE_CHECKING:
    from textual.widget import Widget


class GridPlaced:
    """Mixin for widgets that know their place on the 12-column grid."""

    grid_cell: GridCell


class PanelGridLayout(Layout):
    """Places each child at the box `place_panels` gives for its grid cell."""

    name = "watchdeck-grid"

    def arrange(
        self, parent: Widget, children: list[Widget], size: Size, greedy: bool = True
    ) -> ArrangeResult:
        parent.pre_layout(self)
        placed = [child for child in children if isinstance(child, GridPlaced)]
        cells = [child.grid_cell for child in placed]
        boxes = place_panels(cells, size.width, size.height)
        return [
            WidgetPlacement(
                Region(box.x, box.y, box.width, box.height),
                NULL_OFFSET,
                NULL_SPACING,
                child,
            )
            for child, box in zip(placed, boxes, strict=True)
        ]


# Textual looks layouts up by name; registering ours lets CSS and styles name it.
LAYOUT_MAP.setdefault(PanelGridLayout.name, PanelGridLayout)


class PanelGrid(ScrollableContainer, can_focus=False):
    """The dashboard's panels, laid out on the grid; scrolls when they overflow."""

    DEFAULT_CSS = """
    PanelGrid {
        height: 1fr;
        width: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def on_mount(self) -> None:
        self.styles.layout = PanelGridLayout.name

"""Heatmaps, status boards and alert tiles."""

from __future__ import annotations

import re

from textual.app import App
from textual.strip import Strip

from widgets.drawing.heatmap import HeatRow, draw_heatmap
from widgets.drawing.palette import STATE_GLYPHS, Palette
from widgets.drawing.state_tiles import Tile, draw_alert_tile, draw_status_board

PALETTE = Palette.from_theme_variables(App[None]().get_css_variables())
MONO = Palette.monochrome()
END = 1_800_000_000.0
START = END - 3600


def _text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def _ramp_rows() -> list[HeatRow]:
    ramp = [(START + i * 60, float(i)) for i in range(61)]
    return [HeatRow("up", ramp), HeatRow("flat", [(t, 30.0) for t, _ in ramp])]


def test_heatmap_shades_through_the_ramp() -> None:
    strips = draw_heatmap(
        _ramp_rows(), start=START, end=END, width=40, height=4, palette=PALETTE
    )
    up = [seg.style for seg in strips[0] for _ in seg.text][5:]
    ramp = [PALETTE.heat.index(style) for style in up if style in PALETTE.heat]
    assert ramp == sorted(ramp) and ramp[0] == 0 and ramp[-1] == len(PALETTE.heat) - 1
    assert _text(strips[0]).startswith("up ")
    assert re.search(r"\d\d:\d\d", _text(strips[2]))
    assert _text(strips[3]).lstrip().startswith("0 ")


def test_heatmap_in_monochrome_uses_shades() -> None:
    strips = draw_heatmap(
        _ramp_rows(), start=START, end=END, width=40, height=3, palette=MONO
    )
    row = _text(strips[0])
    assert "·" in row and "█" in row and "▒" in row


def test_heatmap_counts_rows_without_room() -> None:
    rows = [HeatRow(f"r{i}", [(END - 60, float(i))]) for i in range(6)]
    strips = draw_heatmap(rows, start=START, end=END, width=30, height=4, palette=MONO)
    assert _text(strips[2]).startswith("+4 more")


def test_status_board_tiles_read_without_colour() -> None:
    tiles = [
        Tile("api", "ok", "12 ms"),
        Tile("db", "critical", "CPU 97%"),
        Tile("cache", "warning"),
        Tile("queue", "stale"),
        Tile("s3", "no_data"),
        Tile("fn", "error"),
    ]
    strips = draw_status_board(tiles, width=64, height=7, palette=MONO)
    board = "\n".join(_text(strip) for strip in strips)
    for tile in tiles:
        assert f"{STATE_GLYPHS[tile.state]} {tile.label}" in board
    assert "CPU 97%" in board
    critical = next(seg for seg in strips[0] if "db" in seg.text)
    assert critical.style is not None and critical.style.reverse


def test_status_board_keeps_the_worst_when_full() -> None:
    tiles = [Tile(f"ok-{i}", "ok") for i in range(10)] + [Tile("bad", "critical")]
    strips = draw_status_board(tiles, width=30, height=2, palette=PALETTE)
    board = "\n".join(_text(strip) for strip in strips)
    assert "✖ bad" in board
    assert "+8 more" in board


def test_alert_tile_banner() -> None:
    strips = draw_alert_tile(
        "critical",
        "High 5xx rate on web",
        ["52 errors/min > 50", "since 03:12"],
        width=50,
        height=8,
        palette=PALETTE,
    )
    banner = _text(strips[1])
    assert "✖" in banner and "F I R I N G" in banner and "C R I T I C A L" in banner
    assert all(seg.style is not None and seg.style.reverse for seg in strips[0])
    texts = [_text(strip).strip() for strip in strips]
    assert "High 5xx rate on web" in texts
    assert "since 03:12" in texts


def test_alert_tile_narrow_keeps_the_state_word() -> None:
    strips = draw_alert_tile("ok", "All good", [], width=12, height=2, palette=MONO)
    assert _text(strips[0]).strip() == "●  O K"
    assert _text(strips[1]).strip() == "All good"
    strips = draw_alert_tile("critical", "Disk", [], width=10, height=2, palette=MONO)
    assert _text(strips[0]) == "✖ FIRING …"

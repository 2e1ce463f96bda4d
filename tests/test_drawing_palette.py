"""The palette: styles from any Textual theme, and a monochrome one for NO_COLOR."""

from __future__ import annotations

import pytest
from textual.app import App

from widgets.drawing.palette import (
    STATE_GLYPHS,
    STATE_WORDS,
    STATES,
    Palette,
    Thresholds,
)


def _variables(theme: str) -> dict[str, str]:
    app: App[None] = App()
    app.theme = theme
    return app.get_css_variables()


@pytest.mark.parametrize(
    "theme", ["textual-dark", "textual-light", "ansi-dark", "nord", "monokai"]
)
def test_theme_palette_has_six_distinct_series(theme: str) -> None:
    palette = Palette.from_theme_variables(_variables(theme))
    assert len(palette.series) >= 6
    assert len(set(palette.series)) == len(palette.series)
    assert all(style.color is not None for style in palette.series[:6])
    assert len(palette.heat) == len(palette.heat_glyphs) >= 5


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
def test_theme_palette_tells_states_apart(theme: str) -> None:
    palette = Palette.from_theme_variables(_variables(theme))
    assert len({palette.state(state) for state in STATES}) >= 5
    assert palette.ok.color != palette.critical.color
    assert palette.warning.color != palette.critical.color


def test_theme_colours_follow_the_theme() -> None:
    dark = Palette.from_theme_variables(_variables("textual-dark"))
    nord = Palette.from_theme_variables(_variables("nord"))
    assert dark.series[0] != nord.series[0]
    assert dark.ok != nord.ok


def test_translucent_and_missing_variables_do_not_fail() -> None:
    palette = Palette.from_theme_variables(
        {"foreground": "ansi_default", "foreground-muted": "ansi_default 50%"}
    )
    assert palette.muted.dim
    assert len(palette.series) >= 6
    assert Palette.from_theme_variables({}).text is not None


def test_monochrome_has_no_colour_but_distinct_states() -> None:
    palette = Palette.monochrome()
    styles = [palette.state(state) for state in STATES]
    for style in [*styles, *palette.series, *palette.heat, palette.muted]:
        assert style.color is None and style.bgcolor is None
    assert len({palette.ok, palette.warning, palette.critical, palette.error}) == 4
    assert palette.critical.reverse
    assert len(set(palette.series)) == len(palette.series) >= 6
    assert len(set(palette.series_fills)) == len(palette.series_fills)
    assert len(set(palette.heat_glyphs)) == len(palette.heat_glyphs)


def test_every_state_has_a_glyph_and_a_word() -> None:
    assert len({STATE_GLYPHS[state] for state in STATES}) == len(STATES)
    assert all(STATE_WORDS[state] for state in STATES)


def test_thresholds_state() -> None:
    above = Thresholds(70.0, 90.0)
    assert above.state_of(10) == "ok"
    assert above.state_of(70) == "warning"
    assert above.state_of(95) == "critical"
    assert above.state_of(None) == "no_data"
    below = Thresholds(20.0, 5.0, "below")
    assert below.state_of(50) == "ok"
    assert below.state_of(10) == "warning"
    assert below.state_of(5) == "critical"
    assert Thresholds(None, 50.0).state_of(49) == "ok"


def test_series_keep_clear_of_alarm_colours_when_the_theme_allows() -> None:
    palette = Palette.from_theme_variables(_variables("textual-dark"))
    alarm_colours = {palette.warning.color, palette.threshold_critical.color}
    assert not alarm_colours & {style.color for style in palette.series}

"""The styles drawings use, taken from the theme, and the states they show."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color, ColorParseError

State = Literal["ok", "warning", "critical", "no_data", "stale", "error"]
"""How a panel or a value stands against its thresholds and its data source."""

STATES: tuple[State, ...] = ("ok", "warning", "critical", "no_data", "stale", "error")
"""Every state."""

STATE_GLYPHS: Mapping[State, str] = {
    "ok": "●",
    "warning": "▲",
    "critical": "✖",
    "no_data": "?",
    "stale": "◌",
    "error": "!",
}
"""A glyph per state, so that a state reads without colour."""

STATE_WORDS: Mapping[State, str] = {
    "ok": "OK",
    "warning": "WARNING",
    "critical": "CRITICAL",
    "no_data": "NO DATA",
    "stale": "STALE",
    "error": "ERROR",
}
"""The state written as a word, for tiles and banners."""

STATE_SEVERITY: Mapping[State, int] = {
    "critical": 5,
    "error": 4,
    "warning": 3,
    "stale": 2,
    "no_data": 1,
    "ok": 0,
}
"""Which state matters more when space forces a choice; higher is worse."""


class Thresholds(NamedTuple):
    """Warning and critical levels of a value, and which side of them is bad."""

    warning: float | None
    """Level at which the value becomes a warning; `None` for no warning level."""
    critical: float | None
    """Level at which the value becomes critical; `None` for no critical level."""
    direction: Literal["above", "below"] = "above"
    """`above` when values over a level are bad, `below` when values under it are."""

    def state_of(self, value: float | None) -> State:
        """`ok`, `warning` or `critical` for `value`; `no_data` when there is none."""
        if value is None or math.isnan(value):
            return "no_data"
        if self._breaches(value, self.critical):
            return "critical"
        if self._breaches(value, self.warning):
            return "warning"
        return "ok"

    def _breaches(self, value: float, level: float | None) -> bool:
        if level is None:
            return False
        return value >= level if self.direction == "above" else value <= level


@dataclass(frozen=True)
class Palette:
    """Rich styles for every part of a drawing, built from a theme or for NO_COLOR.

    Drawings never name a colour: they ask the palette for the style of a role
    (an axis, a state, the third series), so a theme change restyles them all.
    """

    text: Style
    """Ordinary text: values, legend names."""
    muted: Style
    """Axes, labels and other scaffolding that should recede."""
    ok: Style
    """A value within its thresholds."""
    warning: Style
    """A value past its warning level."""
    critical: Style
    """A value past its critical level."""
    no_data: Style
    """Where a source returned nothing."""
    stale: Style
    """Data that has not been refreshed when it should have been."""
    error: Style
    """Where a source failed."""
    threshold_warning: Style
    """The warning level drawn across a chart."""
    threshold_critical: Style
    """The critical level drawn across a chart."""
    series: tuple[Style, ...]
    """One style per series, at least six that can be told apart; cycled beyond."""
    series_fills: tuple[str, ...]
    """Block glyph per series for areas (bars, pie slices); varied in monochrome."""
    heat: tuple[Style, ...]
    """Cold to hot, for heatmap cells."""
    heat_glyphs: tuple[str, ...]
    """The character drawn in a heat cell of each step: spaces under a coloured
    background, or shades from light to full in monochrome."""
    is_monochrome: bool = False
    """True when states and series are told apart by weight and glyph alone."""

    def state(self, state: State) -> Style:
        """The style for `state`."""
        return {
            "ok": self.ok,
            "warning": self.warning,
            "critical": self.critical,
            "no_data": self.no_data,
            "stale": self.stale,
            "error": self.error,
        }[state]

    def series_style(self, index: int) -> Style:
        """The style of the series at `index`, cycling through the palette."""
        return self.series[index % len(self.series)]

    def series_fill(self, index: int) -> str:
        """The area glyph of the series at `index`, cycling like its style."""
        return self.series_fills[index % len(self.series_fills)]

    @classmethod
    def from_theme_variables(cls, variables: Mapping[str, str]) -> Palette:
        """Styles from Textual theme variables, as `App.theme_variables` holds them.

        Values may be hex colours, ANSI names, `auto` or carry an alpha percentage
        (`ansi_default 50%`); translucent colours are blended onto the surface, or
        shown dim where the background is the terminal's own.
        """
        colors = _ThemeColors(variables)
        error = colors.style("error", "text-error", stand_out=True)
        warning = colors.style("warning", "text-warning", stand_out=True)
        series = _series_styles(colors)
        return cls(
            text=colors.style("foreground", "text"),
            muted=colors.style("foreground-muted", "text-muted"),
            ok=colors.style("success", "text-success", stand_out=True),
            warning=warning,
            critical=error + Style(bold=True),
            no_data=colors.style("foreground-muted", "text-muted"),
            stale=colors.style("foreground-muted", "text-muted") + Style(italic=True),
            error=error + Style(italic=True),
            threshold_warning=warning,
            threshold_critical=error,
            series=series,
            series_fills=("█",) * len(series),
            heat=_heat_styles(colors),
            heat_glyphs=(" ",) * _HEAT_STEPS,
        )

    @classmethod
    def monochrome(cls) -> Palette:
        """Styles without colour, for NO_COLOR: weight, dimming and reverse video."""
        plain = Style()
        dim = Style(dim=True)
        bold = Style(bold=True)
        return cls(
            text=plain,
            muted=dim,
            ok=plain,
            warning=bold,
            critical=Style(bold=True, reverse=True),
            no_data=dim,
            stale=Style(dim=True, italic=True),
            error=Style(bold=True, underline=True),
            threshold_warning=dim,
            threshold_critical=bold,
            series=_WEIGHTED_SERIES,
            series_fills=("█", "▓", "▒", "░", "▚", "▞"),
            heat=(dim, plain, plain, plain, bold),
            heat_glyphs=("·", "░", "▒", "▓", "█"),
            is_monochrome=True,
        )


_WEIGHTED_SERIES = (
    Style(),
    Style(bold=True),
    Style(dim=True),
    Style(italic=True),
    Style(underline=True),
    Style(bold=True, italic=True),
)
"""Six series told apart without colour."""
_HEAT_STEPS = 5
_SERIES_COUNT = 6
_SERIES_KEYS = ("primary", "accent", "success", "secondary")
_EXTRA_SERIES_KEYS = (
    "border",
    "link-color",
    "markdown-h1-color",
    "markdown-h2-color",
    "input-selection-background",
    "scrollbar",
)
"""Other themed colours worth borrowing when the main six repeat each other."""
_HUE_TURNS = (0.5, 1 / 3, 2 / 3, 1 / 6, 5 / 6)
"""Fractions of the colour wheel to turn a theme colour by for more series."""
_MIN_SATURATION = 0.2
"""Colours greyer than this are not used for series."""
_MIN_CONTRAST = 0.25
"""Least brightness difference from the surface for a series to stay visible."""
_MIN_DISTANCE = 80.0
"""Least RGB distance between two series colours for them to count as distinct."""


class _ThemeColors:
    """Theme variable values resolved to opaque colours on the drawing surface."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables
        background = self._parse_plain("surface") or self._parse_plain("background")
        self.background = background

    def _parse_plain(self, key: str) -> Color | None:
        color, alpha = _parse(self.variables.get(key, ""), None)
        if color is None or alpha < 1 or color.ansi is not None:
            return None
        return color

    def resolve(self, *keys: str) -> tuple[Color, bool] | None:
        """The first of `keys` that names a colour, and whether to show it dim."""
        for key in keys:
            color, alpha = _parse(self.variables.get(key, ""), self.background)
            if color is None or alpha <= 0:
                continue
            if alpha >= 1:
                return color, False
            if color.ansi is None and self.background is not None:
                return self.background.blend(color, alpha), False
            return color, alpha < 0.75
        return None

    def style(self, *keys: str, stand_out: bool = False) -> Style:
        """A foreground style from the first of `keys` that names a colour.

        With `stand_out` the colour is pushed away from the surface until it
        reads, as a state colour must (a pale warning on a light theme would not).
        """
        resolved = self.resolve(*keys)
        if resolved is None:
            return Style()
        color, dim = resolved
        if stand_out:
            color = _visible(color, self.background)
        return Style(color=color.rich_color, dim=dim or None)

    def color(self, key: str) -> Color | None:
        """The opaque colour of `key`, if the theme gives one."""
        resolved = self.resolve(key)
        return None if resolved is None else resolved[0]


def _parse(value: str, background: Color | None) -> tuple[Color | None, float]:
    """A theme value such as `#E0E0E099`, `ansi_red` or `auto 60%`, and its alpha."""
    parts = value.split()
    if not parts:
        return None, 0.0
    alpha = 1.0
    if len(parts) == 2 and parts[1].endswith("%"):
        try:
            alpha = float(parts[1][:-1]) / 100
        except ValueError:
            return None, 0.0
    name = parts[0]
    if name == "auto":
        if background is None:
            return Color.parse("ansi_default"), alpha
        return background.get_contrast_text(1.0), alpha
    try:
        color = Color.parse(name)
    except ColorParseError:
        # A value that is not a colour (a text style, say) simply offers none.
        return None, 0.0
    return color._replace(a=1.0), alpha * color.a


def _series_styles(colors: _ThemeColors) -> tuple[Style, ...]:
    """At least six series colours: the theme's own first, then variations.

    The warning and error colours come last, because a series drawn in them
    reads as a threshold line or an alarm; many themes share the accent and
    warning colour, so they are kept apart by value rather than by name.
    """
    # The text and the surface are no series colours, however they are named.
    reserved = [
        color
        for color in (colors.color("foreground"), colors.background)
        if color is not None
    ]
    # Success is kept apart too: a series drawn in the OK green would read as
    # healthy whatever its value.
    alarms = [
        _visible(color, colors.background)
        for color in (
            colors.color("warning"),
            colors.color("error"),
            colors.color("success"),
        )
        if color is not None
    ]
    chosen: list[Color] = []

    def offer(color: Color | None, avoid: list[Color], *, own: bool = False) -> None:
        if color is None or len(chosen) >= _SERIES_COUNT:
            return
        if not own and color.ansi is None and color.hsl[1] < _MIN_SATURATION:
            # Borrowed greys read as text or as disabled, not as a series.
            return
        color = _visible(color, colors.background)
        if _distinct(color, chosen + avoid) and _distinct(
            color, reserved, _MIN_DISTANCE / 2
        ):
            chosen.append(color)

    for key in _SERIES_KEYS:
        offer(colors.color(key), alarms, own=True)
    for key in _EXTRA_SERIES_KEYS:
        offer(colors.color(key), alarms)
    for turn in _HUE_TURNS:
        for color in list(chosen):
            offer(_variant(color, turn), alarms)
    for color in alarms:
        offer(color, [])
    styles = [Style(color=color.rich_color) for color in chosen]
    # A theme of near-identical colours still yields six series, told apart by
    # weight where hue fails.
    if not styles:
        return _WEIGHTED_SERIES
    emphasis = (Style(bold=True), Style(italic=True), Style(underline=True))
    base = list(styles)
    for extra in emphasis:
        if len(styles) >= _SERIES_COUNT:
            break
        styles.extend(style + extra for style in base)
    return tuple(styles)


def _distinct(
    color: Color, chosen: list[Color], minimum: float = _MIN_DISTANCE
) -> bool:
    """Whether `color` is at least `minimum` apart from each of `chosen`."""
    for other in chosen:
        if color.ansi is not None or other.ansi is not None:
            if color.ansi == other.ansi:
                return False
            continue
        if math.dist(color.rgb, other.rgb) < minimum:
            return False
    return color.ansi != -1


def _visible(color: Color, background: Color | None) -> Color:
    """`color` lightened or darkened until it stands out from `background`."""
    if background is None or color.ansi is not None:
        return color
    dark = background.brightness < 0.5
    for _ in range(6):
        if abs(color.brightness - background.brightness) >= _MIN_CONTRAST:
            break
        color = color.lighten(0.08) if dark else color.darken(0.08)
    return color


def _variant(color: Color, turn: float) -> Color | None:
    """Another colour derived from `color`: its bright ANSI twin, or its hue turned
    by `turn` of a full circle."""
    if color.ansi is not None:
        if 0 <= color.ansi < 8:
            bright = RichColor.from_ansi(color.ansi + 8)
            r, g, b = bright.get_truecolor()
            return Color(r, g, b, ansi=color.ansi + 8)
        return None
    hue, saturation, lightness = color.hsl
    return Color.from_hsl((hue + turn) % 1.0, saturation, lightness)


def _heat_styles(colors: _ThemeColors) -> tuple[Style, ...]:
    """Five background styles from cold to hot, in one hue: the theme's primary
    colour, from barely tinted to full. Warning and error stay out of the ramp, so a
    busy but healthy bucket never looks like an alarm."""
    anchors_keys = ("primary", "secondary", "accent")
    anchors = [colors.color(key) for key in anchors_keys]
    present = [color for color in anchors if color is not None]
    if not present:
        return (Style(dim=True, reverse=True),) * (_HEAT_STEPS - 1) + (
            Style(reverse=True),
        )
    background = colors.background
    if background is None or any(color.ansi is not None for color in present):
        # ANSI themes cannot be blended: step through the theme's named colours.
        keys = ("primary", "secondary", "success", "warning", "error")
        steps = [colors.color(key) or present[0] for key in keys]
        return tuple(Style(bgcolor=color.rich_color) for color in steps)
    hot = present[0]
    path = [background.blend(hot, share) for share in (0.12, 0.3, 0.5, 0.75, 1.0)]
    return tuple(Style(bgcolor=color.rich_color) for color in path[:_HEAT_STEPS])

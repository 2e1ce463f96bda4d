"""The drawing palette for the app's current theme, built once per theme."""

from __future__ import annotations

import os

from textual.app import App

from widgets.drawing.palette import Palette

_cache: dict[str, Palette] = {}


def palette_for(app: App[object]) -> Palette:
    """Styles for drawing in `app`'s theme; monochrome when NO_COLOR is set."""
    if os.environ.get("NO_COLOR"):
        return _cache.setdefault("\0monochrome", Palette.monochrome())
    palette = _cache.get(app.theme)
    if palette is None:
        palette = Palette.from_theme_variables(app.theme_variables)
        _cache[app.theme] = palette
    return palette

"""Numbers as a panel shows them: compact, with their unit, and nice axis scales."""

from __future__ import annotations

import math

NO_VALUE = "—"
"""What a missing or non-finite value reads as."""

_SI_PREFIXES = ("", "k", "M", "G", "T", "P", "E")
_BINARY_PREFIXES = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")
_BYTE_UNITS = {"B": "B", "bytes": "B", "B/s": "B/s", "bytes/s": "B/s"}
_TIME_UNITS = ("ns", "µs", "ms", "s")
_TIME_ALIASES = {"us": "µs", "µs": "µs", "ns": "ns", "ms": "ms", "s": "s"}
# "\u00d7" is the multiplication sign, escaped because it looks like "x".
_GLUED_UNITS = frozenset({"%", "‰", "°", "x", "\u00d7"})
"""Units written straight after the number, without a space."""

_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def format_value(value: float | None, unit: str, decimals: int | None) -> str:
    """`value` with `unit` as short text: `1.2k req/s`, `3.4 MiB`, `12.5%`, `250 ms`.

    Bytes (`B`, `bytes`, `B/s`) use binary prefixes, seconds move between ns, µs,
    ms and s, and anything else takes the SI prefixes k, M, G, T from a thousand
    up. `decimals` fixes the digits after the point of the scaled number; `None`
    keeps about three significant digits and drops trailing zeros.
    """
    number, suffix = format_parts(value, unit, decimals)
    return number + suffix


def format_parts(
    value: float | None, unit: str, decimals: int | None
) -> tuple[str, str]:
    """`format_value` split into the number (with any SI prefix) and the unit.

    The big-number font draws the first part and writes the second as plain text,
    so `1.2k req/s` becomes `("1.2k", " req/s")` and `3.4 MiB` `("3.4", " MiB")`.
    """
    if value is None or math.isnan(value):
        return NO_VALUE, ""
    if math.isinf(value):
        return ("-∞" if value < 0 else "∞"), _suffix(unit)
    if unit in _BYTE_UNITS:
        number, prefix = _scaled(value, 1024.0, decimals)
        base = _BYTE_UNITS[unit]
        return number, " " + _BINARY_PREFIXES[prefix] + base
    if unit in _TIME_ALIASES:
        return _format_time(value, _TIME_ALIASES[unit], decimals)
    if unit in _GLUED_UNITS:
        return _fixed(value, decimals), unit
    number, prefix = _scaled(value, 1000.0, decimals)
    return number + _SI_PREFIXES[prefix], _suffix(unit)


def format_axis_labels(ticks: list[float], step: float, unit: str) -> list[str]:
    """Labels for evenly spaced axis `ticks`, all with one prefix and precision.

    Sharing the prefix and the number of decimals keeps neighbouring labels
    distinct (0.5k, 1.0k, 1.5k rather than 500, 1k, 1.5k) and of similar width.
    Zero is written `0` whatever the precision.
    """
    if not ticks:
        return []
    scale, prefix, suffix = _axis_unit(max(abs(tick) for tick in ticks), unit)
    decimals = _decimals_for_step(step / scale)
    labels: list[str] = []
    for tick in ticks:
        number = _fixed(tick / scale, decimals)
        labels.append("0" if tick == 0 else number + prefix + suffix)
    return labels


def _axis_unit(largest: float, unit: str) -> tuple[float, str, str]:
    """Scale, number prefix and unit text shared by every label of one axis."""
    if unit in _BYTE_UNITS:
        index = _prefix_index(largest, 1024.0)
        return 1024.0**index, "", " " + _BINARY_PREFIXES[index] + _BYTE_UNITS[unit]
    if unit in _TIME_ALIASES:
        index = _TIME_UNITS.index(_TIME_ALIASES[unit])
        scale = 1.0
        while index < len(_TIME_UNITS) - 1 and largest / scale >= 1000:
            scale *= 1000
            index += 1
        while index > 0 and 0 < largest / scale < 1:
            scale /= 1000
            index -= 1
        return scale, "", " " + _TIME_UNITS[index]
    if unit in _GLUED_UNITS:
        return 1.0, "", unit
    index = _prefix_index(largest, 1000.0)
    return 1000.0**index, _SI_PREFIXES[index], _suffix(unit)


def nice_scale(
    lo: float, hi: float, ticks: int, *, unit: str = ""
) -> tuple[float, float, float]:
    """Bounds and step of an axis covering `lo`..`hi` with at most `ticks` labels.

    The step is 1, 2, 2.5 or 5 times a power of ten and the bounds are multiples
    of it, so the axis only changes when the data crosses one of those round
    numbers rather than with every sample. An empty range is widened around its
    value so that a flat line sits inside the axis, not on its edge. With a byte
    `unit` the round numbers are counted in KiB, MiB and so on.
    """
    ticks = max(2, ticks)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0, 0.5
    if unit in _BYTE_UNITS:
        scale, _, _ = _axis_unit(max(abs(lo), abs(hi)), unit)
        if scale > 1:
            low, high, step = nice_scale(lo / scale, hi / scale, ticks)
            return _tidy(low * scale), _tidy(high * scale), _tidy(step * scale)
    if lo > hi:
        lo, hi = hi, lo
    if lo == hi:
        pad = abs(lo) * 0.1 if lo else 1.0
        lo, hi = lo - pad, hi + pad
        if lo < 0 <= lo + pad:
            # A flat series of non-negative values keeps a zero floor.
            lo = 0.0
    raw_step = (hi - lo) / (ticks - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    for multiple in _NICE_STEPS:
        step = multiple * magnitude
        low = math.floor(lo / step + 1e-9) * step
        high = math.ceil(hi / step - 1e-9) * step
        if round((high - low) / step) + 1 <= ticks:
            return _tidy(low), _tidy(high), step
    step = 10.0 * magnitude
    low = math.floor(lo / step) * step
    return _tidy(low), _tidy(math.ceil(hi / step) * step), step


def axis_ticks(lo: float, hi: float, step: float) -> list[float]:
    """The multiples of `step` from `lo` to `hi` inclusive, free of float noise."""
    if step <= 0 or not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [_tidy(index * step) for index in range(first, last + 1)]


def _tidy(value: float) -> float:
    """`value` rounded to 12 significant digits: 0.30000000000000004 becomes 0.3."""
    if value == 0:
        return 0.0
    return float(f"{value:.12g}")


def _suffix(unit: str) -> str:
    if not unit:
        return ""
    return unit if unit in _GLUED_UNITS else " " + unit


def _prefix_index(magnitude: float, base: float) -> int:
    index = 0
    while magnitude >= base and index < len(_SI_PREFIXES) - 1:
        magnitude /= base
        index += 1
    return index


def _scaled(value: float, base: float, decimals: int | None) -> tuple[str, int]:
    """The scaled number as text and the index of its prefix."""
    prefix = _prefix_index(abs(value), base)
    text = _fixed(value / base**prefix, decimals)
    # Rounding can carry 999.96 up to "1000.0"; that belongs to the next prefix.
    if abs(float(text)) >= base and prefix < len(_SI_PREFIXES) - 1:
        prefix += 1
        text = _fixed(value / base**prefix, decimals)
    return text, prefix


def _fixed(value: float, decimals: int | None) -> str:
    """`value` with `decimals` places, or about three significant digits."""
    if decimals is not None:
        text = f"{value:.{max(0, decimals)}f}"
    else:
        magnitude = abs(value)
        if magnitude == 0:
            return "0"
        if magnitude < 0.001:
            return f"{value:.2e}"
        places = max(0, 2 - math.floor(math.log10(magnitude)))
        text = f"{value:.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def _format_time(value: float, unit: str, decimals: int | None) -> tuple[str, str]:
    """Durations move between ns, µs, ms and s so that the number stays short."""
    index = _TIME_UNITS.index(unit)
    magnitude = abs(value)
    while index < len(_TIME_UNITS) - 1 and magnitude >= 1000:
        magnitude /= 1000
        value /= 1000
        index += 1
    while index > 0 and 0 < magnitude < 1:
        magnitude *= 1000
        value *= 1000
        index -= 1
    return _fixed(value, decimals), " " + _TIME_UNITS[index]


def _decimals_for_step(step: float) -> int:
    """Places needed so that labels `step` apart all read differently."""
    if step <= 0 or not math.isfinite(step):
        return 0
    places = 0
    while places < 6 and abs(round(step, places) - step) > step * 1e-6:
        places += 1
    return places

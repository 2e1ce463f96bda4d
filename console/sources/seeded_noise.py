"""Noise that is a pure function of its inputs, so synthetic data can be replayed.

A random stream would give a backfill and a later poll different values for the same
timestamp; hashing the seed, the series and the timestamp gives the same value every
time it is asked for, in any order.
"""

from __future__ import annotations

import hashlib

_SCALE = float(1 << 64)


def _text(part: str | float) -> str:
    # Numbers are written to the millisecond so that the same instant computed two
    # ways (`3 * 0.1` and `0.3`, or `30` and `30.0`) hashes the same.
    return f"{part:.3f}" if isinstance(part, int | float) else part


class NoiseStream:
    """Noise for one series: the seed and the series' own parts, hashed once.

    Asking for many timestamps of one series is the common case (a backfill of two
    thousand samples), so the fixed part of the hash is computed up front and copied.
    """

    def __init__(self, seed: int, *parts: str | float) -> None:
        text = "|".join([str(seed), *(_text(part) for part in parts)])
        self._prefix = hashlib.blake2b(text.encode(), digest_size=8)
        self._remembered: dict[tuple[str | float, ...], float] = {}

    def unit(self, *parts: str | float) -> float:
        """A number in [0, 1) determined by the stream and `parts`."""
        hasher = self._prefix.copy()
        hasher.update("".join("|" + _text(part) for part in parts).encode())
        return int.from_bytes(hasher.digest(), "big") / _SCALE

    def unit_remembered(self, *parts: str | float) -> float:
        """`unit`, remembered: for draws that many samples share, such as one per
        ten-minute slot. A stream lives for one fetch, which bounds what it keeps."""
        value = self._remembered.get(parts)
        if value is None:
            value = self._remembered[parts] = self.unit(*parts)
        return value

    def signed(self, *parts: str | float) -> float:
        """A number in [-1, 1) determined by the stream and `parts`."""
        return 2.0 * self.unit(*parts) - 1.0

    def signed_at(self, timestamp: float, tag: str = "") -> float:
        """A number in [-1, 1) for `timestamp` (and `tag`): `signed`, made fast for
        the one call per sample that a long backfill makes."""
        hasher = self._prefix.copy()
        hasher.update(f"|{timestamp:.3f}|{tag}".encode())
        return 2.0 * int.from_bytes(hasher.digest(), "big") / _SCALE - 1.0


def unit_noise(seed: int, *parts: str | float) -> float:
    """A number in [0, 1) determined only by `seed` and `parts`."""
    return NoiseStream(seed).unit(*parts)


def signed_noise(seed: int, *parts: str | float) -> float:
    """A number in [-1, 1) determined only by `seed` and `parts`."""
    return 2.0 * unit_noise(seed, *parts) - 1.0

"""Portable view tokens: a view as one short line to paste on another host.

A token is `wd1.` followed by base64url (no padding) of four checksum bytes (CRC-32
of what follows) and the deflated compact JSON of `{"s": state, "h": hash}`, where
the state leaves out its defaults and the profile hash is cut to 16 hex digits. The
prefix names the layout, so a later one can change it; the checksum catches a token
cut short or mistyped before anything is read from it.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
import zlib
from dataclasses import dataclass

from console.view_state import ViewState, ViewStateError

TOKEN_PREFIX = "wd1."
"""The layout this build writes and reads."""

HASH_DIGITS = 16
"""How much of the profile's content hash a token keeps: enough to notice a change."""

MAX_TOKEN_CHARS = 8192
"""A token longer than this is refused before it is decoded."""


class TokenError(ValueError):
    """A token that cannot be read; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class ViewToken:
    """What a token carries."""

    state: ViewState
    profile_hash: str
    """A prefix of the profile's content hash when the token was made."""


def encode_token(state: ViewState, profile_hash: str) -> str:
    """The token for `state`, saved against a profile with `profile_hash`."""
    body = {
        "s": state.model_dump(mode="json", exclude_defaults=True),
        "h": profile_hash[:HASH_DIGITS],
    }
    text = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
    packed = zlib.compress(text, 9)
    checked = struct.pack(">I", zlib.crc32(packed)) + packed
    return TOKEN_PREFIX + base64.urlsafe_b64encode(checked).decode().rstrip("=")


def decode_token(token: str) -> ViewToken:
    """The view in `token`; raises `TokenError` saying what is wrong with it."""
    token = "".join(token.split())
    if len(token) > MAX_TOKEN_CHARS:
        raise TokenError(f"the token is longer than {MAX_TOKEN_CHARS} characters")
    if not token.startswith(TOKEN_PREFIX):
        if token.startswith("wd") and "." in token:
            raise TokenError(
                f"the token is of layout {token.split('.')[0]!r}, which this "
                f"watchdeck does not read"
            )
        raise TokenError("this is not a watchdeck view token (it starts with wd1.)")
    encoded = token[len(TOKEN_PREFIX) :]
    try:
        padded = encoded + "=" * (-len(encoded) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise TokenError("the token has characters a token never holds") from None
    if len(raw) < 5:
        raise TokenError("the token is cut short")
    (expected,) = struct.unpack(">I", raw[:4])
    if zlib.crc32(raw[4:]) != expected:
        raise TokenError("the token's checksum does not match: it was cut or altered")
    try:
        body = json.loads(zlib.decompressobj().decompress(raw[4:], 1 << 20))
    except (zlib.error, ValueError):
        raise TokenError("the token's content cannot be read") from None
    if not isinstance(body, dict) or not isinstance(body.get("h", ""), str):
        raise TokenError("the token's content is not a view")
    try:
        state = ViewState.from_json(body.get("s"))  # type: ignore[arg-type]
    except ViewStateError as error:
        raise TokenError(f"the token's view does not fit: {error}") from None
    return ViewToken(state, body.get("h", ""))

"""Why an HTTP request failed, said in one short line a panel can show.

A panel has room for a line, and an engineer reading it at 3 a.m. needs the cause
(refused, timed out, a proxy's error page, the server's own complaint), not a
traceback. These functions turn aiohttp's exceptions and unusable bodies into such
lines; `one_line` keeps anything a server says to that size.
"""

from __future__ import annotations

import html
import re
import socket

import aiohttp

MAX_REASON = 200
"""Characters a reason may take; a server's longer message is cut with an ellipsis."""

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_GIST_WORDS = 12
"""Words of a page without a title shown as its gist."""


def one_line(text: str, limit: int = MAX_REASON) -> str:
    """`text` on one line with runs of white space collapsed, cut to `limit`.

    Control characters become `?`: a server's text must not carry an escape
    sequence through a panel to the terminal.
    """
    flat = _UNPRINTABLE.sub("?", _SPACE.sub(" ", text).strip())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def looks_like_html(body: bytes) -> bool:
    """True when `body` starts like a web page rather than data."""
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml"))


def page_gist(body: bytes) -> str:
    """A few words saying what an HTML page or a text body is: its title, or else
    its first words."""
    title = _TITLE.search(body[:65_536])
    if title is not None:
        words = html.unescape(title.group(1).decode("utf-8", "replace"))
        if words.strip():
            return one_line(words, 80)
    text = body[:65_536].decode("utf-8", "replace")
    text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", text)))
    words_list = text.split()
    gist = " ".join(words_list[:_GIST_WORDS])
    if len(words_list) > _GIST_WORDS:
        gist += " …"
    return one_line(gist, 80) or "an empty page"


def transport_reason(error: BaseException, address: str, timeout: float) -> str:
    """Why a request to `address` got no usable answer, from the exception raised.

    `timeout` is the limit the request ran under, for the timed-out case.
    """
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout:g}s ({address})"
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve host name ({address})"
    if isinstance(error, aiohttp.ClientConnectorCertificateError):
        detail = getattr(error.certificate_error, "verify_message", "")
        return one_line(f"TLS certificate of {address} not trusted: {detail}")
    if isinstance(error, aiohttp.ClientConnectorSSLError | aiohttp.ClientSSLError):
        return one_line(f"TLS handshake with {address} failed")
    if isinstance(error, aiohttp.ClientConnectorError):
        return _connect_reason(error.os_error, address)
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return f"{address} closed the connection without answering"
    if isinstance(error, aiohttp.ClientPayloadError):
        return f"the answer from {address} was cut short"
    if isinstance(error, aiohttp.ClientOSError):
        return _connect_reason(error, address)
    return one_line(f"request to {address} failed: {type(error).__name__}")


def _connect_reason(error: OSError, address: str) -> str:
    if isinstance(error, ConnectionRefusedError):
        return f"connection refused ({address})"
    if isinstance(error, ConnectionResetError):
        return f"connection reset by {address}"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve host name ({address})"
    detail = error.strerror or type(error).__name__
    return one_line(f"cannot connect to {address}: {detail}")

"""Why an SQL query failed, said in one short line that gives no secret away.

Database drivers put connection details in their messages: asyncpg may quote the
DSN it was given, and a libpq-style error can carry `password=...`. Every reason the
SQL source shows in a panel or hands to the log passes through `redact` first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_REASON = 160
"""Characters a reason may take; a panel shows one line of it."""

HIDDEN = "***"
"""What a secret becomes in a reason."""

_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_KEYWORD_PASSWORD = re.compile(r"(password\s*[=:]\s*)('[^']*'|\"[^\"]*\"|\S+)", re.I)


class QueryFailed(Exception):
    """One query failed while the connection stayed usable: the other queries of
    the batch go on, and only this one's panel shows the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def one_line(text: str, limit: int = MAX_REASON) -> str:
    """The first non-blank line of `text`, its spaces collapsed, cut to `limit`."""
    for line in text.splitlines():
        squeezed = " ".join(line.split())
        if squeezed:
            if len(squeezed) > limit:
                return squeezed[: limit - 1].rstrip() + "…"
            return squeezed
    return ""


def dsn_secrets(dsn: str) -> tuple[str, ...]:
    """The parts of a connection string that must never be shown: the whole string,
    and its password as written and as decoded (in the URL or as `?password=`)."""
    found = {dsn, *_url_passwords(dsn)}
    found |= {unquote(secret) for secret in found}
    return tuple(secret for secret in found if secret)


def _url_passwords(dsn: str) -> set[str]:
    try:
        parts = urlsplit(dsn)
    except ValueError:
        # A string urlsplit cannot read is still hidden whole by `dsn_secrets`,
        # and the patterns in `redact` catch a password in the usual places.
        return set()
    found = set()
    userinfo = parts.netloc.rpartition("@")[0]
    if ":" in userinfo:
        found.add(userinfo.partition(":")[2])
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in ("password", "sslpassword"):
            found.add(value)
    return found


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret, and anything shaped like a password, hidden."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    text = _URL_PASSWORD.sub(rf"\g<1>{HIDDEN}@", text)
    return _KEYWORD_PASSWORD.sub(rf"\g<1>{HIDDEN}", text)


def safe_reason(text: str, secrets: Iterable[str] = ()) -> str:
    """A driver's message made fit for a panel: secrets hidden, one short line."""
    return one_line(redact(text, secrets)) or "the database gave no reason"

"""Where the console's log goes: a small rotating file only the user can read.

The terminal belongs to the dashboard, so nothing is logged to it. The AWS SDK's own
wire logging stays at WARNING whatever the level, because at DEBUG it writes request
signatures and headers.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

LOG_BYTES = 1_000_000
"""Size at which the log rotates; two old files are kept, so at most 3 MB."""

QUIET_LOGGERS = ("botocore", "boto3", "urllib3", "aiohttp.access", "asyncio")
"""Libraries whose chatter is never logged below WARNING."""


def default_log_path() -> Path:
    """The log file in the user's state directory."""
    return Path(platformdirs.user_state_dir("watchdeck")) / "watchdeck.log"


def configure_logging(
    path: Path | None, *, debug: bool = False, quiet: bool = False
) -> None:
    """Send the log to `path` (or the default file); `quiet` logs nowhere."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if quiet:
        root.addHandler(logging.NullHandler())
        return
    target = path or default_log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not target.exists():
            target.touch(mode=0o600)
        os.chmod(target, 0o600)
        handler: logging.Handler = RotatingFileHandler(
            target, maxBytes=LOG_BYTES, backupCount=2, encoding="utf-8"
        )
    except OSError:
        # An unwritable home must not stop the console at 3 a.m.; it runs unlogged.
        handler = logging.NullHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)

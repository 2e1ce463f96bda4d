"""Secrets a profile points at but never holds: an environment variable or a file.

Profiles are shared, copied and kept in version control, so a connection string
with a password is read from where the profile says at the moment it is needed, and
only the name of the place ever appears in a reason or the log.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from console.sources.base import SourceError

log = logging.getLogger(__name__)

_warned_open_files: set[Path] = set()
"""Files already reported as readable by others, so the log says it once."""


def read_env_secret(name: str) -> str:
    """The value of environment variable `name`, without surrounding spaces.

    Raises `SourceError` naming the variable (never its value) when it is unset
    or blank.
    """
    value = os.environ.get(name)
    if value is None:
        raise SourceError(f"environment variable {name} is not set")
    value = value.strip()
    if not value:
        raise SourceError(f"environment variable {name} is empty")
    return value


def read_file_secret(path: Path) -> str:
    """The one line held in the file at `path` (`~` expanded), without spaces.

    Raises `SourceError` naming the file (never its content) when it cannot be
    read, is empty, or holds more than one line. A file other users may read is
    used all the same, since refusing it would stop a dashboard at 3 a.m., but the
    log says so once.
    """
    path = path.expanduser()
    try:
        text = path.read_text(encoding="utf-8")
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise SourceError(f"cannot read {path}: no such file") from None
    except PermissionError:
        raise SourceError(f"cannot read {path}: permission denied") from None
    except IsADirectoryError:
        raise SourceError(f"cannot read {path}: it is a directory") from None
    except UnicodeDecodeError:
        raise SourceError(f"cannot read {path}: not UTF-8 text") from None
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror}") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise SourceError(f"{path} is empty")
    if len(lines) > 1:
        raise SourceError(f"{path} holds {len(lines)} lines; it should hold one")
    if mode & (stat.S_IRWXG | stat.S_IRWXO) and path not in _warned_open_files:
        _warned_open_files.add(path)
        log.warning("%s holds a secret but other users may read it; chmod 600 it", path)
    return lines[0]

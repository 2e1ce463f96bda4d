"""Writing a file the console produces: all or nothing, readable by its owner only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: str | Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory and
    `os.replace`, so a reader never sees half a file; the file is mode 0600."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", dir=target.parent or Path(".")
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

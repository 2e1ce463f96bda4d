"""A session's samples and alert changes, kept in a compact file for replay.

The file is gzip-compressed JSON lines: a header naming the profile, then one line
per answer the store kept (`sample`), per failed call (`failure`) and per alert
change (`alert`), each with the time it happened. The writer flushes the gzip
stream after every batch (a sync flush), so a crash leaves a file readable up to
the last batch; past `max_bytes` of compressed output it stops and says so once.
The file is created 0600, as everything else the console writes.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from console.results import FetchFailure, QueryResult, SeriesResult, TableResult
from console.store import Store

FORMAT_VERSION = 1
"""Bumped when a line's shape changes in a way old readers cannot follow."""

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
"""Compressed bytes after which recording stops: a long shift stays bounded."""


@dataclass(frozen=True, slots=True)
class RecordingHeader:
    """The first line of a recording: what was recorded, and from when."""

    profile: str
    """The path of the profile the session ran."""
    variables: Mapping[str, str]
    """The variable values it ran with."""
    started: float
    """Epoch seconds when the recording began."""


class RecordingWriter:
    """Appends a session's events to a gzip JSON-lines file, bounded in size."""

    def __init__(
        self,
        path: Path,
        header: RecordingHeader,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        self._raw: IO[bytes] = os.fdopen(os.open(path, flags, 0o600), "wb")
        os.chmod(path, 0o600)
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="wb")
        self._max_bytes = max_bytes
        self.full = False
        """True once the size cap was reached; nothing more is written."""
        self._write(
            {
                "k": "header",
                "version": FORMAT_VERSION,
                "profile": header.profile,
                "variables": dict(header.variables),
                "started": header.started,
            }
        )
        self.flush()

    def sample(self, key: str, result: QueryResult, now: float) -> None:
        """Keep one answer the store kept."""
        line: dict[str, Any] = {"k": "sample", "t": now, "key": key}
        if isinstance(result, TableResult):
            line["columns"] = list(result.columns)
            line["rows"] = [list(row) for row in result.rows]
        else:
            line["series"] = {n: [list(p) for p in s] for n, s in result.series.items()}
            line["replace"] = result.replace
        self._write(line)

    def failure(self, key: str, failure: FetchFailure, now: float) -> None:
        """Keep one failed answer's reason."""
        line = {"k": "failure", "t": now, "key": key, "reason": failure.reason}
        self._write({**line, "throttled": failure.throttled})

    def alert(self, change: Mapping[str, object], now: float) -> None:
        """Keep one alert change, as plain data."""
        self._write({"k": "alert", "t": now, **change})

    def flush(self) -> bool:
        """Make everything written so far readable; False once the cap is hit."""
        if self._gzip.closed:
            return False
        self._gzip.flush(zlib.Z_SYNC_FLUSH)
        self._raw.flush()
        if self._raw.tell() >= self._max_bytes and not self.full:
            self.full = True
            self.close()
        return not self.full

    def close(self) -> None:
        """Finish the file."""
        if not self._gzip.closed:
            self._gzip.close()
            self._raw.close()

    def _write(self, line: Mapping[str, Any]) -> None:
        if self.full or self._gzip.closed:
            return
        text = json.dumps(line, separators=(",", ":"), allow_nan=True)
        self._gzip.write(text.encode() + b"\n")


class RecordingStore(Store):
    """A store that also writes every answer it keeps to a recording."""

    def __init__(self, writer: RecordingWriter) -> None:
        super().__init__()
        self.writer = writer

    def record(self, key: str, result: QueryResult, now: float) -> None:
        """Keep the answer, and write it down."""
        if self.get(key) is not None:
            self.writer.sample(key, result, now)
        super().record(key, result, now)

    def record_failure(self, key: str, failure: FetchFailure, now: float) -> None:
        """Keep the failure, and write it down."""
        if self.get(key) is not None:
            self.writer.failure(key, failure, now)
        super().record_failure(key, failure, now)


def read_recording(path: Path) -> Iterator[dict[str, Any]]:
    """Every line of a recording, the header first; a file cut short by a crash
    yields what was flushed before it and stops there."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        try:
            for line in stream:
                if line.endswith("\n"):
                    yield json.loads(line)
        except (EOFError, zlib.error):
            return


def result_of(line: Mapping[str, Any]) -> QueryResult:
    """The answer a `sample` line holds."""
    if "rows" in line:
        return TableResult(line["columns"], [tuple(r) for r in line["rows"]])
    series = {n: [(p[0], p[1]) for p in s] for n, s in line["series"].items()}
    return SeriesResult(series, replace=bool(line.get("replace")))

"""Exporting a view's history as YAML and importing it into another store.

The file holds the view's states and who saved them when, nothing else: a state
names its profile and holds ids, variable values, times and filter text, never a
source's options, so an exported view carries no secret. An import is checked whole
(every problem located as `path:line:col`) before the first revision is written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from console.problems import Problem, ProfileError
from console.profile_loader import validate_model
from console.storage.interface import StateStore
from console.storage.records import SavedView, ViewRevision
from console.view_state import ViewState
from console.yaml_document import MAX_BYTES, load_yaml_document

EXPORT_VERSION = 1
"""The value of `watchdeck_view:` this build writes and reads."""


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True
    )


class ExportedRevision(_Model):
    """One revision as exported."""

    revision: int = Field(ge=1)
    """Its number in the store it came from; the importing store numbers anew."""
    saved_at: float
    """When it was saved (Unix seconds)."""
    saved_by: str
    """Who saved it."""
    host: str
    """Where it was saved."""
    profile_hash: str = ""
    """The content hash of the profile it was saved against."""
    note: str = ""
    """Why it was saved."""
    state: ViewState
    """What the view shows."""


class ExportedView(_Model):
    """A view's history, as `watchdeck views export` writes it."""

    watchdeck_view: int = Field(ge=1, le=EXPORT_VERSION)
    """The file's layout."""
    name: str = Field(min_length=1, max_length=120)
    """The view's name."""
    revisions: list[ExportedRevision] = Field(min_length=1)
    """Its revisions, oldest first."""


def export_view(history: list[ViewRevision]) -> str:
    """The YAML text of a view's revisions (all of them, or the ones given)."""
    document = {
        "watchdeck_view": EXPORT_VERSION,
        "name": history[0].name,
        "revisions": [
            {
                "revision": r.revision,
                "saved_at": r.saved_at,
                "saved_by": r.saved_by,
                "host": r.host,
                "profile_hash": r.profile_hash,
                "note": r.note,
                "state": ViewState.from_json(r.state).to_json(),
            }
            for r in history
        ],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def write_private_file(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all, readable by the user only."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_export(path: Path) -> ExportedView:
    """The view in an exported file; raises `ProfileError` with every problem."""
    label = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise ProfileError([Problem(label, 1, 1, message)]) from None
    document = load_yaml_document(data, label)
    problems = list(document.problems)
    exported = validate_model(
        ExportedView,
        document.tree,
        (),
        positions=document.positions,
        path_label=label,
        problems=problems,
    )
    if problems or exported is None:
        raise ProfileError(problems)
    return exported


def import_view(
    store: StateStore, exported: ExportedView, name: str | None = None
) -> list[SavedView]:
    """Add the exported revisions to `name` (default: the exported name), oldest
    first, each as a new revision that keeps who saved it and when."""
    target = name or exported.name
    saved = []
    for revision in exported.revisions:
        note = f"imported (was r{revision.revision})"
        if revision.note:
            note = f"{revision.note}; {note}"
        saved.append(
            store.save_view(
                target,
                revision.state.to_json(),
                profile_hash=revision.profile_hash,
                user=revision.saved_by,
                host=revision.host,
                at=revision.saved_at,
                note=note,
            )
        )
    return saved

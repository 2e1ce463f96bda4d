"""Secrets named in a profile by where to find them, never written in it.

A profile says `{env: NAME}` or `{file: PATH}`; the value is read when a request
needs it, so a rotated token file is picked up on the next poll. Messages about a
secret name its variable or file, never its value.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_SECRET_BYTES = 64 * 1024
"""A secret file larger than this is refused: it is not a token."""

_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class SecretUnavailable(Exception):
    """A secret could not be read; the message says which and why, not its value."""


class SecretRef(BaseModel):
    """Where a secret is read from: an environment variable or a file, exactly one."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        frozen=True,
        hide_input_in_errors=True,
    )

    env: str | None = Field(default=None, pattern=_ENV_NAME)
    """The environment variable holding the secret, as `WATCHDECK_API_TOKEN`.
    Left out: `file` must be given."""
    file: str | None = Field(default=None, min_length=1)
    """A file holding the secret; one trailing newline is dropped; `~` is the
    user's home. Left out: `env` must be given."""

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.env is None) == (self.file is None):
            raise ValueError("a secret is read from `env` or from `file`: give one")
        return self

    def describe(self) -> str:
        """Where the secret comes from, in words safe to show and log."""
        if self.env is not None:
            return f"environment variable {self.env}"
        return f"file {self.file}"


def read_secret(ref: SecretRef) -> str:
    """The secret `ref` points to. Reads a file when it names one: call it from a
    worker thread. Raises SecretUnavailable."""
    if ref.env is not None:
        value = os.environ.get(ref.env)
        if value is None:
            raise SecretUnavailable(f"environment variable {ref.env} is not set")
    else:
        value = _read_file(Path(str(ref.file)).expanduser())
    value = value.removesuffix("\n").removesuffix("\r")
    if not value:
        raise SecretUnavailable(f"{ref.describe()} is empty")
    if "\n" in value or "\r" in value:
        raise SecretUnavailable(f"{ref.describe()} holds more than one line")
    return value


def _read_file(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SECRET_BYTES + 1)
    except OSError as error:
        raise SecretUnavailable(
            f"cannot read secret file {path}: {error.strerror or type(error).__name__}"
        ) from None
    if len(data) > MAX_SECRET_BYTES:
        raise SecretUnavailable(f"secret file {path} is too large to be a secret")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretUnavailable(f"secret file {path} is not UTF-8 text") from None

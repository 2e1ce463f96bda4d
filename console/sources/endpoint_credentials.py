"""The secrets and trust an HTTP source connects with, read from where the profile
points: environment variables, files, a CA bundle.

Failures name the variable or the file, never what it holds. The header value is
returned to the client alone, which keeps it in its session and nowhere else.
"""

from __future__ import annotations

import base64
import os
import ssl
from pathlib import Path

from console.sources.base import SourceError
from console.sources.endpoint_options import HttpEndpointOptions

MAX_SECRET_BYTES = 16_384
"""A token or password file longer than this is not one (a wrong path, perhaps)."""


def authorization_header(options: HttpEndpointOptions) -> str | None:
    """The `Authorization` header value the options ask for, or None for no auth.

    Raises `SourceError` when the variable is unset, the file unreadable or the
    secret empty. Reads files: call it off the event loop.
    """
    if options.token_env is not None or options.token_file is not None:
        token = _secret(options.token_env, options.token_file, "token").strip()
        if not token:
            raise SourceError("the bearer token is empty")
        if not token.isprintable():
            # A line break inside would split the header into two.
            raise SourceError("the bearer token holds a line break or control code")
        return f"Bearer {token}"
    if options.username is not None:
        password = _secret(options.password_env, options.password_file, "password")
        pair = f"{options.username}:{password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
    return None


def ssl_context(options: HttpEndpointOptions) -> ssl.SSLContext | None:
    """A verifying TLS context trusting `ca_file`, or None for the system's CAs.

    Raises `SourceError` when the bundle cannot be loaded. Reads files: call it off
    the event loop.
    """
    if options.ca_file is None:
        return None
    try:
        return ssl.create_default_context(cafile=options.ca_file)
    except FileNotFoundError:
        raise SourceError(f"ca_file {options.ca_file} not found") from None
    except (OSError, ssl.SSLError) as error:
        raise SourceError(f"ca_file {options.ca_file} unusable: {error}") from None


def _secret(env: str | None, file: str | None, what: str) -> str:
    """The secret held by environment variable `env` or file `file`.

    A file's trailing line break is dropped (editors add one); anything else is
    kept, since a password may begin or end with a space.
    """
    if env is not None:
        value = os.environ.get(env)
        if value is None:
            raise SourceError(f"environment variable {env} ({what}_env) is not set")
        if not value:
            raise SourceError(f"environment variable {env} ({what}_env) is empty")
        return value
    if file is None:
        raise SourceError(f"no {what}_env or {what}_file given")
    try:
        with Path(file).expanduser().open("rb") as handle:
            raw = handle.read(MAX_SECRET_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(f"{what}_file {file} not found") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SourceError(f"{what}_file {file} unreadable: {reason}") from None
    if len(raw) > MAX_SECRET_BYTES:
        raise SourceError(f"{what}_file {file} is too long to hold a {what}")
    try:
        value = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise SourceError(f"{what}_file {file} is not UTF-8 text") from None
    if not value:
        raise SourceError(f"{what}_file {file} is empty")
    return value

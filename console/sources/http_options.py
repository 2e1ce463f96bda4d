"""Options of an `http` source block: where it points and what it sends.

Credentials never sit in a profile: a header that carries one goes under
`secret_headers` as a reference to an environment variable or a file, and a plain
header whose name says it carries a credential (Authorization, Cookie, X-Api-Key,
anything with token, secret or password in its name) is refused.
"""

from __future__ import annotations

import re

from pydantic import ConfigDict, Field, field_validator, model_validator
from yarl import URL

from console.profile_schema import Duration
from console.sources.base import SourceOptions
from console.sources.secret_values import SecretRef

MEGABYTE = 1024 * 1024

DEFAULT_TIMEOUT = 10.0
"""Seconds one request may take, redirects and the whole body included."""

DEFAULT_MAX_BYTES = 5 * MEGABYTE
"""The largest response body read before the request counts as failed."""

_CREDENTIAL_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"}
)
_CREDENTIAL_WORDS = ("auth", "token", "secret", "password", "passwd", "apikey")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def is_credential_header(name: str) -> bool:
    """Whether a header of this name carries a credential, by its name alone."""
    folded = name.lower()
    squashed = folded.replace("-", "").replace("_", "")
    return folded in _CREDENTIAL_NAMES or any(
        word in squashed for word in _CREDENTIAL_WORDS
    )


def check_http_url(url: str, what: str) -> str:
    """`url` itself if it is an absolute http(s) address without credentials in it;
    ValueError otherwise. `what` names the field in the message."""
    try:
        parsed = URL(url)
    except ValueError:
        raise ValueError(f"`{what}` is not a valid address") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"`{what}` must start with http:// or https:// and a host")
    if parsed.user is not None or parsed.password is not None:
        raise ValueError(
            f"`{what}` holds a user name or password; give credentials under "
            "secret_headers instead"
        )
    return url


class HttpOptions(SourceOptions):
    """Options of a `type: http` source: a JSON API reached over HTTP(S)."""

    # A header value pasted here by mistake may be a secret; errors must not echo
    # it when printed.
    model_config = ConfigDict(hide_input_in_errors=True)

    base_url: str | None = None
    """The address each query's `path` is added to, with one slash between, as
    `https://api.example.com/v1`. When given, secret headers go to its origin
    (scheme, host and port) only. Left out: every query gives a full `url`."""
    timeout: Duration = Field(default=DEFAULT_TIMEOUT, gt=0, le=300)
    """Seconds one request may take, from connecting to the last byte, redirects
    included. Left out: 10."""
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1, le=100 * MEGABYTE)
    """The largest response body read; a larger one stops being read and the query
    fails. Left out: 5 MB (5242880)."""
    headers: dict[str, str] = Field(default_factory=dict, max_length=50)
    """Plain headers sent with every request, as `{Accept: application/json}`.
    Headers carrying credentials are refused here: use `secret_headers`. Left
    out: none beyond what the HTTP client sends."""
    secret_headers: dict[str, SecretRef] = Field(default_factory=dict, max_length=20)
    """Headers whose values are secrets, each read from `{env: NAME}` or
    `{file: PATH}` on every poll, as `{Authorization: {env: API_TOKEN}}`. They
    go only to the origin of `base_url` (or of the query's `url` when there is no
    base_url), and are dropped when a redirect leads to another origin. Left out:
    no credentials are sent."""
    ca_file: str | None = Field(default=None, min_length=1)
    """A PEM file of certificate authorities to trust instead of the system's, for
    a private CA. Certificates are always verified. Left out: the system's
    authorities."""

    @field_validator("base_url")
    @classmethod
    def _base_is_http(cls, url: str | None) -> str | None:
        if url is None:
            return None
        check_http_url(url, "base_url")
        if URL(url).query_string or URL(url).fragment:
            raise ValueError(
                "`base_url` must not carry a query string; give it per query "
                "under `params`"
            )
        return url

    @field_validator("headers", mode="before")
    @classmethod
    def _headers_are_plain(cls, headers: object) -> object:
        # Before the type check, whose message would quote a value that is not text.
        if not isinstance(headers, dict):
            return headers
        for name, value in headers.items():
            _check_header_name(str(name))
            if is_credential_header(str(name)):
                # The value is not quoted: it may be the very secret.
                raise ValueError(
                    f"header {name!r} carries a credential, which must not be "
                    "written in a profile; move it to secret_headers as "
                    f"`{name}: {{env: NAME}}` or `{name}: {{file: PATH}}`"
                )
            if isinstance(value, str) and ("\n" in value or "\r" in value):
                raise ValueError(f"header {name!r} holds a line break")
        return headers

    @field_validator("secret_headers", mode="before")
    @classmethod
    def _secrets_are_references(cls, secrets: object) -> object:
        if not isinstance(secrets, dict):
            return secrets
        for name, reference in secrets.items():
            _check_header_name(str(name))
            if not isinstance(reference, dict):
                # Refused here rather than by the model, whose message would
                # quote the value: a secret pasted into the profile by mistake.
                raise ValueError(
                    f"secret header {name!r} must say where its value is, as "
                    "{env: NAME} or {file: PATH}, never the value itself"
                )
        return secrets

    @model_validator(mode="after")
    def _no_header_twice(self) -> HttpOptions:
        plain = {name.lower() for name in self.headers}
        for name in self.secret_headers:
            if name.lower() in plain:
                raise ValueError(
                    f"header {name!r} is under both headers and secret_headers"
                )
        return self


def _check_header_name(name: str) -> None:
    if not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a valid header name")

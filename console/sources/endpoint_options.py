"""Where an HTTP source lives and how it proves who it is: URL, timeout, auth, TLS.

Prometheus and Alertmanager share these options. Secrets never sit in a profile:
profiles are shared, committed and printed by `watchdeck lint`, so a token or a
password is named by the environment variable or the file that holds it, and a key
such as `token:` or `password:` is refused with a message saying what to write
instead. TLS certificates are always verified; `ca_file` trusts a private CA.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from yarl import URL

from console.durations import parse_duration
from console.sources.base import SourceOptions

DEFAULT_TIMEOUT = 10.0
"""Seconds one HTTP request may take when the profile does not say."""

LITERAL_SECRET_KEYS: dict[str, str] = {
    "token": "token_env: NAME or token_file: PATH",
    "bearer_token": "token_env: NAME or token_file: PATH",
    "api_key": "token_env: NAME or token_file: PATH",
    "authorization": "token_env: NAME or token_file: PATH",
    "password": "password_env: NAME or password_file: PATH",
    "passwd": "password_env: NAME or password_file: PATH",
    "secret": "token_env: NAME or token_file: PATH",
}
"""Keys that would put a secret in the profile, and what to write instead."""


def _seconds(value: object) -> object:
    """Timeouts may be written as a number of seconds or as `5s`, `1m`, ..."""
    if isinstance(value, str):
        return parse_duration(value)
    return value


Seconds = Annotated[float, BeforeValidator(_seconds)]


def _endpoint_url(value: object) -> object:
    """An http(s) URL with a host and nothing that belongs to a single request."""
    if not isinstance(value, str):
        return value
    try:
        url = URL(value.strip())
    except ValueError as error:
        raise ValueError(f"{value!r} is not a URL: {error}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(
            f"{value!r} must be an http:// or https:// URL with a host, such as "
            "http://127.0.0.1:9090"
        )
    if url.query_string or url.fragment:
        raise ValueError(f"{value!r} must not have a query string or a fragment")
    return str(url).rstrip("/")


EndpointUrl = Annotated[str, BeforeValidator(_endpoint_url)]


def _has_user_info(text: str) -> bool:
    """True when a URL carries a user name or password before its host."""
    try:
        url = URL(text.strip())
    except ValueError:
        return "@" in text
    return url.user is not None or url.password is not None


def _hidden_problem(key: str, message: str) -> InitErrorDetails:
    """A validation problem at `key` whose input is not repeated anywhere."""
    return InitErrorDetails(
        type=PydanticCustomError("secret_in_profile", message),
        loc=(key,),
        input="(hidden)",
    )


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class HttpEndpointOptions(SourceOptions):
    """Options shared by sources that talk to an HTTP API: where, how long, as whom.

    At most one way of authenticating: a bearer token (`token_env` or `token_file`)
    or basic auth (`username` with `password_env` or `password_file`).
    """

    url: EndpointUrl
    """The server's base URL, such as `http://127.0.0.1:9090`, with any path prefix
    it is served under (`https://ops.example.com/prometheus`). Required."""
    timeout: Seconds = Field(default=DEFAULT_TIMEOUT, gt=0.0, le=300.0)
    """How long one request may take, in seconds or as a duration (`5s`), before
    the query shows as timed out. Default: 10 s."""
    token_env: str | None = Field(default=None, min_length=1, max_length=200)
    """The environment variable holding a bearer token, sent as `Authorization:
    Bearer ...`. Left out: no token (unless `token_file` names one)."""
    token_file: str | None = Field(default=None, min_length=1)
    """A file holding a bearer token (surrounding whitespace is dropped), read when
    the source first connects. Left out: no token (unless `token_env` names one)."""
    username: str | None = Field(default=None, min_length=1, max_length=200)
    """The user name for basic auth; needs `password_env` or `password_file`. Left
    out: no basic auth."""
    password_env: str | None = Field(default=None, min_length=1, max_length=200)
    """The environment variable holding the basic-auth password of `username`.
    Left out: the password comes from `password_file`, if basic auth is used."""
    password_file: str | None = Field(default=None, min_length=1)
    """A file holding the basic-auth password of `username` (a trailing newline is
    dropped). Left out: the password comes from `password_env`, if basic auth is
    used."""
    ca_file: str | None = Field(default=None, min_length=1)
    """A PEM bundle of the CA certificates to trust for https, for servers behind a
    private CA. Left out: the system's trusted CAs. Certificates are always
    verified; there is no way to switch that off."""

    @model_validator(mode="before")
    @classmethod
    def _keep_secrets_out(cls, data: Any) -> Any:
        # Problems found here are raised with their input hidden: the value may be
        # the secret itself, and a validation error would otherwise print it.
        if not isinstance(data, dict):
            return data
        problems = [
            _hidden_problem(
                key, f"a secret must not be written in a profile; use {instead}"
            )
            for key, instead in LITERAL_SECRET_KEYS.items()
            if key in data
        ]
        for key in ("token_env", "password_env"):
            value = data.get(key)
            if isinstance(value, str) and not _ENV_NAME.match(value):
                problems.append(
                    _hidden_problem(
                        key,
                        "must name an environment variable (letters, digits and _, "
                        "not starting with a digit), not hold its value",
                    )
                )
        url = data.get("url")
        if isinstance(url, str) and _has_user_info(url):
            problems.append(
                _hidden_problem(
                    "url",
                    "the URL must not hold a user name or password; use username: "
                    "with password_env: or password_file: instead",
                )
            )
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return data

    @field_validator("username")
    @classmethod
    def _no_colon(cls, value: str | None) -> str | None:
        if value is not None and ":" in value:
            raise ValueError("a basic-auth user name cannot contain ':'")
        return value

    @model_validator(mode="after")
    def _one_way_to_authenticate(self) -> HttpEndpointOptions:
        if self.token_env is not None and self.token_file is not None:
            raise ValueError("give token_env or token_file, not both")
        if self.password_env is not None and self.password_file is not None:
            raise ValueError("give password_env or password_file, not both")
        has_token = self.token_env is not None or self.token_file is not None
        has_password = self.password_env is not None or self.password_file is not None
        if self.username is None and has_password:
            raise ValueError("password_env and password_file need a username")
        if self.username is not None and not has_password:
            raise ValueError(
                "username needs password_env or password_file for its password"
            )
        if has_token and self.username is not None:
            raise ValueError(
                "use either a bearer token (token_env/token_file) or basic auth "
                "(username), not both"
            )
        return self

    @property
    def address(self) -> str:
        """The server as `host:port`, the way failure reasons name it."""
        url = URL(self.url)
        host = f"[{url.host}]" if url.host and ":" in url.host else url.host
        return f"{host}:{url.port}"

"""Where an AWS source reads from and as whom: profile, region, role and endpoint.

The `cloudwatch`, `cloudwatch_alarms` and `lambda` sources share these options.
Credentials never sit in a profile: profiles are shared, committed and printed by
`watchdeck lint`. A source uses the AWS default credential chain (environment,
shared config and SSO, instance or task role), or the named AWS `profile:`, and may
assume a role on top of either with `role_arn:`.

    aws: {type: cloudwatch, region: us-east-1}
    prod: {type: cloudwatch, profile: prod-readonly, region: eu-west-1}
    audit: {type: cloudwatch, region: us-east-1,
            role_arn: "arn:aws:iam::123456789012:role/watchdeck-read"}
    local: {type: cloudwatch, region: us-east-1, endpoint_url: "http://127.0.0.1:5000"}
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from console.sources.base import SourceOptions
from console.sources.endpoint_options import Seconds

DEFAULT_TIMEOUT = 10.0
"""Seconds one AWS call may take (connecting and reading) unless a source says."""

_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")

_SECRET_WORDS = ("access_key", "secret", "session_token", "security_token")
"""Parts of an option name that mean someone tried to put a credential inline."""


class AwsOptions(SourceOptions):
    """Options of an AWS source block: which credentials, region and endpoint."""

    profile: str | None = Field(default=None, min_length=1, max_length=128)
    """A named AWS profile from `~/.aws/config` and `~/.aws/credentials` (SSO,
    `credential_process` and `role_arn` profiles work too). Left out: the default
    credential chain (`AWS_PROFILE`, environment, instance or task role)."""
    region: str | None = Field(default=None, min_length=1, max_length=32)
    """The region to read from, as `us-east-1`. Left out: the profile's region or
    `AWS_REGION`; with neither, the panels say that no region is set."""
    role_arn: str | None = None
    """A role to assume on top of the credentials above, as
    `arn:aws:iam::123456789012:role/watchdeck-read`; its session is renewed
    before it expires. Left out: the credentials are used as they are."""
    role_session_name: str = Field(default="watchdeck", pattern=r"^[\w+=,.@-]{2,64}$")
    """The session name CloudTrail records for an assumed role. Default:
    `watchdeck`."""
    endpoint_url: str | None = Field(default=None, min_length=1, max_length=300)
    """Another endpoint for every call, such as a VPC endpoint or a local test
    server: `http://127.0.0.1:5000`. Left out: `AWS_ENDPOINT_URL` if set, else
    AWS's public endpoint for the region."""
    timeout: Seconds = Field(default=DEFAULT_TIMEOUT, gt=0.0, le=120.0)
    """How long one call may take, in seconds or as a duration (`5s`), before the
    panels show it timed out. Default: 10 s."""

    @model_validator(mode="before")
    @classmethod
    def _no_credentials_inline(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                flat = str(key).lower().replace("-", "_")
                if any(word in flat for word in _SECRET_WORDS):
                    raise ValueError(
                        f"`{key}`: AWS keys and secrets are never accepted in a "
                        "profile; name an AWS profile with `profile:` or use the "
                        "default credential chain (environment, SSO, instance role)"
                    )
        return data

    @field_validator("region")
    @classmethod
    def _region_shape(cls, region: str | None) -> str | None:
        if region is not None and not _REGION.match(region):
            raise ValueError(f"{region!r} is not a region name such as us-east-1")
        return region

    @field_validator("role_arn")
    @classmethod
    def _role_shape(cls, arn: str | None) -> str | None:
        if arn is not None and not _ROLE_ARN.match(arn):
            raise ValueError(
                f"{arn!r} is not a role ARN such as "
                "arn:aws:iam::123456789012:role/watchdeck-read"
            )
        return arn

    @field_validator("endpoint_url")
    @classmethod
    def _endpoint_is_http(cls, url: str | None) -> str | None:
        if url is not None and not re.match(r"^https?://[^\s/]+", url):
            raise ValueError(f"{url!r} is not an http:// or https:// address")
        return url

    def role_account(self) -> str | None:
        """The account id named in `role_arn`, if there is one."""
        found = _ROLE_ARN.match(self.role_arn) if self.role_arn else None
        return found[1] if found else None

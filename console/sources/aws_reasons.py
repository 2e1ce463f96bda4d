"""AWS failures as one line for a panel, naming the profile and region, never keys.

AWS's own messages for signature and token problems can quote the access key id
and the string that was signed, so for those the reason is written here instead of
quoted; any other quoted message has anything shaped like a key id removed.
"""

from __future__ import annotations

import re

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    TokenRetrievalError,
)

from console.sources.base import SourceError
from console.sources.reason_text import clipped

THROTTLE_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
        "LimitExceededException",
    }
)
"""Error codes that mean AWS is slowing the caller down."""

DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "AuthorizationError",
    }
)
EXPIRED_CODES = frozenset(
    {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
)
REJECTED_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "AuthFailure",
        "IncompleteSignature",
        "MissingAuthenticationToken",
    }
)

_KEY_ID = re.compile(r"\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b")
_SIGNED = re.compile(r"(Credential|Signature|SignedHeaders)=\S+")


def scrubbed(message: str) -> str:
    """`message` with key ids and signature parts taken out."""
    return _SIGNED.sub(r"\1=…", _KEY_ID.sub("[key id]", message))


def error_code(error: BaseException) -> str:
    """The AWS error code of a `ClientError`, else an empty string."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", ""))
    return ""


def is_throttling(error: BaseException) -> bool:
    """True when AWS refused the call for its rate."""
    return error_code(error) in THROTTLE_CODES


def aws_reason(error: BaseException, action: str, who: str, region: str) -> str:
    """One line saying why `action` (as `cloudwatch:GetMetricData`) failed for the
    credentials `who` (`profile prod`) in `region`."""
    where = f"for {who} in {region}"
    if isinstance(error, NoRegionError):
        return (
            f"no region set {where.replace(' in no region', '')}: add `region:` "
            "to the source or set AWS_REGION"
        )
    if isinstance(error, ProfileNotFound):
        return f"{who} is not in the AWS config files (~/.aws/config)"
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return f"no AWS credentials found {where}"
    if isinstance(error, TokenRetrievalError):
        return f"SSO session expired {where}: run `aws sso login`"
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        return f"{action} timed out {where}"
    if isinstance(error, EndpointConnectionError | ConnectionClosedError):
        return f"cannot reach the {action.partition(':')[0]} endpoint {where}"
    code = error_code(error)
    if code in THROTTLE_CODES:
        return f"throttled {where}"
    if code in DENIED_CODES:
        return f"access denied to {action} {where}"
    if code in EXPIRED_CODES:
        return f"credentials expired {where}: renew them"
    if code in REJECTED_CODES:
        return f"credentials rejected by AWS ({code}) {where}"
    if isinstance(error, ClientError):
        said = str(error.response.get("Error", {}).get("Message", "")) or code
        return f"{code}: {clipped(scrubbed(said), 80)}"
    if isinstance(error, BotoCoreError):
        return f"{action} failed {where}: {clipped(scrubbed(str(error)), 80)}"
    return f"{action} failed {where}: {type(error).__name__}"


def aws_source_error(
    error: BaseException, action: str, who: str, region: str
) -> SourceError:
    """The `SourceError` for a whole call that failed."""
    return SourceError(
        aws_reason(error, action, who, region), throttled=is_throttling(error)
    )

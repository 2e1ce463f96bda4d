"""AWS clients for a source: credentials, region, endpoint, retries, and a thread.

boto3 blocks, so every call runs on a small shared pool of threads (`call_in_thread`)
and the event loop never waits on the network. Clients use the standard retry mode
and the source's timeout. botocore's own loggers are held at WARNING, so a debug
log level can never write request signatures or bodies anywhere.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

import boto3
from botocore.config import Config
from botocore.credentials import (
    DeferredRefreshableCredentials,
    create_assume_role_refresher,
)

from console.sources.aws_options import AwsOptions

ResultT = TypeVar("ResultT")

AWS_THREADS = 4
"""Threads that run AWS calls for every AWS source of the app together."""

MAX_ATTEMPTS = 3
"""Tries per call in the standard retry mode, the first one included."""

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL"
"""The environment variable that sends every AWS call to another endpoint."""

_QUIET_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def quiet_sdk_logging() -> None:
    """Hold the SDK's loggers at WARNING: wire logging stays off whatever the
    console's own log level."""
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _threads() -> ThreadPoolExecutor:
    global _pool  # noqa: PLW0603 - one pool shared by every AWS source
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(AWS_THREADS, thread_name_prefix="aws")
        return _pool


async def call_in_thread(work: Callable[[], ResultT]) -> ResultT:
    """Run a blocking SDK call on the shared AWS threads and wait for it."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_threads(), work)


def endpoint_for(options: AwsOptions) -> str | None:
    """The endpoint every call goes to: the option, else `AWS_ENDPOINT_URL`."""
    return options.endpoint_url or os.environ.get(ENDPOINT_VARIABLE) or None


class AwsClients:
    """A session for one source's options, and its clients, made on first use.

    Making a session or a client can fail (an unknown profile, no region); the
    exception reaches the caller, which turns it into a reason with `aws_reasons`.
    Must be used from the AWS threads only: it blocks.
    """

    def __init__(self, options: AwsOptions) -> None:
        self.options = options
        self._session: boto3.Session | None = None
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()
        self._account: str | None = options.role_account()
        quiet_sdk_logging()

    @property
    def profile_label(self) -> str:
        """How reasons name the credentials: `profile NAME` or `default credentials`."""
        if self.options.profile:
            return f"profile {self.options.profile}"
        return "default credentials"

    def region_label(self, region: str | None = None) -> str:
        """The region a call goes to as reasons name it."""
        chosen = region or self.options.region
        if chosen:
            return chosen
        session = self._session
        return (session.region_name if session else None) or "no region"

    def client(self, service: str, region: str | None = None) -> Any:
        """The client for `service` in `region` (the source's region when None)."""
        key = (service, region)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self._make_client(service, region or self.options.region)
                self._clients[key] = found
            return found

    def account(self) -> str:
        """The account the credentials belong to, asked of STS once; the
        profile's label when STS cannot say."""
        if self._account is None:
            try:
                identity = self.client("sts").get_caller_identity()
                self._account = str(identity["Account"])
            except Exception:  # noqa: BLE001 - any failure: fall back to the label
                return self.profile_label
        return self._account

    def _base_session(self) -> boto3.Session:
        if self._session is None:
            session = boto3.Session(
                profile_name=self.options.profile, region_name=self.options.region
            )
            if self.options.role_arn:
                session = self._assumed(session)
            self._session = session
        return self._session

    def _assumed(self, base: boto3.Session) -> boto3.Session:
        """A session whose credentials come from assuming `role_arn` with `base`,
        renewed by botocore shortly before each session expires."""
        sts = base.client(
            "sts",
            endpoint_url=endpoint_for(self.options),
            config=self._config(),
        )
        refresher = create_assume_role_refresher(
            sts,
            {
                "RoleArn": self.options.role_arn,
                "RoleSessionName": self.options.role_session_name,
            },
        )
        credentials = DeferredRefreshableCredentials(
            refresh_using=refresher, method="assume-role"
        )
        botocore_session = base._session
        # boto3 offers no public way to hand a session refreshable credentials.
        cast(Any, botocore_session)._credentials = credentials
        return boto3.Session(
            botocore_session=botocore_session, region_name=base.region_name
        )

    def _make_client(self, service: str, region: str | None) -> Any:
        # The service name is a plain string here, not one of the stubs' literals.
        session: Any = self._base_session()
        return session.client(
            service,
            region_name=region,
            endpoint_url=endpoint_for(self.options),
            config=self._config(),
        )

    def _config(self) -> Config:
        return Config(
            retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
            connect_timeout=self.options.timeout,
            read_timeout=self.options.timeout,
            user_agent_extra="watchdeck",
        )

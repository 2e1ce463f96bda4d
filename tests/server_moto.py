"""A real moto server on 127.0.0.1: CloudWatch, Lambda, STS and friends, for tests.

`shared_moto` starts `python -m moto.server -H 127.0.0.1 -p PORT` on a free
loopback port on first use in a session and stops it when the session ends. While
it runs, the environment holds dummy credentials, a region, `AWS_ENDPOINT_URL`
pointing at it, and AWS config file paths that do not exist, so that no test reads
the user's AWS files or sends anything beyond loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.server_prometheus import free_port

START_TIMEOUT = 30.0
"""Seconds moto may take to start answering."""
STOP_TIMEOUT = 5.0
REGION = "us-east-1"

_MOTO: pytest.StashKey[MotoServer] = pytest.StashKey()

# No proxy: requests to the server must go straight to loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True, slots=True)
class MotoServer:
    """A running moto server."""

    port: int

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    def client(self, service: str, region: str = REGION) -> Any:
        """A boto3 client talking to this server with the dummy credentials."""
        factory: Any = boto3.client  # any service name, not only the stubs' literals
        return factory(service, region_name=region, endpoint_url=self.url)

    def reset(self) -> None:
        """Forget every resource (metrics, alarms, dashboards, functions)."""
        self.post("/moto-api/reset", {})

    def post(self, path: str, body: object) -> None:
        """POST JSON to the server's own control API (`/moto-api/...`)."""
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with _OPENER.open(request, timeout=10.0) as answer:
            answer.read()


_DUMMY_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": "/nonexistent/watchdeck-tests/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/watchdeck-tests/aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def shared_moto(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MotoServer:
    """The session's moto server, started on first use and stopped at the end."""
    config = request.config
    running = config.stash.get(_MOTO, None)
    if running is not None:
        return running
    stack = contextlib.ExitStack()
    try:
        server = stack.enter_context(
            running_moto(tmp_path_factory.mktemp("moto") / "moto.log")
        )
        stack.enter_context(_environment(server))
    except BaseException:
        stack.close()
        raise
    config.stash[_MOTO] = server
    config.add_cleanup(stack.close)
    return server


@contextlib.contextmanager
def running_moto(log: Path) -> Iterator[MotoServer]:
    """Run a moto server on a free loopback port until the block ends."""
    port = free_port()
    argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        server = MotoServer(port)
        _wait_ready(process, server, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def _environment(server: MotoServer) -> Iterator[None]:
    wanted = {**_DUMMY_ENVIRONMENT, "AWS_ENDPOINT_URL": server.url}
    before = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _wait_ready(
    process: subprocess.Popen[bytes], server: MotoServer, log: Path
) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_bytes()[-2000:].decode("utf-8", "replace")
            raise RuntimeError(f"moto server exited: {tail}")
        try:
            with _OPENER.open(server.url + "/moto-api/data.json", timeout=1.0):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"moto server on {server.url} not ready in time")


@pytest.fixture
def moto_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MotoServer:
    """The session's moto server, as a fixture for tests that import it."""
    return shared_moto(request, tmp_path_factory)

"""A moto server on 127.0.0.1 for the AWS-backed tests, started once per session.

`moto_server` (from moto[server]) speaks the real AWS wire protocols over HTTP, so
boto3 is exercised exactly as against AWS; only the endpoint differs. Credentials are
dummies set for the test process alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.server_postgres import free_port

MOTO_SERVER = Path(sys.executable).parent / "moto_server"

DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
"""moto accepts any; set so that boto3 never looks for real ones."""


@dataclass(frozen=True, slots=True)
class MotoServer:
    """A running moto server."""

    url: str
    """`http://127.0.0.1:PORT`."""


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """Start `moto_server` on a free loopback port; stop it after the session."""
    if not MOTO_SERVER.exists():
        pytest.skip("moto_server is not installed (pip install -e '.[dev]')")
    for name, value in DUMMY_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    # A proxy from the environment must never carry loopback traffic away.
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(
            filter(None, [os.environ.get(name, ""), "127.0.0.1", "localhost"])
        )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    port = free_port()
    process = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with opener.open(f"{url}/moto-api/", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield MotoServer(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

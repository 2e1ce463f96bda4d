"""A real Prometheus and a real Alertmanager on 127.0.0.1, for integration tests.

Prometheus scrapes itself every second and evaluates, every second, one rule that
fires at once (`WatchdeckTestAlert`, severity critical), sending it to the
Alertmanager beside it. Both listen on loopback only, on free ports, and keep their
data under a temporary directory. Alertmanager's cluster listener is switched off.

A test module asks for them with a module fixture calling `shared_servers`; they
start on the first request of the session and stop when the session ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROMETHEUS = "/usr/bin/prometheus"
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"

ALERT_NAME = "WatchdeckTestAlert"
"""The alert the rule file fires at once."""

ALERT_SUMMARY = "Always firing, for the watchdeck tests"
"""The alert's `summary` annotation."""

READY_TIMEOUT = 30.0
"""Seconds a server may take to say it is ready before the tests give up."""

STOP_TIMEOUT = 10.0
"""Seconds a server may take to stop after SIGTERM before it is killed."""

_PORT_ATTEMPTS = 5
"""Times to try again with new ports when another process took ours first."""

_SERVERS = pytest.StashKey["MonitoringServers"]()

_PROMETHEUS_CONFIG = """\
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules}
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:{alertmanager_port}"]
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["127.0.0.1:{prometheus_port}"]
"""

_RULES = f"""\
groups:
  - name: watchdeck-tests
    rules:
      - alert: {ALERT_NAME}
        expr: vector(1)
        for: 0s
        labels:
          severity: critical
        annotations:
          summary: "{ALERT_SUMMARY}"
"""

_ALERTMANAGER_CONFIG = """\
route:
  receiver: "null"
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: "null"
"""


@dataclass(frozen=True, slots=True)
class MonitoringServers:
    """Where the running servers answer."""

    prometheus_url: str
    alertmanager_url: str
    prometheus_port: int
    alertmanager_port: int


class ServerStartError(RuntimeError):
    """A server did not become ready; the message ends with its log's tail."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now.

    Prometheus cannot bind port 0 and report it, so a port is found by binding one,
    closing it and handing its number over; another process may take it in
    between, which the caller survives by trying again.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def closed_port() -> int:
    """A port on 127.0.0.1 that refuses connections (nothing listens on it)."""
    return free_port()


def shared_servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MonitoringServers:
    """The session's servers, started on first use and stopped when it ends.

    Each test module's fixture calls this; whichever module runs first starts the
    servers, so they start once however many modules use them.
    """
    config = request.config
    running = config.stash.get(_SERVERS, None)
    if running is not None:
        return running
    for program in (PROMETHEUS, ALERTMANAGER):
        if shutil.which(program) is None:
            if os.environ.get("CI"):
                pytest.fail(
                    f"{program} is required in CI (scripts/install-system-packages.sh)"
                )
            pytest.skip(f"{program} is not installed")
    stack = contextlib.ExitStack()
    try:
        servers = stack.enter_context(
            running_servers(tmp_path_factory.mktemp("monitoring"))
        )
    except BaseException:
        stack.close()
        raise
    config.stash[_SERVERS] = servers
    config.add_cleanup(stack.close)
    return servers


@contextlib.contextmanager
def running_servers(directory: Path) -> Iterator[MonitoringServers]:
    """Start Prometheus and Alertmanager under `directory`; stop both on leaving."""
    last_error: ServerStartError | None = None
    for attempt in range(_PORT_ATTEMPTS):
        ports = free_port(), free_port()
        if ports[0] == ports[1]:
            continue
        with contextlib.ExitStack() as stack:
            try:
                servers = _start_both(directory / f"try{attempt}", *ports, stack)
            except _PortTaken as error:
                last_error = error
                continue
            yield servers
            return
    raise ServerStartError(f"no free ports after {_PORT_ATTEMPTS} tries: {last_error}")


class _PortTaken(ServerStartError):
    """Another process bound the port between finding it and the server binding it."""


def _start_both(
    directory: Path,
    prometheus_port: int,
    alertmanager_port: int,
    stack: contextlib.ExitStack,
) -> MonitoringServers:
    directory.mkdir(parents=True)
    rules = directory / "rules.yml"
    rules.write_text(_RULES)
    prometheus_config = directory / "prometheus.yml"
    prometheus_config.write_text(
        _PROMETHEUS_CONFIG.format(
            rules=rules,
            prometheus_port=prometheus_port,
            alertmanager_port=alertmanager_port,
        )
    )
    alertmanager_config = directory / "alertmanager.yml"
    alertmanager_config.write_text(_ALERTMANAGER_CONFIG)
    alertmanager = stack.enter_context(
        _process(
            [
                ALERTMANAGER,
                f"--config.file={alertmanager_config}",
                f"--storage.path={directory / 'alertmanager-data'}",
                f"--web.listen-address=127.0.0.1:{alertmanager_port}",
                # Empty: no cluster listener, so nothing binds beyond loopback.
                "--cluster.listen-address=",
            ],
            directory / "alertmanager.log",
        )
    )
    prometheus = stack.enter_context(
        _process(
            [
                PROMETHEUS,
                f"--config.file={prometheus_config}",
                f"--storage.tsdb.path={directory / 'prometheus-data'}",
                f"--web.listen-address=127.0.0.1:{prometheus_port}",
                # Alerts evaluated before Alertmanager is discovered (a few seconds
                # in) are dropped; resent each second, they arrive soon after.
                "--rules.alert.resend-delay=1s",
            ],
            directory / "prometheus.log",
        )
    )
    servers = MonitoringServers(
        prometheus_url=f"http://127.0.0.1:{prometheus_port}",
        alertmanager_url=f"http://127.0.0.1:{alertmanager_port}",
        prometheus_port=prometheus_port,
        alertmanager_port=alertmanager_port,
    )
    deadline = time.monotonic() + READY_TIMEOUT
    _wait_ready(alertmanager, servers.alertmanager_url, deadline)
    _wait_ready(prometheus, servers.prometheus_url, deadline)
    return servers


@dataclass(slots=True)
class _Running:
    program: str
    process: subprocess.Popen[bytes]
    log: Path


@contextlib.contextmanager
def _process(argv: list[str], log: Path) -> Iterator[_Running]:
    """Run `argv` with its output in `log`; terminate it (then kill) on leaving."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield _Running(argv[0], process, log)
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


def _wait_ready(running: _Running, base_url: str, deadline: float) -> None:
    """Poll `/-/ready` until it answers 200, the process dies, or time runs out."""
    # No proxy: the request must go straight to loopback whatever the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            tail = _tail(running.log)
            if "address already in use" in tail:
                raise _PortTaken(tail)
            raise ServerStartError(f"{running.program} exited: {tail}")
        if _says_ready(opener, f"{base_url}/-/ready"):
            return
        time.sleep(0.1)
    raise ServerStartError(f"{base_url} not ready in time: {_tail(running.log)}")


def _says_ready(opener: urllib.request.OpenerDirector, url: str) -> bool:
    try:
        with opener.open(url, timeout=1.0) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        # Refused or not ready yet (503): still starting.
        return False


def _tail(log: Path, size: int = 2000) -> str:
    return log.read_bytes()[-size:].decode("utf-8", "replace")

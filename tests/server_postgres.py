"""A private PostgreSQL 15 for integration tests, from Debian's packages.

`running_postgres()` makes a cluster in a temporary directory with `initdb`, starts
`postgres` listening on 127.0.0.1 only (its socket in the same directory), waits
until it accepts connections, and at the end stops it with a fast shutdown and
removes the directory. PostgreSQL refuses to run as root, so under root (as in CI)
the server runs as `nobody`; otherwise it runs as the current user. Every login,
the superuser's included, needs a password (SCRAM), as a real server would.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

PG_BIN = Path("/usr/lib/postgresql/15/bin")
"""Where Debian's postgresql-15 package puts the server programs."""

SERVER_ACCOUNT = "nobody"
"""Who runs the server when the tests run as root."""

SUPERUSER = "postgres"
"""The cluster's superuser, used to set up roles and tables."""

HOST = "127.0.0.1"

READY_TIMEOUT = 20.0
"""Seconds to wait for the server to accept connections."""

STOP_TIMEOUT = 10.0
"""Seconds a fast shutdown may take before the server is killed."""

SERVER_SETTINGS = (
    # Durability buys nothing in a throwaway cluster, and costs seconds.
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "shared_buffers=16MB",
    "max_connections=20",
    "log_min_messages=warning",
)


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A running cluster: where it listens and how to log in as its superuser."""

    port: int
    superuser_password: str
    directory: Path

    def dsn(self, user: str, password: str, database: str = "postgres") -> str:
        """A postgresql:// URL for `user` on this server, the password encoded."""
        secret = quote(password, safe="")
        return f"postgresql://{user}:{secret}@{HOST}:{self.port}/{database}"

    def run_sql(self, sql: str, database: str = "postgres") -> None:
        """Run `sql` with psql as the superuser, stopping at the first error."""
        environment = {**os.environ, "PGPASSWORD": self.superuser_password}
        subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                HOST,
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-d",
                database,
            ],
            input=sql,
            text=True,
            env=environment,
            capture_output=True,
            check=True,
            timeout=30,
        )


def postgres_available() -> bool:
    """Whether Debian's PostgreSQL 15 server programs are installed."""
    return all((PG_BIN / name).exists() for name in ("initdb", "postgres", "psql"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A fresh cluster, running for the duration of the `with` block."""
    directory = Path(tempfile.mkdtemp(prefix="watchdeck-pg-"))
    try:
        account = _server_account()
        password = secrets.token_urlsafe(18)
        _initdb(directory, password, account)
        server = PostgresServer(free_port(), password, directory)
        process = _start(server, account)
        try:
            _wait_until_ready(server, process)
            yield server
        finally:
            _stop(process)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _server_account() -> pwd.struct_passwd | None:
    """The account to run the server as, or None for the current user."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwnam(SERVER_ACCOUNT)


def _initdb(directory: Path, password: str, account: pwd.struct_passwd | None) -> None:
    password_file = directory / "superuser-password"
    password_file.write_text(password + "\n")
    (directory / "sockets").mkdir()
    if account is not None:
        for path in (directory, password_file, directory / "sockets"):
            os.chown(path, account.pw_uid, account.pw_gid)
    command = [
        str(PG_BIN / "initdb"),
        "--pgdata",
        str(directory / "data"),
        "--username",
        SUPERUSER,
        "--pwfile",
        str(password_file),
        "--auth",
        "scram-sha-256",
        "--encoding",
        "UTF8",
        "--no-locale",
        "--no-sync",
        "--no-instructions",
    ]
    result = subprocess.run(
        command,
        cwd=directory,
        env=_server_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        user=None if account is None else account.pw_uid,
        group=None if account is None else account.pw_gid,
        extra_groups=None if account is None else [],
    )
    password_file.unlink()
    if result.returncode != 0:
        raise RuntimeError(f"initdb failed: {result.stderr.strip()[-2000:]}")


def _start(
    server: PostgresServer, account: pwd.struct_passwd | None
) -> subprocess.Popen[bytes]:
    command = [
        str(PG_BIN / "postgres"),
        "-D",
        str(server.directory / "data"),
        "-p",
        str(server.port),
        "-k",
        str(server.directory / "sockets"),
        "-c",
        f"listen_addresses={HOST}",
    ]
    for setting in SERVER_SETTINGS:
        command += ["-c", setting]
    with (server.directory / "server.log").open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=server.directory,
            env=_server_environment(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            user=None if account is None else account.pw_uid,
            group=None if account is None else account.pw_gid,
            extra_groups=None if account is None else [],
        )


def _server_environment() -> dict[str, str]:
    # A minimal environment: the server needs none of the test run's variables,
    # and some (PGDATA, PGPORT) would steer it.
    return {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"}


def _wait_until_ready(server: PostgresServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"postgres exited at start: {_log_tail(server)}")
        probe = subprocess.run(
            [str(PG_BIN / "pg_isready"), "-q", "-h", HOST, "-p", str(server.port)],
            check=False,
            timeout=10,
        )
        if probe.returncode == 0:
            return
        time.sleep(0.05)
    raise RuntimeError(
        f"postgres not ready after {READY_TIMEOUT:g}s: {_log_tail(server)}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """A fast shutdown (SIGINT: roll back sessions, then exit), or a kill."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT)


def _log_tail(server: PostgresServer) -> str:
    try:
        text = (server.directory / "server.log").read_text(errors="replace")
    except OSError as error:
        return f"(no server log: {error})"
    return text.strip()[-2000:]

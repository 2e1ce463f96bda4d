"""Secrets never leak: with canary values in the environment, in secret headers and
in a DSN file, debug logging on and every source failing (one server even echoes the
credentials back in its error bodies), no canary appears in the log, the snapshot,
the lint output, the screen or any file the console writes; and those files are
readable by the user alone.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import stat
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lint_process import WATCHDECK
from tests.test_end_to_end_tmux import Tmux, require_tmux

pytestmark = [pytest.mark.reliability, pytest.mark.integration]


class EchoingHandler(http.server.BaseHTTPRequestHandler):
    """Refuses every request with 401, quoting the credentials it was sent, as
    careless servers do; JSON under /json/, plain text elsewhere."""

    def do_GET(self) -> None:
        said = " ".join(
            f"{name}={self.headers.get(name)}"
            for name in ("Authorization", "X-Api-Key")
            if self.headers.get(name)
        )
        if self.path.startswith("/json/"):
            body = json.dumps({"status": "error", "error": f"bad {said}"}).encode()
            kind = "application/json"
        else:
            body = f"bad {said}".encode()
            kind = "text/plain"
        self.send_response(401)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads what the console did, not the server."""


@contextlib.contextmanager
def echoing_server() -> Iterator[str]:
    """The echoing server on 127.0.0.1 in a thread; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def canaries() -> dict[str, str]:
    tag = uuid.uuid4().hex[:12]
    return {
        "WD_TOKEN": f"canarytoken{tag}",
        "WD_PASSWORD": f"canarypass{tag}",
        "WD_HEADER": f"canaryheader{tag}",
        "WD_DSN_PASSWORD": f"canarydsn{tag}",
    }


def forbidden(canaries: dict[str, str]) -> list[str]:
    """Every form in which a canary could appear."""
    pair = f"ops:{canaries['WD_PASSWORD']}".encode()
    return [*canaries.values(), base64.b64encode(pair).decode()]


def write_profile(home: Path, url: str, canaries: dict[str, str]) -> Path:
    dsn = home / "dsn.txt"
    dsn.write_text(f"postgresql://ops:{canaries['WD_DSN_PASSWORD']}@127.0.0.1:1/db\n")
    dsn.chmod(0o600)
    profile = home / "secrets.yaml"
    profile.write_text(
        f"""
profile: secrets
title: Secrets
sources:
  prom: {{type: prometheus, url: "{url}/json", token_env: WD_TOKEN, timeout: 2s}}
  am: {{type: alertmanager, url: "{url}/text", username: ops,
        password_env: WD_PASSWORD, timeout: 2s}}
  api: {{type: http, base_url: "{url}/text", timeout: 2s,
         secret_headers: {{X-Api-Key: {{env: WD_HEADER}}}}}}
  db: {{type: sql, dsn_file: "{dsn}"}}
dashboards:
  - id: main
    title: Main
    refresh: 2s
    panels:
      - {{id: a, title: A, type: single_value, at: {{x: 0, y: 0, w: 3, h: 6}},
          query: {{source: prom, promql: up}}}}
      - {{id: b, title: B, type: table, at: {{x: 3, y: 0, w: 3, h: 6}},
          query: {{source: am}}}}
      - {{id: c, title: C, type: single_value, at: {{x: 6, y: 0, w: 3, h: 6}},
          query: {{source: api, path: /v, reading: value}}}}
      - {{id: d, title: D, type: table, at: {{x: 9, y: 0, w: 3, h: 6}},
          query: {{source: db, sql: "select 1"}}}}
"""
    )
    return profile


def environment(home: Path, canaries: dict[str, str]) -> dict[str, str]:
    return {
        "HOME": str(home),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        **{k: v for k, v in canaries.items() if k != "WD_DSN_PASSWORD"},
    }


def assert_clean(text: str, canaries: dict[str, str], where: str) -> None:
    for value in forbidden(canaries):
        assert value not in text, f"a canary leaked into {where}"


def test_no_canary_in_snapshot_lint_screen_log_or_any_written_file(
    tmp_path: Path, canaries: dict[str, str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with echoing_server() as url:
        profile = write_profile(home, url, canaries)
        env = environment(home, canaries)
        snapshot = subprocess.run(
            [str(WATCHDECK), "snapshot", "--profile", str(profile), "--wait", "5"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert snapshot.returncode == 0, snapshot.stderr
        # Every panel failed, and says why, without the secret it was refused for.
        assert snapshot.stdout.count("error:") >= 4, snapshot.stdout
        assert_clean(snapshot.stdout + snapshot.stderr, canaries, "the snapshot")

        lint = subprocess.run(
            [str(WATCHDECK), "lint", str(profile)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout
        assert_clean(lint.stdout + lint.stderr, canaries, "lint")

        tmux = Tmux(require_tmux(), home)
        try:
            tmux.start(
                [str(WATCHDECK), "run", "--debug", "--profile", str(profile)],
                extra_env={k: v for k, v in env.items() if k.startswith("WD_")},
            )
            screen = tmux.wait_for(lambda s: s.count("error:") >= 4, timeout=30)
            assert "401" in screen
            tmux.keys("q")
            tmux.wait_dead(10)
            history = tmux.run("capture-pane", "-p", "-S", "-500", "-t", tmux.session)
        finally:
            tmux.kill()
    assert_clean(screen + history, canaries, "the screen")

    log = home / "state" / "watchdeck" / "watchdeck.log"
    assert log.is_file(), "--debug wrote a log"
    text = log.read_text()
    assert "DEBUG" in text and "401" in text, "the log saw the failures"
    written = [path for path in home.rglob("*") if path.is_file()]
    written = [p for p in written if p.name not in ("secrets.yaml", "dsn.txt")]
    assert log in written
    for path in written:
        assert_clean(path.read_bytes().decode(errors="replace"), canaries, str(path))
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others: {oct(mode)}"
    for folder in {path.parent for path in written}:
        mode = stat.S_IMODE(folder.stat().st_mode)
        if folder.is_relative_to(home / "state"):
            assert mode & 0o077 == 0, f"{folder} is open to others: {oct(mode)}"

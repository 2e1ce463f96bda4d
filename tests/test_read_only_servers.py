"""Read-only mode against real servers: every writing key pressed on the
dashboard, in a drill-down and on the alerts screen sends nothing to a real
Alertmanager (its silences, counted through its API, stay as they were) and leaves
the state store untouched; `watchdeck export cloudwatch --put` refuses in one line
and the moto server holds no dashboard."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import load_profile
from console.storage.opening import open_state_store
from console.storage.sqlite_store import SqliteStateStore
from screens.alerts import AlertsScreen
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.drilldown import DrillDownScreen
from tests.server_moto import MotoServer, moto_server
from tests.server_prometheus import MonitoringServers, shared_servers
from tests.test_acknowledge_alertmanager import alert_row, silences
from tests.test_cloudwatch_import_export import run
from widgets.panel import PanelView

__all__ = ["moto_server"]

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

WRITING_KEYS = ("A", "U", "m", "b", "f")
"""Acknowledge (a silence), unacknowledge (expire one), note, save view, feedback."""


@pytest.fixture(scope="module")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MonitoringServers:
    return shared_servers(request, tmp_path_factory)


async def press_each(
    pilot: Pilot[Any], where: type[Screen[Any]], messages: list[str]
) -> list[str]:
    """Press every writing key; after each the same screen is on top (no prompt
    opened). Returns the keys pressed; adds the notifications each key raised to
    `messages` (read at once: Textual drops a notification five seconds after it
    was raised, and waiting for the firing alert can take longer than that)."""
    pressed = []
    for key in WRITING_KEYS:
        screen = pilot.app.screen
        assert isinstance(screen, where)
        seen = {id(n) for n in pilot.app._notifications}
        await pilot.press(key)
        await pilot.pause(0.3)
        assert pilot.app.screen is screen, f"{key} opened {pilot.app.screen!r}"
        pressed.append(key)
        messages += [
            str(n.message) for n in pilot.app._notifications if id(n) not in seen
        ]
    return pressed


async def test_writing_keys_send_no_silence_in_read_only(
    servers: MonitoringServers, tmp_path: Path
) -> None:
    loaded = load_profile(
        shipped_profiles_dir() / "prometheus.yaml",
        {
            "prometheus_url": servers.prometheus_url,
            "alertmanager_url": servers.alertmanager_url,
        },
    )
    path = tmp_path / "state.db"
    SqliteStateStore(path).close()
    stored = path.read_bytes()
    before = silences(servers.alertmanager_url)
    app = WatchdeckApp(
        loaded, read_only=True, state_store=open_state_store(path, read_only=True)
    )
    pressed: list[str] = []
    messages: list[str] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(0.5)
        app.screen.query_one("#panel-alerts", PanelView).focus()
        pressed += await press_each(pilot, DashboardScreen, messages)
        await pilot.press("enter")
        await pilot.pause(0.3)
        drill = app.screen
        assert isinstance(drill, DrillDownScreen)
        table = drill.query_one(DataTable)
        deadline = time.monotonic() + 30
        while alert_row(table) is None:
            assert time.monotonic() < deadline, "the firing alert never arrived"
            app.poller.refresh_now()
            await pilot.pause(0.5)
        row = alert_row(table)
        assert row is not None
        table.move_cursor(row=row)
        pressed += await press_each(pilot, DrillDownScreen, messages)
        await pilot.press("escape")
        await pilot.pause(0.2)
        await pilot.press("a")
        await pilot.pause(0.5)
        assert isinstance(app.screen, AlertsScreen)
        pressed += await press_each(pilot, AlertsScreen, messages)
    assert len(pressed) == 15
    # Every key says why it did nothing, but `b` on the alerts screen, which has
    # no view to save.
    assert sum("read-only" in m for m in messages) == 14, messages
    assert silences(servers.alertmanager_url) == before, "no silence made or ended"
    assert path.read_bytes() == stored


def write_config(root: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root))
    (root / "watchdeck").mkdir(parents=True, exist_ok=True)
    (root / "watchdeck" / "config.yaml").write_text(text)


def test_export_put_in_read_only_puts_nothing(
    moto_server: MotoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto_server.reset()
    write_config(tmp_path / "config", monkeypatch, "read_only: false\n")
    argv = ("export", "cloudwatch", "--profile", "aws-operations", "--put", "ops")
    status, out, err = run(*argv, "--read-only")
    assert status == 1 and out == ""
    assert err == (
        "watchdeck export: read-only mode: 'ops' was not put (PutDashboard "
        "writes); print the body without --put\n"
    )
    write_config(tmp_path / "config", monkeypatch, "read_only: true\n")
    status, out, err = run(*argv)
    assert status == 1 and err.count("\n") == 1 and "read-only mode" in err
    listed = moto_server.client("cloudwatch").list_dashboards()
    assert listed["DashboardEntries"] == [], "moto holds no dashboard"
    status, out, _ = run("export", "cloudwatch", "--profile", "aws-operations")
    assert status == 0 and '"widgets"' in out, "printing the body still works"
    write_config(tmp_path / "config", monkeypatch, "read_only: false\n")
    status, _, err = run(*argv)
    assert status == 0, err
    listed = moto_server.client("cloudwatch").list_dashboards()
    assert [d["DashboardName"] for d in listed["DashboardEntries"]] == ["ops"]

"""Saved views in the command palette (`:`): the user's views of this profile that
their role may open, open one, save the view, copy its token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot

from console.clock import ManualClock
from console.profile_loader import LoadedProfile, load_profile_text
from console.storage.sqlite_store import SqliteStateStore
from console.view_state import ViewState
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.save_view import SaveViewScreen
from screens.view_commands import ViewCommands
from tests.test_user_config import ROLE_PROFILE
from widgets.panel import PanelView

SIZE = (160, 48)


def _save(store: SqliteStateStore, name: str, state: ViewState, hash_: str) -> None:
    store.save_view(name, state.to_json(), profile_hash=hash_, user="x", host="h", at=0)


async def _run_from_palette(pilot: Pilot[Any], typed: str) -> None:
    await pilot.press("colon")
    await pilot.pause(0.2)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*typed)
    await pilot.pause(0.4)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def _names(app: WatchdeckApp) -> list[str]:
    provider = ViewCommands(app.screen)
    await provider.startup()
    return [name for name, _help, _run in provider._commands()]


async def test_the_palette_opens_a_saved_view(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    state = ViewState(
        profile="demo",
        dashboard="latency",
        variables={"service": "payments"},
        focused_panel="by-endpoint",
    )
    _save(store, "payments-latency", state, demo_profile.content_hash)
    other = ViewState(profile="business", dashboard="revenue")
    _save(store, "elsewhere", other, "0" * 64)
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = await _names(app)
        assert "Open view: payments-latency" in names
        assert "Open view: elsewhere" not in names, "another profile's view is left out"
        assert {"Save view", "Copy view token"} <= set(names)
        await _run_from_palette(pilot, "payments-lat")
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.id == "latency"
        assert app.loaded.variables["service"] == "payments"
        assert isinstance(app.focused, PanelView)
        assert app.focused.spec.id == "by-endpoint"
        assert app.current_view == ("payments-latency", 1)


async def test_the_palette_saves_and_copies_a_token(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _run_from_palette(pilot, "save view")
        assert isinstance(app.screen, SaveViewScreen)
        await pilot.press("escape")
        await pilot.pause()
        await _run_from_palette(pilot, "copy view token")
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("wd1.") for m in messages)


async def test_the_palette_lists_only_views_the_role_may_open(
    frozen_clock: ManualClock, tmp_path: Path
) -> None:
    loaded = load_profile_text(ROLE_PROFILE, "split.yaml")
    store = SqliteStateStore(tmp_path / "state.db")
    for dashboard in ("everyone", "money", "wires"):
        state = ViewState(profile="split", dashboard=dashboard)
        _save(store, f"on-{dashboard}", state, loaded.content_hash)
    app = WatchdeckApp(
        loaded, clock=frozen_clock, poll=False, state_store=store, role="executives"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        names = [n for n in await _names(app) if n.startswith("Open view")]
        assert names == ["Open view: on-everyone", "Open view: on-money"]

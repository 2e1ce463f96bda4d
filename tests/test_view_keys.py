"""Saved views in the console: `b` saves, `1`-`9` recall bookmarks, `y` copies a
token, `--view` opens one; read-only saves nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from console.clock import ManualClock
from console.identity import local_user
from console.profile_loader import LoadedProfile
from console.storage.sqlite_store import SqliteStateStore
from console.view_state import ViewState
from console.views_token import decode_token
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.save_view import SaveViewScreen
from screens.view_actions import OpenedView
from widgets.panel import PanelView

SIZE = (160, 48)


def _messages(app: WatchdeckApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _focused(app: WatchdeckApp) -> str | None:
    return app.focused.spec.id if isinstance(app.focused, PanelView) else None


async def _save_through_prompt(
    pilot: Pilot[Any], name: str, slot: int | None, note: str = ""
) -> None:
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SaveViewScreen)
    screen.query_one("#name", Input).value = name
    if slot is not None:
        screen.query_one("#slot", Select).value = slot
    screen.query_one("#note", Input).value = note
    screen.query_one("#name", Input).focus()
    await pilot.press("enter")
    for _ in range(50):
        await pilot.pause(0.02)
        if any("revision" in m for m in _messages(pilot.app)):  # type: ignore[arg-type]
            return


async def test_b_saves_the_current_view_with_a_bookmark(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab")
        assert _focused(app) == "pool-cpu"
        await _save_through_prompt(pilot, "triage", 3, note="pool hot")
        assert isinstance(app.screen, DashboardScreen)
        await _save_through_prompt(pilot, "triage", None)
        history = store.view_history("triage")
        assert [r.revision for r in history] == [1, 2]
        first = ViewState.from_json(history[0].state)
        assert first.dashboard == "service" and first.focused_panel == "pool-cpu"
        assert first.variables == {"service": "checkout"}
        assert history[0].note == "pool hot"
        assert history[0].profile_hash == demo_profile.content_hash
        assert store.bookmarks(local_user()) == {3: "triage"}
        assert any("triage revision 2" in m for m in _messages(app))


async def test_escape_on_the_save_prompt_saves_nothing(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, SaveViewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert SqliteStateStore(tmp_path / "state.db").view_names() == []


def _bookmark(store: SqliteStateStore, slot: int, state: ViewState, hash_: str) -> None:
    store.save_view(
        f"view{slot}", state.to_json(), profile_hash=hash_, user="x", host="h", at=0
    )
    store.set_bookmark(local_user(), slot, f"view{slot}", at=0)


async def test_a_digit_recalls_its_bookmarked_view(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    state = ViewState(
        profile="demo",
        dashboard="latency",
        variables={"service": "payments"},
        focused_panel="by-endpoint",
    )
    _bookmark(store, 4, state, demo_profile.content_hash)
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.id == "latency"
        assert app.loaded.variables["service"] == "payments"
        assert _focused(app) == "by-endpoint"
        assert len(app.screen_stack) == 2, "recalling replaces, it does not stack"
        assert not any("profile changed" in m for m in _messages(app))
        await pilot.press("7")
        await pilot.pause()
        assert app.screen is screen, "an empty slot changes nothing"
        assert any("bookmark 7 is empty" in m for m in _messages(app))


async def test_recalling_a_view_of_a_changed_profile_warns(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    _bookmark(store, 1, ViewState(profile="demo", dashboard="host"), "0" * 64)
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.dashboard.id == "host"
        assert any("profile changed since" in m for m in _messages(app))


async def test_a_view_of_another_profile_is_refused(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    _bookmark(store, 2, ViewState(profile="operations", dashboard="ops"), "")
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.dashboard.id == "service"
        assert any("'operations'" in m for m in _messages(app))


async def test_y_copies_a_token_that_holds_the_view(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        await pilot.press("y")
        await pilot.pause()
        token = app.clipboard
        assert token.startswith("wd1.")
        assert any(token in m for m in _messages(app)), "the token is shown too"
    decoded = decode_token(token)
    assert decoded.state.dashboard == "service"
    assert decoded.state.focused_panel == "error-rate"
    assert demo_profile.content_hash.startswith(decoded.profile_hash)


async def test_an_opened_view_starts_where_it_was_saved(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    view = OpenedView(
        ViewState(profile="demo", dashboard="host", focused_panel="disk-usage"),
        demo_profile.content_hash,
        "view 'x'",
    )
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False, view=view)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.dashboard.id == "host"
        assert _focused(app) == "disk-usage"
        assert len(app.screen_stack) == 2


async def test_read_only_b_says_so_and_writes_nothing(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    store = SqliteStateStore(tmp_path / "state.db")
    app = WatchdeckApp(
        demo_profile,
        clock=frozen_clock,
        poll=False,
        read_only=True,
        state_store=store,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen), "no prompt opens"
        assert any("read-only" in m for m in _messages(app))
    assert SqliteStateStore(tmp_path / "state.db").view_names() == []

"""Read-only mode: every key that writes says so, and the store file stays
byte-for-byte the same."""

from __future__ import annotations

from pathlib import Path

from console.clock import ManualClock
from console.identity import local_user
from console.profile_loader import LoadedProfile
from console.storage.opening import open_state_store
from console.storage.sqlite_store import SqliteStateStore
from console.view_state import ViewState
from screens.app import WatchdeckApp
from screens.drilldown import DrillDownScreen

WRITING_KEYS = ("b", "a", "A", "U", "m", "t", "f")
"""Save view, and the alert, annotation and feedback keys (some are bound only once
the alerts and usage work lands; pressing an unbound key must write nothing too)."""


async def test_every_writing_key_in_read_only_leaves_the_store_untouched(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    path = tmp_path / "state.db"
    seed = SqliteStateStore(path)
    state = ViewState(profile="demo", dashboard="host").to_json()
    seed.save_view("v", state, profile_hash="", user="u", host="h", at=0)
    seed.set_bookmark(local_user(), 1, "v", at=0)
    seed.close()
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    store = open_state_store(path, read_only=True)
    app = WatchdeckApp(
        demo_profile,
        clock=frozen_clock,
        poll=False,
        read_only=True,
        state_store=store,
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for key in WRITING_KEYS:
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrillDownScreen)
        for key in WRITING_KEYS:
            await pilot.press(key)
            await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any("views are not saved" in m for m in messages)
        assert sum("read-only" in m for m in messages) >= 2
        await pilot.press("escape", "escape")
        await pilot.press("1")
        await pilot.pause(0.2)
        assert getattr(app.screen, "dashboard", None) is not None
    assert path.read_bytes() == files["state.db"]
    # SQLite's read-only WAL reader may leave an empty -wal and its -shm index
    # beside the file; neither holds a record.
    wal = tmp_path / "state.db-wal"
    assert not wal.exists() or wal.read_bytes() == b""

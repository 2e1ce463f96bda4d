"""A user in a role sees only that role's dashboards: the list, the palette, links."""

from __future__ import annotations

from textual.widgets import OptionList

from console.clock import ManualClock
from console.profile_loader import load_profile_text
from screens.app import WatchdeckApp
from screens.commands import DashboardCommands
from screens.dashboard import DashboardScreen
from screens.dashboard_list import DashboardListScreen
from tests.test_user_config import ROLE_PROFILE


async def test_an_executive_sees_and_opens_only_executive_dashboards(
    frozen_clock: ManualClock,
) -> None:
    loaded = load_profile_text(ROLE_PROFILE, "split.yaml")
    app = WatchdeckApp(loaded, clock=frozen_clock, poll=False, role="executives")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, DashboardListScreen)
        options = listing.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["everyone", "money"]
        await pilot.press("escape")
        await pilot.pause()
        provider = DashboardCommands(app.screen)
        names = [name for name, _help, _run in provider._commands()]
        assert "Open dashboard: Money" in names
        assert "Open dashboard: Wires" not in names
        app.open_dashboard("wires")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.id == "everyone", "a hidden dashboard does not open"

"""The watchdeck application: it owns the session, the store and the poller."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Mapping
from typing import ClassVar, Literal

from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from console.alerts import AlertBook
from console.clock import Clock, SystemClock
from console.poller import Poller
from console.problems import ProfileError
from console.profile_loader import LoadedProfile
from console.session import Session
from console.storage.interface import StateStore
from console.storage.sqlite_store import SqliteStateStore
from console.store import Store
from screens.commands import DashboardCommands
from screens.dashboard import DashboardScreen
from screens.help import HelpScreen
from screens.navigation_commands import NavigationCommands
from screens.navigator import Navigator

log = logging.getLogger(__name__)

HANGUP_GRACE = 1.5
"""Seconds a hang-up (a dropped SSH session) gets to exit cleanly before the process
ends itself: nobody is left to see the terminal restored."""


class WatchdeckApp(App[int]):
    """A keyboard-driven console for one profile's dashboards."""

    CSS_PATH = "watchdeck.tcss"
    TITLE = "watchdeck"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {DashboardCommands, NavigationCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("colon", "command_palette", "Commands", show=False),
    ]

    class DataArrived(Message):
        """Posted by the poller's listener when queries got new data or errors;
        handled by `WatchdeckApp.on_watchdeck_app_data_arrived`. A newer one absorbs
        any pending one, so a burst of answers costs one repaint."""

        def __init__(self, keys: frozenset[str]) -> None:
            super().__init__()
            self.keys = keys

        def can_replace(self, message: Message) -> bool:
            if isinstance(message, WatchdeckApp.DataArrived):
                self.keys = self.keys | message.keys
                return True
            return False

    def __init__(
        self,
        loaded: LoadedProfile,
        *,
        dashboard_id: str | None = None,
        clock: Clock | None = None,
        read_only: bool = False,
        poll: bool = True,
        state_store: StateStore | None = None,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.clock = clock or SystemClock()
        self.read_only = read_only
        self.state_store: StateStore = state_store or SqliteStateStore.in_memory()
        """Views, acknowledgements, annotations and usage, kept between runs (in
        memory only unless the command line opened a store)."""
        self.store = Store()
        self.alerts = AlertBook()
        self.session = Session(loaded.profile, self.clock)
        self.poller = Poller(
            self.session.sources,
            self.store,
            self.clock,
            self._poller_answered,
            min_intervals=self.session.min_intervals(),
            source_timeouts=self.session.source_timeouts(),
            batch_sizes=self.session.batch_sizes(),
        )
        self.navigator = Navigator(self)
        """Time window, filter and drill path, and the moves that change them."""
        self._first_dashboard = dashboard_id or loaded.profile.dashboards[0].id
        self._poll = poll
        self._poll_task: asyncio.Task[None] | None = None

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self._poll:
            self._poll_task = asyncio.create_task(self.poller.run())
        self.open_dashboard(self._first_dashboard)

    async def on_unmount(self) -> None:
        if self._poll_task is not None:
            self._poll_task.cancel()
        await self.poller.close()
        await self.session.close()
        self.state_store.close()

    def open_dashboard(
        self,
        dashboard_id: str,
        variables: Mapping[str, str] | None = None,
        *,
        via: Literal["enter", "follow", "back", "vary"] = "enter",
    ) -> bool:
        """Show a dashboard of the profile in place of the current one, with some
        variables set first (as a drill link asks); False if it cannot be shown.

        `via` says how it was reached: chosen directly (a new drill path starts),
        through a drill link (the path grows), by going back (the navigator
        shortens the path) or again with other variables (the selector)."""
        if self.loaded.profile.dashboard(dashboard_id) is None:
            self.notify(f"no dashboard {dashboard_id!r}", severity="error")
            return False
        if variables and not self._apply_variables(variables):
            return False
        dashboard = self.loaded.profile.dashboard(dashboard_id)
        if dashboard is None:
            self.notify(f"no dashboard {dashboard_id!r}", severity="error")
            return False
        navigation = self.navigator.state
        if via == "follow":
            navigation.follow(dashboard_id, self.loaded.variables)
        elif via == "enter":
            navigation.enter(dashboard_id, self.loaded.variables)
        elif via == "vary":
            navigation.vary(dashboard_id, self.loaded.variables)
        screen = DashboardScreen(dashboard)
        for other in self.loaded.profile.dashboards:
            if other.id != dashboard_id:
                self.alerts.forget_dashboard(other.id)
        if isinstance(self.screen, DashboardScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        return True

    def _apply_variables(self, variables: Mapping[str, str]) -> bool:
        """Re-resolve the profile with new variable values; False if they do not
        fit it (the reason is shown)."""
        try:
            loaded = self.loaded.with_variables(variables)
        except ProfileError as error:
            self.notify(str(error), title="cannot set variables", severity="error")
            return False
        if loaded.profile.sources != self.loaded.profile.sources:
            old = self.session
            self.session = Session(loaded.profile, self.clock)
            self.poller.replace_sources(self.session.sources)
            self.run_worker(old.close(), group="close-sources")
        else:
            self.session.profile = loaded.profile
        self.loaded = loaded
        return True

    def on_watchdeck_app_data_arrived(self, message: DataArrived) -> None:
        # Only the screen on top is polled; it decides which of its panels to redraw.
        handler = getattr(self.screen, "data_arrived", None)
        if callable(handler):
            handler(message.keys)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _poller_answered(self, keys: frozenset[str]) -> None:
        self.post_message(self.DataArrived(keys))

    def _install_signal_handlers(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, self._terminate, "SIGTERM")
            loop.add_signal_handler(signal.SIGHUP, self._terminate, "SIGHUP")
        except (NotImplementedError, RuntimeError, ValueError):
            # Not the main thread (tests, headless snapshots): signals stay default.
            log.debug("signal handlers not installed")

    def _terminate(self, name: str) -> None:
        log.info("%s received, leaving", name)
        watchdog = threading.Timer(HANGUP_GRACE, os._exit, args=(128 + 1,))
        watchdog.daemon = True
        watchdog.start()
        self.exit(0)

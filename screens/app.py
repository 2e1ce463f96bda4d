"""The watchdeck application: it owns the session, the store and the poller."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Mapping
from typing import ClassVar, Literal

from textual import events
from textual.actions import ActionParseResult
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from console.clock import Clock, SystemClock
from console.health import HealthTracker
from console.poller import Poller
from console.problems import ProfileError
from console.profile_loader import LoadedProfile
from console.profile_schema import Dashboard
from console.recording import RecordingStore
from console.roles import visible_dashboards
from console.session import Session
from console.storage.interface import StateStore
from console.storage.sqlite_store import SqliteStateStore
from console.store import Store
from console.usage.recording_store import RecordingStateStore
from screens.alert_triage import AlertTriage
from screens.alerts import AlertsScreen
from screens.annotate import annotate
from screens.commands import DashboardCommands
from screens.dashboard import DashboardScreen
from screens.help import HelpScreen
from screens.navigation_commands import NavigationCommands
from screens.navigator import Navigator
from screens.quiet_input import QuietLinuxDriver
from screens.timeline import TimelineScreen
from screens.usage_hooks import ConsoleUsage
from screens.view_actions import VIEW_BINDINGS, OpenedView, ViewActions, apply_view
from screens.view_commands import ViewCommands
from widgets.draw_queue import draw_queue_for
from widgets.panel import PanelView

log = logging.getLogger(__name__)

HANGUP_GRACE = 1.5
"""Seconds a hang-up (a dropped SSH session) gets to exit cleanly before the process
ends itself: nobody is left to see the terminal restored."""
KEY_HOLDS_DRAWING = 0.15
"""Seconds after a key during which no panel draws, so the key's answer (which
takes several turns of the event loop) is not held up by pictures drawn between."""


class WatchdeckApp(ViewActions, App[int]):
    """A keyboard-driven console for one profile's dashboards."""

    CSS_PATH = "watchdeck.tcss"
    TITLE = "watchdeck"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {DashboardCommands, NavigationCommands, ViewCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+z", "suspend_process", "Suspend to the shell", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("colon", "command_palette", "Commands", show=False),
        *VIEW_BINDINGS,
        Binding("a", "alerts", "Alerts"),
        Binding("t", "timeline", "Timeline"),
        Binding("m", "annotate", "Note"),
        Binding("f", "feedback", "Feedback", show=False),
        Binding("o", "performance", "Performance overlay", show=False),
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

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, but on Linux one whose input thread does not wake ten
        times a second while no key comes (`screens/quiet_input.py`)."""
        driver = super().get_driver_class()
        return QuietLinuxDriver if driver is LinuxDriver else driver

    def __init__(
        self,
        loaded: LoadedProfile,
        *,
        dashboard_id: str | None = None,
        clock: Clock | None = None,
        read_only: bool = False,
        poll: bool = True,
        state_store: StateStore | None = None,
        role: str | None = None,
        view: OpenedView | None = None,
        usage: bool = True,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.clock = clock or SystemClock()
        self.read_only = read_only
        inner_store = state_store or SqliteStateStore.in_memory()
        self.usage = ConsoleUsage(self, inner_store, enabled=usage and not read_only)
        """Usage records, load times and source figures; the overlay and feedback."""
        self.state_store: StateStore = RecordingStateStore(
            inner_store, self.usage.recorder, call=self.usage.on_loop
        )
        """Views, acknowledgements, annotations and usage, kept between runs (in
        memory only unless the command line opened a store)."""
        self.role = role
        """The role the user works in; None shows every dashboard."""
        self.store = store if store is not None else Store()
        """Samples per query; a `RecordingStore` also writes them to a file."""
        self.session = Session(loaded.profile, self.clock)
        self.poller = Poller(
            self.session.sources,
            self.store,
            self.clock,
            self._poller_answered,
            min_intervals=self.session.min_intervals(),
            source_timeouts=self.session.source_timeouts(),
            batch_sizes=self.session.batch_sizes(),
            observer=self.usage.recorder.source_called,
        )
        self.triage = AlertTriage(self)
        """The alerts, their acknowledgements, escalation and incident mode."""
        self.navigator = Navigator(self)
        """Time window, filter and drill path, and the moves that change them."""
        self.health = HealthTracker()
        """The health scores' recent history, kept across dashboard switches."""
        self._first_dashboard = dashboard_id or self.visible_dashboards()[0].id
        self._initial_view = view
        self._poll = poll
        self._poll_task: asyncio.Task[None] | None = None

    def on_mount(self) -> None:
        self._install_signal_handlers()
        self.triage.load()
        if self._poll:
            self._poll_task = asyncio.create_task(self.poller.run())
        self.usage.started()
        view = self._initial_view
        if view is None or not apply_view(self, view):
            self.open_dashboard(self._first_dashboard)

    async def on_unmount(self) -> None:
        if self._poll_task is not None:
            self._poll_task.cancel()
        await self.poller.close()
        await self.session.close()
        await self.usage.closed()
        self.state_store.close()
        if isinstance(self.store, RecordingStore):
            self.store.writer.close()

    def open_dashboard(
        self,
        dashboard_id: str,
        variables: Mapping[str, str] | None = None,
        *,
        focus: str | None = None,
        via: Literal["enter", "follow", "back", "vary"] = "enter",
    ) -> bool:
        """Show a dashboard of the profile in place of the current one, with some
        variables set first (as a drill link asks) and the panel `focus` focused;
        False if it cannot be shown.

        `via` says how it was reached: chosen directly (a new drill path starts),
        through a drill link (the path grows), by going back (the navigator
        shortens the path) or again with other variables (the selector)."""
        if self.loaded.profile.dashboard(dashboard_id) is None:
            self.notify(f"no dashboard {dashboard_id!r}", severity="error")
            return False
        if variables and not self._apply_variables(variables):
            return False
        dashboard = self.loaded.profile.dashboard(dashboard_id)
        visible = {d.id for d in self.visible_dashboards()}
        if dashboard is None or dashboard.id not in visible:
            self.notify(f"no dashboard {dashboard_id!r}", severity="error")
            return False
        navigation = self.navigator.state
        if via == "follow":
            navigation.follow(dashboard_id, self.loaded.variables)
        elif via == "enter":
            navigation.enter(dashboard_id, self.loaded.variables)
        elif via == "vary":
            navigation.vary(dashboard_id, self.loaded.variables)
        screen = DashboardScreen(dashboard, focus=focus)
        for other in self.loaded.profile.dashboards:
            if other.id != dashboard_id:
                self.triage.model.forget_dashboard(other.id)
        if isinstance(self.screen, DashboardScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.usage.dashboard_opened(dashboard)
        return True

    def visible_dashboards(self) -> list[Dashboard]:
        """The profile's dashboards the user's role may open, in order."""
        return visible_dashboards(self.loaded.profile, self.role)

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

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            draw_queue_for(self).hold(KEY_HOLDS_DRAWING)
        await super().on_event(event)

    def on_watchdeck_app_data_arrived(self, message: DataArrived) -> None:
        # Only the screen on top is polled; it decides which of its panels to redraw.
        # At exit the stack empties while answers may still be queued.
        if not self.screen_stack:
            return
        handler = getattr(self.screen, "data_arrived", None)
        if callable(handler):
            handler(message.keys)
        self.triage.after_data()
        self.usage.data_arrived()
        self._flush_recording()

    def _flush_recording(self) -> None:
        """Make the recording readable up to now; say once when it is full."""
        store = self.store
        if not isinstance(store, RecordingStore) or store.writer.full:
            return
        if not store.writer.flush():
            self.notify(
                "the recording reached its size limit and stopped",
                title="recording",
                severity="warning",
            )

    def replay_label(self) -> tuple[str, bool]:
        """What the headers say instead of LIVE, and whether it is paused; a live
        console says nothing (a replay overrides this)."""
        return "", False

    def on_panel_view_drawn(self, message: PanelView.Drawn) -> None:
        self.usage.panel_drawn(message.dashboard_id, message.panel_id, message.seconds)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action as Textual does, and count it for the usage report:
        every key, click and command that runs an action passes here once."""
        done = await super().run_action(action, default_namespace, namespaces)
        if done:
            self.usage.action_done(_action_name(action))
        return done

    def action_feedback(self) -> None:
        """Write a short note about the dashboard on screen."""
        if self.read_only:
            self.notify(
                "read-only mode: feedback is not written", severity="warning", timeout=4
            )
            return
        self.usage.ask_feedback()

    def action_performance(self) -> None:
        """Show or hide load time, draw times and source latency."""
        self.usage.toggle_overlay()

    def action_suspend_process(self) -> None:
        """Ctrl-Z: stop as a shell job, the whole job (`make demo` too, or its shell
        would wait on), so that `fg` brings it back. Refused where nothing could
        bring it back: started without job control (by tmux, `ssh host watchdeck`),
        the console would be stopped with a blank terminal."""
        driver = self._driver
        if driver is None or not driver.can_suspend:
            return
        if os.getpgrp() == os.getsid(0):
            self.notify(
                "Ctrl-Z: no shell to come back to (started without job control)",
                severity="warning",
                timeout=5,
            )
            return
        # The terminal is given back while the console is still in the foreground:
        # once the shell has it, restoring it would stop the console (SIGTTOU).
        with self.suspend():
            # Stopped by the kernel inside the call, not by Textual's handler at
            # some later bytecode, so the console stays stopped until `fg`.
            handler = signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            try:
                os.killpg(os.getpgrp(), signal.SIGTSTP)
            finally:
                signal.signal(signal.SIGTSTP, handler)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def show_panel(self, dashboard_id: str, panel_id: str | None) -> None:
        """Bring a dashboard to the front with one of its panels focused."""
        current = self.screen
        if not (
            isinstance(current, DashboardScreen)
            and current.dashboard.id == dashboard_id
        ):
            self.open_dashboard(dashboard_id)
        if panel_id is not None:
            self.call_after_refresh(self._focus_panel, panel_id)

    def _focus_panel(self, panel_id: str) -> None:
        screen = self.screen
        if isinstance(screen, DashboardScreen):
            screen.focus_panel(panel_id)

    def action_alerts(self) -> None:
        """Open the list of every alert."""
        if not isinstance(self.screen, AlertsScreen):
            self.push_screen(AlertsScreen())

    def action_timeline(self) -> None:
        """Open the timeline of alert changes, acknowledgements and notes."""
        if not isinstance(self.screen, TimelineScreen):
            self.push_screen(TimelineScreen())

    def action_annotate(self) -> None:
        """Ask for a note pinned to now, on the dashboard on screen."""
        annotate(self)

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


def _action_name(action: str | ActionParseResult) -> str:
    """`drill` from `drill`, `app.drill` or `switch(2)`; the name only."""
    text = action if isinstance(action, str) else action[1]
    return text.split("(")[0].rsplit(".", 1)[-1]

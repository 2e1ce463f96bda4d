"""The app's side of usage: it tells the recorder what happened on screen, keeps
the one flush timer, and owns the performance overlay and the feedback prompt."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

from console.identity import host_name, local_user
from console.profile_schema import Dashboard
from console.storage.interface import StateStore
from console.storage.records import UsageRecord
from console.usage.live_figures import PanelOnScreen, live_figures
from console.usage.load_watch import LoadWatch
from console.usage.recorder import UsageRecorder
from screens.drilldown import DrillDownScreen
from screens.feedback import FeedbackScreen
from widgets.panel import PanelView
from widgets.performance_overlay import PerformanceOverlay

if TYPE_CHECKING:
    from screens.app import WatchdeckApp


class ConsoleUsage:
    """Usage and performance for one app: records, load times, overlay, feedback."""

    def __init__(self, app: WatchdeckApp, store: StateStore, *, enabled: bool) -> None:
        self._app = app
        self.recorder = UsageRecorder(
            store,
            app.clock,
            user=local_user(),
            host=host_name(),
            profile=app.loaded.profile.profile,
            enabled=enabled,
            on_pending=self._arm,
        )
        """Where every record goes first; the store gets them in batches."""
        self.load: LoadWatch | None = None
        """The latest dashboard opening, measured until every panel answered."""
        self.overlay_shown = False
        """Whether the performance overlay is wanted on screen."""
        self._timer: Timer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._drill_seen: DrillDownScreen | None = None

    def started(self) -> None:
        """The app is running (on its event loop): count the session's start."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self.recorder.started()
        self._app.run_worker(asyncio.to_thread(self.recorder.prune), group="usage")

    def on_loop(self, function: Callable[[], None]) -> None:
        """Run `function` on the app's event loop, where the recorder lives: at
        once when called there, soon when called from a worker thread."""
        if self._loop is None or threading.get_ident() == self._loop_thread:
            function()
        else:
            self._loop.call_soon_threadsafe(function)

    async def closed(self) -> None:
        """The app is closing: stop the timer, write everything."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        batch = self.recorder.finish()
        if batch:
            await self._write(batch)

    def dashboard_opened(self, dashboard: Dashboard) -> None:
        """A dashboard was asked for: count it and start timing its load."""
        self.recorder.dashboard_opened(dashboard.id)
        session = self._app.session
        keys = {
            panel.id: [query.key for query in session.panel_queries(panel)]
            for panel in dashboard.panels
        }
        self.load = LoadWatch(dashboard.id, keys, self._app.clock.now())
        # A dashboard of text panels alone never hears from the poller.
        self._app.call_after_refresh(self.data_arrived)

    def data_arrived(self) -> None:
        """New answers are in: see whether the load finished; renew the overlay."""
        watch = self.load
        if watch is not None:
            result = watch.observe(self._app.store, self._app.clock.now())
            if result is not None:
                self.recorder.loaded(result)
        self.refresh_overlay()

    def action_done(self, name: str) -> None:
        """An action ran; a drill-down that appeared because of it is counted."""
        self.recorder.action(name)
        screen = self._app.screen
        if isinstance(screen, DrillDownScreen) and screen is not self._drill_seen:
            self._drill_seen = screen
            self.recorder.drilled(screen.dashboard.id, screen.panel.id)

    def panel_drawn(self, dashboard: str, panel: str, seconds: float) -> None:
        """A panel drew its picture in `seconds`."""
        self.recorder.panel_drawn(dashboard, panel, seconds)

    def toggle_overlay(self) -> None:
        """Show the performance overlay, or take it away."""
        self.overlay_shown = not self.overlay_shown
        if not self.overlay_shown:
            for screen in self._app.screen_stack:
                screen.query(PerformanceOverlay).remove()
        self.refresh_overlay()

    def refresh_overlay(self) -> None:
        """Give the overlay the newest figures, mounting it on a new screen."""
        if not self.overlay_shown:
            return
        screen = self._app.screen
        if isinstance(screen, FeedbackScreen):
            return
        found = screen.query(PerformanceOverlay)
        if found:
            overlay = found.first()
        else:
            overlay = PerformanceOverlay()
            screen.mount(overlay)
        panels = [
            PanelOnScreen(
                view.dashboard_id,
                view.spec.id,
                view.spec.title,
                [query.source for query in view.spec.all_queries()],
            )
            for view in screen.query(PanelView)
        ]
        overlay.show_figures(
            live_figures(
                panels,
                self.load,
                self.recorder.live_sources,
                self.recorder.live_renders,
            )
        )

    def ask_feedback(self) -> None:
        """Open the feedback prompt for the dashboard and panel on screen."""
        screen = self._app.screen
        dashboard = getattr(screen, "dashboard", None)
        if not isinstance(dashboard, Dashboard):
            self._app.notify("open a dashboard to give feedback on it", timeout=3)
            return
        focused = screen.focused
        panel = None
        if isinstance(screen, DrillDownScreen):
            panel = screen.panel
        elif isinstance(focused, PanelView):
            panel = focused.spec
        about = dashboard.title + (f" › {panel.title}" if panel is not None else "")
        panel_id = panel.id if panel is not None else None

        def written(text: str | None) -> None:
            if text is None:
                return
            if self.recorder.feedback(dashboard.id, panel_id, text):
                self._app.run_worker(self._write_feedback(), group="usage")
            else:
                self._app.notify(
                    "usage recording is off: the note was not kept",
                    severity="warning",
                )

        self._app.push_screen(FeedbackScreen(about), written)

    def _arm(self) -> None:
        """Something waits to be written: one timer for when it is due."""
        if self._timer is not None:
            return
        due = self.recorder.flush_at()
        if due is None:
            return
        delay = max(0.5, due - self._app.clock.now())
        self._timer = self._app.set_timer(delay, self._flush)

    def _flush(self) -> None:
        self._timer = None
        batch = self.recorder.take()
        if batch:
            self._app.run_worker(self._write(batch), group="usage")
        self._arm()

    async def _write(self, batch: list[UsageRecord]) -> bool:
        """Write in a thread, so that a team store's round trip never holds up
        the keys; a refusal turns recording off."""
        reason = await asyncio.to_thread(self.recorder.write, batch)
        if reason is not None:
            self.recorder.refused(reason)
        return reason is None

    async def _write_feedback(self) -> None:
        if await self._write(self.recorder.take()):
            self._app.notify("thank you: your note is kept", timeout=3)
        else:
            self._app.notify(
                "the note could not be kept (see the log)", severity="error"
            )

"""The console playing a recording back: no polling, recorded time, and keys to
pause, seek and change speed. Nothing is written and no source is asked."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, ClassVar

from textual.actions import ActionParseResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.timer import Timer

from console.alert_model import AlertModel
from console.profile_loader import LoadedProfile
from console.replay import MAX_SPEED, Recording, ReplayClock, ReplayFeeder
from console.storage.interface import StorageError
from console.storage.records import AlertChange
from screens.app import WatchdeckApp
from widgets.status_header import StatusHeader

TICK = 1.0
"""Real seconds between header updates while playing, when no sample is due
sooner; nothing wakes while paused."""

WRITING_ACTIONS = frozenset(
    {"acknowledge", "unacknowledge", "annotate", "save_view", "feedback"}
)
"""Actions that would write to the state store: a replay refuses them."""

_CHANGE_FIELDS = frozenset(f.name for f in fields(AlertChange))


class ReplayApp(WatchdeckApp):
    """The console on a recording's profile, fed from the recording."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "replay_pause", "Pause replay"),
        Binding("comma", "replay_seek(-60)", "Back 1 min", show=False),
        Binding("full_stop", "replay_seek(60)", "Forward 1 min", show=False),
        Binding("less_than_sign", "replay_seek(-600)", "Back 10 min", show=False),
        Binding("greater_than_sign", "replay_seek(600)", "Forward 10 min", show=False),
        Binding("asterisk", "replay_speed(2)", "Faster", show=False),
        Binding("backslash", "replay_speed(0.5)", "Slower", show=False),
    ]

    def __init__(
        self,
        loaded: LoadedProfile,
        recording: Recording,
        *,
        speed: float = 1.0,
        clock: ReplayClock | None = None,
        dashboard_id: str | None = None,
    ) -> None:
        self.replay_clock = clock or ReplayClock(recording.first, speed=speed)
        """Recorded time, as every screen sees it."""
        super().__init__(
            loaded,
            dashboard_id=dashboard_id,
            clock=self.replay_clock,
            read_only=True,
            poll=False,
            usage=False,
        )
        # The poller never runs; with no sources it could not call one anyway.
        self.poller.replace_sources({})
        self.feeder = ReplayFeeder(recording, self.store)
        """Puts the recorded answers into the store as recorded time passes."""
        self.triage.keeps_changes = False
        self._timer: Timer | None = None
        self._ended = False

    def on_mount(self) -> None:
        # Textual runs WatchdeckApp.on_mount too (handlers run along the MRO).
        # The dashboard states its demands once it has a size; feed after that.
        self.call_after_refresh(self.replay_step)

    async def on_unmount(self) -> None:
        # WatchdeckApp.on_unmount runs as well, along the MRO.
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def replay_label(self) -> tuple[str, bool]:
        """`REPLAY 08:31:05 x4`, and whether recorded time stands still."""
        clock = self.replay_clock
        at = time.strftime("%H:%M:%S", time.localtime(clock.now()))
        speed = clock.speed
        shown = f"{speed:g}" if speed >= 1 else f"1/{1 / speed:g}"
        return f"REPLAY {at} x{shown}", clock.paused

    def replay_step(self) -> None:
        """Feed what recorded time has reached, show it, and arm the next step."""
        self._timer = None
        if not self.screen_stack:
            return  # leaving: the screens are gone
        clock = self.replay_clock
        last = self.feeder.recording.last
        keys, alerts = self.feeder.feed(clock.now())
        if not clock.paused and clock.now() >= last and self.feeder.next_time() is None:
            clock.seek(last)
            clock.pause()
            if not self._ended:
                self._ended = True
                self.notify("end of the recording", title="replay", timeout=4)
        self._keep_alerts(alerts)
        if keys:
            self._poller_answered(keys)
        self._show_label()
        self._arm()

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        clock = self.replay_clock
        if clock.paused:
            return
        delay = TICK
        due = self.feeder.next_time()
        if due is not None:
            delay = min(delay, max(0.02, (due - clock.now()) / clock.speed))
        self._timer = self.set_timer(delay, self.replay_step)

    def _show_label(self) -> None:
        label, paused = self.replay_label()
        for header in self.screen.query_children(StatusHeader):
            header.replay = label
            header.replay_paused = paused

    def _keep_alerts(self, alerts: Sequence[Mapping[str, Any]]) -> None:
        """Put recorded alert changes where the timeline reads them (in memory)."""
        changes = [
            AlertChange(**{k: v for k, v in line.items() if k in _CHANGE_FIELDS})
            for line in alerts
        ]
        if not changes:
            return
        try:
            self.state_store.record_alert_changes(changes)
        except (StorageError, TypeError) as error:
            self.notify(f"recorded alerts not shown: {error}", severity="warning")

    def action_replay_pause(self) -> None:
        """Stop recorded time, or let it run again."""
        clock = self.replay_clock
        if clock.paused:
            if clock.now() >= self.feeder.recording.last:
                self._seek_to(self.feeder.recording.first)
            self._ended = False
            clock.resume()
        else:
            clock.pause()
        self.replay_step()

    def action_replay_seek(self, seconds: float) -> None:
        """Move recorded time by `seconds`, within the recording."""
        self._seek_to(self.replay_clock.now() + seconds)
        self._ended = False
        self.replay_step()

    def action_replay_speed(self, factor: float) -> None:
        """Multiply the speed by `factor` (up to 64 times real time)."""
        speed = self.replay_clock.set_speed(self.replay_clock.speed * factor)
        if speed >= MAX_SPEED and factor > 1:
            self.notify(f"x{MAX_SPEED:g} is the fastest", timeout=2)
        self.replay_step()

    def _seek_to(self, when: float) -> None:
        recording = self.feeder.recording
        target = min(recording.last, max(recording.first, when))
        going_back = target < self.feeder.fed_until
        self.replay_clock.seek(target)
        if going_back:
            # The alerts seen later must not outlive the data that raised them.
            profile = self.loaded.profile
            self.triage.model = AlertModel(profile.escalation, profile=profile.profile)
            self.triage.load()
        keys, alerts = self.feeder.seek(target)
        self._keep_alerts(alerts)
        everything = frozenset(state.key for state in self.store)
        self._poller_answered(everything | keys)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Refuse what would write or ask a source; run the rest as live."""
        text = action if isinstance(action, str) else action[1]
        name = text.split("(")[0].rsplit(".", 1)[-1]
        if name in WRITING_ACTIONS:
            self.notify("replay: nothing is written", severity="warning", timeout=3)
            return True
        if name == "refresh":
            self.notify("replay: the data comes from the recording", timeout=3)
            return True
        if name == "variables":
            self.notify("replay: the variables stay as recorded", timeout=3)
            return True
        if name == "pause":
            self.action_replay_pause()
            return True
        return await super().run_action(action, default_namespace, namespaces)

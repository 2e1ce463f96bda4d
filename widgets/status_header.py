"""The one-line header: where you are, how fresh it is, what is firing, the time."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusHeader(Widget):
    """Profile, dashboard, time range, live or paused, alert counts and a clock.

    Every field is a reactive attribute; the header repaints only when one changes.
    """

    DEFAULT_CSS = """
    StatusHeader {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
    }
    StatusHeader.-critical {
        background: $error;
        color: $text;
    }
    StatusHeader > .status-header--live { color: $success; text-style: bold; }
    StatusHeader > .status-header--paused {
        color: $warning;
        text-style: bold reverse;
    }
    StatusHeader > .status-header--warning { color: $warning; text-style: bold; }
    StatusHeader > .status-header--muted { color: $text-muted; }
    StatusHeader.-banner { height: 2; }
    StatusHeader > .status-header--banner {
        background: $error;
        color: $text;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-header--live",
        "status-header--paused",
        "status-header--critical",
        "status-header--warning",
        "status-header--muted",
        "status-header--banner",
    }

    location: reactive[str] = reactive("")
    """Profile and dashboard titles, with the drill path when there is one."""
    time_range: reactive[str] = reactive("1h")
    """The range the charts show, such as `1h`."""
    window_end: reactive[str] = reactive("")
    """Where a window in the past ends, such as `14:20 (-1h)`; empty while live."""
    paused: reactive[bool] = reactive(False)
    """True while polling is paused: the data on screen is not being renewed."""
    critical: reactive[int] = reactive(0)
    """Critical alerts firing and not acknowledged."""
    warning: reactive[int] = reactive(0)
    """Warning alerts firing and not acknowledged."""
    acknowledged: reactive[int] = reactive(0)
    """Alerts that breach but someone acknowledged (or a silence holds)."""
    incident: reactive[str] = reactive("")
    """The title of the longest-firing unacknowledged critical alert, if any."""
    banner: reactive[str] = reactive("")
    """An escalated alert's banner, pinned under the header line; empty for none."""
    clock: reactive[str] = reactive("")
    """The wall-clock time, to the minute."""
    unhealthy: reactive[int] = reactive(0)
    """Panels whose data is stale or whose source fails: LIVE is not all-clear."""
    read_only: reactive[bool] = reactive(False)
    """True when the console was started with --read-only."""
    replay: reactive[str] = reactive("")
    """`REPLAY 08:31:05 x4` while a recording plays back; empty when live."""
    replay_paused: reactive[bool] = reactive(False)
    """True while the replay's clock stands still."""
    cost: reactive[str] = reactive("")
    """What the dashboard's paid queries cost per hour (CloudWatch); empty when
    nothing on it is billed per request."""

    def watch_critical(self, critical: int) -> None:
        self.set_class(critical > 0, "-critical")

    def watch_banner(self, banner: str) -> None:
        self.set_class(bool(banner), "-banner")

    def _append_state(self, status: Text) -> None:
        """Replay, live, paused or a past window: how far to trust what is shown."""
        style = self.get_component_rich_style
        muted = style("status-header--muted")
        if self.replay:
            if self.replay_paused:
                paused = style("status-header--paused")
                status.append(f"❚❚ {self.replay} paused", style=paused)
            else:
                status.append(f"⏵ {self.replay}", style=style("status-header--live"))
            if self.window_end:
                status.append(f" ◷ to {self.window_end}", style=muted)
        elif self.window_end:
            past = style("status-header--warning")
            status.append(f"◷ to {self.window_end}", style=past)
            if self.paused:
                status.append(" ❚❚", style=style("status-header--paused"))
        elif self.paused:
            status.append("❚❚ PAUSED", style=style("status-header--paused"))
        elif self.unhealthy:
            status.append("◌ LIVE", style=style("status-header--warning"))
            status.append(f" · {self.unhealthy} not fresh", style=muted)
        else:
            status.append("● LIVE", style=style("status-header--live"))
        if self.read_only and not self.replay:
            status.append(" read-only", style=muted)

    def render(self) -> RenderableType:
        # Where you are may be cut short on a narrow terminal; whether the data is
        # live and what is firing never are, so they get their room first.
        style = self.get_component_rich_style
        muted = style("status-header--muted")
        where = Text(no_wrap=True, overflow="ellipsis")
        where.append(" watchdeck ", style="bold")
        where.append(self.location)
        status = Text(no_wrap=True)
        status.append(" │ ", style=muted)
        status.append(f"{self.time_range} ")
        self._append_state(status)
        status.append(" │ ", style=muted)
        if self.critical:
            status.append(f"✖ {self.critical} critical ", style="bold")
            if self.incident:
                status.append(f"({self.incident[:28]}) ", style="bold")
        if self.warning:
            warning = style("status-header--warning")
            status.append(f"▲ {self.warning} warning ", style=warning)
        if self.acknowledged:
            status.append(f"✓ {self.acknowledged} ack ", style=muted)
        if not self.critical and not self.warning and not self.acknowledged:
            status.append("no alerts ", style=muted)
        if self.cost:
            status.append(f"│ {self.cost} ", style=muted)
        status.append(f"│ {self.clock} ", style=muted)
        layout = Table.grid(expand=True, padding=0)
        layout.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        layout.add_column(justify="right", no_wrap=True)
        layout.add_row(where, status)
        if not self.banner:
            return layout
        banner = Text(
            f" ✖ {self.banner}",
            no_wrap=True,
            overflow="ellipsis",
            style=style("status-header--banner"),
            end="",
        )
        banner.pad_right(max(0, self.size.width - banner.cell_len))
        return Group(layout, banner)

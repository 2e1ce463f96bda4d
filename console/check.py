"""`watchdeck check`: poll a profile's panels once and judge them, for cron.

Every panel's queries are fetched once through the same session and poller the
console uses, each panel is judged with `evaluate_panel`, and the verdicts fold into
one state with Nagios's exit codes: 0 ok, 1 warning, 2 critical, 3 unknown. A panel
that has no data, stale data or a failing source is unknown: a check that cannot see
must not say all is well.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from console.clock import Clock
from console.evaluation import PanelState, evaluate_panel
from console.health import health_status, score_panels
from console.poller import Poller
from console.profile_schema import Dashboard, Panel, Profile
from console.session import Session
from console.store import Store

RATE_PAUSE = 1.0
"""Seconds between the two readings a rate needs, when its first answer was empty."""


class CheckState(IntEnum):
    """The verdict of a check, valued as its exit status."""

    OK = 0
    WARNING = 1
    CRITICAL = 2
    UNKNOWN = 3

    @property
    def label(self) -> str:
        """The upper-case word a Nagios-style summary starts with."""
        return self.name


_VERDICT = {
    PanelState.OK: CheckState.OK,
    PanelState.WARNING: CheckState.WARNING,
    PanelState.CRITICAL: CheckState.CRITICAL,
    PanelState.NO_DATA: CheckState.UNKNOWN,
    PanelState.STALE: CheckState.UNKNOWN,
    PanelState.ERROR: CheckState.UNKNOWN,
}

PRECEDENCE = (
    CheckState.CRITICAL,
    CheckState.WARNING,
    CheckState.UNKNOWN,
    CheckState.OK,
)
"""Which verdict wins when panels disagree, first first: a breach someone can act on
outranks a panel that could not be read, which outranks all being well."""


@dataclass(frozen=True, slots=True)
class PanelCheck:
    """The verdict on one panel."""

    dashboard: str
    """The id of the dashboard the panel is on."""
    panel: Panel
    """The panel as the profile defines it."""
    state: PanelState
    """What the panel would show in the console."""
    value: float | None
    """Its headline number, when it has one."""
    reason: str
    """Why it is not OK, as the panel would say; empty when OK."""

    @property
    def verdict(self) -> CheckState:
        """The panel's state as a check state."""
        return _VERDICT[self.state]

    def describe(self) -> str:
        """`title: reason`, or the title alone when there is no reason."""
        title = self.panel.title
        return f"{title}: {self.reason}" if self.reason else title

    def as_json(self) -> dict[str, object]:
        """The verdict as plain data for `--format json`."""
        return {
            "dashboard": self.dashboard,
            "panel": self.panel.id,
            "title": self.panel.title,
            "type": self.panel.type,
            "state": self.verdict.name.lower(),
            "panel_state": self.state.value,
            "value": self.value,
            "unit": self.panel.unit,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every panel's verdict and the overall one."""

    checks: Sequence[PanelCheck]
    """One per judged panel, in profile order."""
    checked_at: float
    """When the panels were judged, in epoch seconds."""

    @property
    def state(self) -> CheckState:
        """The overall verdict; OK when there was nothing to judge."""
        present = {check.verdict for check in self.checks}
        return next((s for s in PRECEDENCE if s in present), CheckState.OK)

    def count(self, state: CheckState) -> int:
        """How many panels have this verdict."""
        return sum(check.verdict is state for check in self.checks)

    def summary(self) -> str:
        """One line for a monitoring system: the state, the counts, and the panel
        that decided it (`CRITICAL - 1 critical, 2 warning of 14 panels: ...`)."""
        state = self.state
        total = len(self.checks)
        if state is CheckState.OK:
            return f"OK - {total} panels ok"
        counts = [
            f"{self.count(s)} {s.name.lower()}" for s in PRECEDENCE[:3] if self.count(s)
        ]
        first = next(c for c in self.checks if c.verdict is state)
        return (
            f"{state.label} - {', '.join(counts)} of {total} panels: {first.describe()}"
        )

    def as_json(self) -> dict[str, object]:
        """The whole report as plain data for `--format json`."""
        return {
            "state": self.state.name.lower(),
            "exit_code": int(self.state),
            "summary": self.summary(),
            "checked_at": self.checked_at,
            "panels": [check.as_json() for check in self.checks],
        }


def check_profile(
    profile: Profile,
    dashboards: Sequence[Dashboard],
    clock: Clock,
    wait: float,
) -> CheckReport:
    """Poll every panel of `dashboards` once, waiting `wait` seconds at most for
    the answers, and judge them."""
    return asyncio.run(check_profile_async(profile, dashboards, clock, wait))


async def check_profile_async(
    profile: Profile,
    dashboards: Sequence[Dashboard],
    clock: Clock,
    wait: float,
) -> CheckReport:
    """`check_profile` for a caller already inside an event loop."""
    session = Session(profile, clock)
    store = Store()
    poller = Poller(
        session.sources,
        store,
        clock,
        lambda keys: None,
        min_intervals=session.min_intervals(),
        source_timeouts=session.source_timeouts(),
        batch_sizes=session.batch_sizes(),
        timeout=max(1.0, wait),
    )
    try:
        judged = [
            (d, p)
            for d in dashboards
            for p in d.panels
            if p.type not in ("text", "health_score")
        ]
        poller.set_demands(demand for d in dashboards for demand in session.demands(d))
        deadline = asyncio.get_running_loop().time() + wait
        await _poll_round(poller.poll_due(clock.now()), deadline)
        if any(s.last_success is not None and not s.has_data() for s in store):
            # Rates (network, disk) need two readings of a counter: the first
            # answer of such a source is empty, so those get one more call.
            await asyncio.sleep(min(RATE_PAUSE, _left(deadline)))
            await _poll_round(poller.refresh_now(), deadline)
        now = clock.now()
        checks = [_judge(session, store, d, p, now) for d, p in judged]
        checks += _health_checks(dashboards, checks)
    finally:
        with contextlib.suppress(Exception):
            await poller.close()
        await session.close()
    return CheckReport(checks, now)


async def _poll_round(tasks: list[asyncio.Task[None]], deadline: float) -> None:
    if tasks and _left(deadline) > 0:
        await asyncio.wait(tasks, timeout=_left(deadline))


def _left(deadline: float) -> float:
    return max(0.0, deadline - asyncio.get_running_loop().time())


def _health_checks(
    dashboards: Sequence[Dashboard], checks: Sequence[PanelCheck]
) -> list[PanelCheck]:
    """The health score panels, judged from the verdicts on the panels they weigh."""
    found: list[PanelCheck] = []
    for dashboard in dashboards:
        mine = [c for c in checks if c.dashboard == dashboard.id]
        states = {c.panel.id: c.state for c in mine}
        titles = {c.panel.id: c.panel.title for c in mine}
        for panel in dashboard.panels:
            if panel.health is None:
                continue
            health = score_panels(panel.health.panels, states, titles)
            status = health_status(panel, health)
            found.append(
                PanelCheck(
                    dashboard.id, panel, status.state, status.value, status.reason
                )
            )
    return found


def _judge(
    session: Session, store: Store, dashboard: Dashboard, panel: Panel, now: float
) -> PanelCheck:
    states = [store.get(q.key) for q in session.panel_queries(panel)]
    window = panel.range or dashboard.range
    status = evaluate_panel(panel, states, now, window)
    reason = status.reason
    if status.state is PanelState.NO_DATA and reason == "waiting for data":
        reason = "no answer from the source in time"
    return PanelCheck(dashboard.id, panel, status.state, status.value, reason)

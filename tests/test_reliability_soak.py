"""A 24-hour shift, compressed: the real sources, poller and store driven by a fake
clock through a day of polls on the demo (every dashboard) and on a 200-panel
profile. Memory stays flat after warm-up, no file descriptor leaks, and no poll
ends in an error that nobody saw.

The screens are not part of this run (their timers follow the wall clock); what is
soaked is everything that keeps data: sources, poller, store.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import random

import psutil
import pytest

from bench.scale_profile import make_profile
from console.clock import ManualClock
from console.poller import Poller
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import LoadedProfile, load_profile, load_profile_text
from console.session import Session
from console.store import Freshness, Store

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

T0 = 1_800_000_000.0
DAY = 24 * 3600.0
WARM_UP = 3600.0
"""Simulated seconds before the memory baseline is taken: rings fill in an hour."""
GROWTH_LIMIT_MB = 10.0


def resident_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / (1024 * 1024)


async def soak(
    loaded: LoadedProfile,
    caplog: pytest.LogCaptureFixture,
    slower: dict[str, float] | None = None,
) -> None:
    """Poll `loaded`'s every dashboard through a simulated day; `slower` raises
    some sources' shortest refresh (seconds), to keep the run short."""
    clock = ManualClock(T0)
    session = Session(loaded.profile, clock)
    store = Store()
    updates = 0

    def listener(keys: frozenset[str]) -> None:
        nonlocal updates
        updates += len(keys)

    poller = Poller(
        session.sources,
        store,
        clock,
        listener,
        min_intervals={**session.min_intervals(), **(slower or {})},
        source_timeouts=session.source_timeouts(),
        batch_sizes=session.batch_sizes(),
        rng=random.Random(3),
    )
    demands = [d for board in loaded.profile.dashboards for d in session.demands(board)]
    poller.set_demands(demands)
    process = psutil.Process()
    fds_before = process.num_fds()
    baseline: float | None = None
    polls = 0
    caplog.set_level(logging.WARNING)
    try:
        while clock.now() - T0 < DAY:
            due = poller.next_due()
            assert due is not None
            clock.set(max(clock.now(), due))
            tasks = poller.poll_due(clock.now())
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            errors = [o for o in outcomes if isinstance(o, BaseException)]
            assert errors == [], f"a poll ended in an error: {errors[0]!r}"
            polls += len(tasks)
            if baseline is None and clock.now() - T0 >= WARM_UP:
                baseline = resident_mb()
        assert baseline is not None
        growth = resident_mb() - baseline
        fds_after = process.num_fds()
        failing = [
            s.key for s in store if s.freshness(clock.now()) is Freshness.FAILING
        ]
        print(
            f"\n{loaded.profile.profile}: {polls} polls over 24 h simulated, "
            f"{updates} query updates, {len(store)} queries, RSS growth after "
            f"warm-up {growth * 1024:.0f} KB, fds {fds_before} -> {fds_after}"
        )
        assert failing == [], "every query still answers at the end of the shift"
        assert growth < GROWTH_LIMIT_MB, f"memory grew {growth:.1f} MB"
        assert fds_after <= fds_before, "no file descriptor leaked"
        problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert problems == [], f"unnoticed trouble: {problems[0].getMessage()}"
    finally:
        await poller.close()
        await session.close()


async def test_a_day_on_the_demo(caplog: pytest.LogCaptureFixture) -> None:
    # The host source reads /proc for real on every poll, which no fake clock
    # speeds up; polled once a minute, its day costs minutes instead of ten.
    demo = load_profile(shipped_profiles_dir() / "demo.yaml")
    await soak(demo, caplog, slower={"host": 60.0})


async def test_a_day_on_a_200_panel_profile(caplog: pytest.LogCaptureFixture) -> None:
    # 200 panels drawing 400 series, refreshed every 30 s: 2,880 polls a group.
    text = make_profile(200, 400, "30s")
    await soak(load_profile_text(text, "scale.yaml"), caplog)

"""Source calls per refresh cycle: identical queries merge, groups batch.

No terminal and no app: each profile is loaded, a `Session` makes its sources, and a
`Poller` on a manual clock is given the first dashboard's demands. Then a few refresh
cycles are run by advancing the clock and awaiting the calls that fall due. Printed
per profile: panels, queries as written, distinct queries after merging, source calls
per cycle, queries per call, and the wall time the calls of the first cycle (the
backfill of the whole range) and of a later cycle (only the new samples) took.

    .venv/bin/python -m bench.polling_cost
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.scale_profile import make_profile
from console.clock import ManualClock
from console.poller import Poller
from console.profile_catalog import resolve_profile
from console.profile_loader import LoadedProfile, load_profile, load_profile_text
from console.session import Session
from console.store import Store

START = 1_800_000_000.0
"""A fixed present for the manual clock, so runs compute the same samples."""


def shared_profile(panels: int, copies: int) -> str:
    """`panels` line charts where every `copies` neighbours ask one query, written
    with its keys in a different order each time (merging goes by meaning)."""
    lines = [
        "profile: shared",
        "title: Shared queries",
        "sources:",
        "  synth: {type: testdata}",
        "dashboards:",
        "  - id: shared",
        "    title: Shared",
        "    refresh: 5s",
        "    panels:",
    ]
    for index in range(panels):
        metric = f"m{index // copies}"
        if index % 2:
            query = f"{{shape: latency, metric: {metric}, source: synth}}"
        else:
            query = f"{{source: synth, metric: {metric}, shape: latency}}"
        lines += [
            f"      - id: p{index}",
            f"        title: Panel {index}",
            "        type: line_chart",
            f"        at: {{x: {index % 2 * 6}, y: {index // 2 * 8}, w: 6, h: 8}}",
            f"        query: {query}",
        ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Cost:
    """What polling one dashboard costs per refresh cycle."""

    name: str
    panels: int
    written: int
    distinct: int
    calls_per_cycle: list[int]
    queries_per_call: list[int]
    first_cycle_s: float
    later_cycle_s: float


async def _cycle(poller: Poller, clock: ManualClock) -> tuple[int, float]:
    before = poller.calls
    started = time.perf_counter()
    await asyncio.gather(*poller.poll_due(clock.now()))
    return poller.calls - before, time.perf_counter() - started


async def measure(name: str, loaded: LoadedProfile, cycles: int) -> Cost:
    """Poll the profile's first dashboard for `cycles` refresh cycles."""
    clock = ManualClock(START)
    session = Session(loaded.profile, clock)
    dashboard = loaded.profile.dashboards[0]
    poller = Poller(
        session.sources,
        Store(),
        clock,
        lambda keys: None,
        min_intervals=session.min_intervals(),
        source_timeouts=session.source_timeouts(),
    )
    demands = session.demands(dashboard)
    poller.set_demands(demands)
    refresh = min(d.interval for d in demands)
    calls: list[int] = []
    times: list[float] = []
    try:
        for _ in range(cycles):
            made, took = await _cycle(poller, clock)
            calls.append(made)
            times.append(took)
            clock.advance(refresh)
    finally:
        await poller.close()
        await session.close()
    return Cost(
        name=name,
        panels=len(dashboard.panels),
        written=len(demands),
        distinct=len({d.key for d in demands}),
        calls_per_cycle=calls,
        queries_per_call=poller.call_sizes(),
        first_cycle_s=times[0],
        later_cycle_s=max(times[1:], default=0.0),
    )


def format_table(costs: Sequence[Cost]) -> str:
    """The costs as a Markdown table."""
    lines = [
        "| profile | panels | queries written | distinct | calls per cycle"
        " | queries per call | first cycle (s) | later cycle (s) |",
        "|---|--:|--:|--:|---|---|--:|--:|",
    ]
    for cost in costs:
        per_call = ", ".join(str(n) for n in cost.queries_per_call)
        lines.append(
            f"| {cost.name} | {cost.panels} | {cost.written} | {cost.distinct} "
            f"| {', '.join(str(n) for n in cost.calls_per_cycle)} | {per_call} "
            f"| {cost.first_cycle_s:.2f} | {cost.later_cycle_s:.3f} |"
        )
    return "\n".join(lines)


async def _main(cycles: int) -> None:
    profiles = [
        ("demo", load_profile(resolve_profile(None))),
        ("12 panels, 4 queries, 3 each", load_profile_text(shared_profile(12, 3), "s")),
    ]
    for panels, series in ((10, 250), (50, 1250), (200, 5000)):
        text = make_profile(panels, series)
        profiles.append((f"generated {panels}/{series}", load_profile_text(text, "g")))
    costs = [await measure(name, loaded, cycles) for name, loaded in profiles]
    print(format_table(costs))


def main(argv: Sequence[str] | None = None) -> int:
    """Print calls per cycle for the demo, a shared-query profile and generated ones."""
    parser = argparse.ArgumentParser(prog="python -m bench.polling_cost")
    parser.add_argument("--cycles", type=int, default=4, help="refresh cycles (4)")
    options = parser.parse_args(argv)
    asyncio.run(_main(options.cycles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

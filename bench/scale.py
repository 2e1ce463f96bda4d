"""How watchdeck's cost grows with the size of a dashboard.

Generated profiles (`bench.scale_profile`) of 10, 50 and 200 panels drawing 250, 1250
and 5000 series, every panel refreshing every 5 s, each run in a pty by the harness
of `bench.pty_run`, one after the other. Printed per profile: steady CPU, peak
memory and bytes written per second, and each figure's growth against the previous
row next to the growth in panels, so that worse than linear growth stands out.

    .venv/bin/python -m bench.scale [--warmup 40] [--window 20] [--size 160x48]

The warm-up is long enough for the first answers of every panel to have landed: at
200 panels the backfill of an hour of 5,000 synthetic series (3.6 million samples)
takes about twenty seconds, which `bench.start_time` reports on its own. A shorter
warm-up measures that backfill instead of the steady polling.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.pty_run import PtyRunResult, TerminalSize, run_in_pty, terminal_env
from bench.scale_profile import make_profile
from bench.start_time import machine_lines
from bench.terminal_cost import default_programs, scratch_home

STEPS = ((10, 250), (50, 1250), (200, 5000))
"""(panels, series) of the profiles measured, smallest first."""

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Step:
    """One generated profile and what running it cost."""

    panels: int
    series: int
    result: PtyRunResult


def _ratio(new: float | None, old: float | None) -> str:
    if new is None or old is None or old <= 0:
        return "–"
    return f"×{new / old:.1f}"


def format_table(steps: Sequence[Step]) -> str:
    """Figures per profile, with growth against the row above, as Markdown."""
    lines = [
        "| panels | series | CPU % (one core) | peak RSS MiB | bytes/s "
        "| growth: panels / CPU / RSS / bytes/s |",
        "|--:|--:|--:|--:|--:|---|",
    ]
    previous: Step | None = None
    for step in steps:
        result = step.result
        cpu = result.cpu_percent
        rate = result.window_bytes / result.window_s if result.window_s else None
        growth = "–"
        if previous is not None:
            old = previous.result
            old_rate = old.window_bytes / old.window_s if old.window_s else None
            growth = " / ".join(
                (
                    _ratio(step.panels, previous.panels),
                    _ratio(cpu, old.cpu_percent),
                    _ratio(result.peak_rss_bytes, old.peak_rss_bytes),
                    _ratio(rate, old_rate),
                )
            )
        cpu_text = "–" if cpu is None else f"{cpu:.1f}"
        rate_text = "–" if rate is None else f"{rate:,.0f}"
        lines.append(
            f"| {step.panels} | {step.series:,} | {cpu_text} "
            f"| {result.peak_rss_bytes / _MIB:.1f} | {rate_text} | {growth} |"
        )
        previous = step
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run each generated profile and print how the cost grows."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--size", type=TerminalSize.parse, default="160x48")
    parser.add_argument("--warmup", type=float, default=40.0, help="seconds (40)")
    parser.add_argument("--window", type=float, default=20.0, help="seconds (20)")
    parser.add_argument("--range", default="1h", help="dashboard range (1h)")
    options = parser.parse_args(argv)
    size: TerminalSize = options.size
    programs = default_programs()
    watchdeck = programs[0]
    print("\n".join(f"- {line}" for line in machine_lines(size, programs[:1])))
    print(
        f"- warm-up {options.warmup:g} s, window {options.window:g} s, "
        f"refresh 5 s, range {options.range}"
    )
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="watchdeck-scale-") as scratch:
        for panels, series in STEPS:
            path = Path(scratch) / f"scale-{panels}.yaml"
            path.write_text(make_profile(panels, series, span=options.range))
            with scratch_home(True) as home:
                result = run_in_pty(
                    [watchdeck.argv[0], "run", "--profile", str(path)],
                    size=size,
                    env=terminal_env(extra=home),
                    warmup_s=options.warmup,
                    window_s=options.window,
                    quit_keys=watchdeck.quit_keys,
                    measure_uss=False,
                )
            steps.append(Step(panels, series, result))
    print()
    print(format_table(steps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

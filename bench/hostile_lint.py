"""Time and peak memory of `watchdeck lint` on every hostile profile of the
reliability corpus (`tests/hostile_profiles.py`), one process per file.

    .venv/bin/python -m bench.hostile_lint [--markdown]

Each file is linted by a fresh process, so every figure includes the interpreter's
start; the peak resident memory is the kernel's figure for that process.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.hostile_profiles import HOSTILE
from tests.lint_process import LintRun, lint_process


def main() -> None:
    """Lint every case and print one line each, then the worst figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    options = parser.parse_args()
    runs: dict[str, LintRun] = {}
    with tempfile.TemporaryDirectory() as directory:
        for name, data in HOSTILE.items():
            path = Path(directory) / f"{name}.yaml"
            path.write_bytes(data)
            runs[name] = lint_process(path)
    if options.markdown:
        print("| case | bytes | exit | seconds | peak MB |")
        print("|---|---:|---:|---:|---:|")
    for name, run in runs.items():
        size = len(HOSTILE[name])
        if options.markdown:
            print(
                f"| {name} | {size} | {run.status} | {run.seconds:.2f} "
                f"| {run.peak_mb:.0f} |"
            )
        else:
            print(
                f"{name:32} {size:>9} B  exit {run.status}  {run.seconds:5.2f} s  "
                f"{run.peak_mb:6.1f} MB"
            )
    slowest = max(runs, key=lambda name: runs[name].seconds)
    biggest = max(runs, key=lambda name: runs[name].peak_mb)
    print()
    print(f"{len(runs)} files; every exit status 1: {_all_one(runs)}")
    print(f"slowest: {slowest} {runs[slowest].seconds:.2f} s")
    print(f"most memory: {biggest} {runs[biggest].peak_mb:.1f} MB")


def _all_one(runs: dict[str, LintRun]) -> bool:
    return all(run.status == 1 for run in runs.values())


if __name__ == "__main__":
    main()

"""What a full-screen console costs the terminal and the host: watchdeck and peers.

Runs each program in a pseudo-terminal of each size, one after the other, and prints
bytes written per second, CPU, peak memory and time to first output:

    python -m bench.terminal_cost [--size 160x48] [--size 80x24] [--warmup 10]
        [--window 30] [--only watchdeck,htop,...] [--watchdeck-cmd "..."]
        [--markdown]

Figures go to stdout, progress to stderr. Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import psutil

from bench.pty_run import (
    DEFAULT_LANG,
    DEFAULT_PRIVATE_MODES,
    DEFAULT_TERM,
    PtyRunResult,
    TerminalSize,
    run_in_pty,
    terminal_env,
)

DEFAULT_SIZES = (TerminalSize(160, 48), TerminalSize(80, 24))
"""The two sizes the snapshot tests use too: a roomy screen and the classic one."""

_REPOSITORY = Path(__file__).resolve().parents[1]
_CTRL_Q = b"\x11"
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Program:
    """A program to measure, and how to start, stop and identify it."""

    name: str
    """The name in the table and in --only."""
    argv: tuple[str, ...]
    """The command that starts it full screen in the terminal."""
    quit_keys: bytes
    """What a user types to leave it."""
    version_argv: tuple[str, ...] | None
    """The command that prints its version; None to ask the Python package."""


def default_programs(watchdeck_argv: Sequence[str] | None = None) -> list[Program]:
    """watchdeck (the venv's entry point unless told otherwise) and its peers.

    Each peer runs with its default refresh rate, as a user would start it.
    """
    entry = str(Path(sys.executable).parent / "watchdeck")
    if watchdeck_argv is None:
        watchdeck_argv = (entry, "run")
    return [
        # Textual binds ctrl+q to quit in every app, whatever else watchdeck binds.
        Program("watchdeck", tuple(watchdeck_argv), _CTRL_Q, None),
        # The shipped operational profile: four golden signals of a shop, on
        # synthetic data with its scripted incident.
        Program(
            "watchdeck-ops",
            (entry, "run", "--profile", "operations"),
            _CTRL_Q,
            None,
        ),
        Program("htop", ("htop",), b"q", ("htop", "--version")),
        # Without --utf-force btop refuses to draw when it doubts the locale.
        Program("btop", ("btop", "--utf-force"), b"q", ("btop", "--version")),
        # Plain glances is its curses UI; the update check would reach the network.
        Program(
            "glances",
            ("glances", "--disable-check-update"),
            b"q",
            ("glances", "--version"),
        ),
    ]


def is_installed(program: Program) -> bool:
    """Whether the program's executable can be found."""
    return shutil.which(program.argv[0]) is not None


def program_version(program: Program) -> str:
    """The first line the program prints about its version, or why there is none."""
    if not is_installed(program):
        return "not installed"
    if program.version_argv is None:
        # watchdeck, on whichever profile: the version of this checkout.
        return _package_version("watchdeck")
    try:
        done = subprocess.run(
            program.version_argv,
            capture_output=True,
            text=True,
            timeout=15,
            env=terminal_env(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"version unknown ({error})"
    lines = [line.strip() for line in (done.stdout + done.stderr).splitlines()]
    return next((line for line in lines if line), "version unknown")


def _package_version(name: str) -> str:
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        version = "(package not installed)"
    try:
        revision = subprocess.run(
            ["git", "-C", str(_REPOSITORY), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return f"{name} {version}"
    return f"{name} {version} at commit {revision}"


def cpu_model() -> str:
    """The CPU's marketing name from /proc/cpuinfo, or the architecture."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        # Not Linux, or /proc hidden: the architecture still says something.
        cpuinfo = ""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "Hardware"):
            return value.strip()
    return platform.machine() or "unknown CPU"


def header_lines(
    sizes: Sequence[TerminalSize],
    env: Mapping[str, str],
    programs: Sequence[Program],
    warmup_s: float,
    window_s: float,
) -> list[str]:
    """Where, when and how the figures were taken."""
    now = datetime.datetime.now(datetime.UTC)
    memory = psutil.virtual_memory().total / (1024 * _MIB)
    physical = psutil.cpu_count(logical=False)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    colorterm = env.get("COLORTERM", "unset")
    versions = "; ".join(f"{p.name}: {program_version(p)}" for p in programs)
    return [
        f"date: {now:%Y-%m-%d %H:%M} UTC",
        f"machine: {cpu_model()}, {os.cpu_count()} logical cores "
        f"({physical} physical), {memory:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"load average at start: {load}",
        f"terminal: TERM={env['TERM']}, COLORTERM={colorterm}, LANG={env['LANG']}; "
        f"sizes {', '.join(str(size) for size in sizes)}",
        f"warm-up {warmup_s:g} s, then a steady window of {window_s:g} s",
        f"versions: {versions}",
    ]


@dataclass(frozen=True)
class Row:
    """One program at one size: its figures, or why there are none."""

    name: str
    result: PtyRunResult | None
    note: str


_COLUMNS = (
    "program",
    "bytes/s",
    "CPU % (one core)",
    "peak RSS MiB",
    "peak USS MiB",
    "first output (s)",
    "startup KiB",
)


def _cells(row: Row) -> list[str]:
    result = row.result
    if result is None:
        return [row.name, *(["-"] * (len(_COLUMNS) - 1))]
    # A program that died before the window has no steady figures to show.
    rate = "-" if result.exited_early else f"{result.bytes_per_second:,.0f}"
    cpu = "-" if result.cpu_percent is None else f"{result.cpu_percent:.2f}"
    uss = (
        "-" if result.peak_uss_bytes is None else f"{result.peak_uss_bytes / _MIB:.1f}"
    )
    first = "-" if result.first_output_s is None else f"{result.first_output_s:.2f}"
    return [
        row.name,
        rate,
        cpu,
        f"{result.peak_rss_bytes / _MIB:.1f}",
        uss,
        first,
        f"{result.startup_bytes / 1024:,.1f}",
    ]


def format_table(rows: Sequence[Row], *, markdown: bool) -> str:
    """The figures as aligned text, or as a Markdown table."""
    table = [list(_COLUMNS), *(_cells(row) for row in rows)]
    if markdown:
        lines = [f"| {' | '.join(cells)} |" for cells in table]
        rule = "|" + "|".join("---" if i == 0 else "--:" for i in range(len(_COLUMNS)))
        lines.insert(1, rule + "|")
        return "\n".join(lines)
    widths = [max(len(cells[i]) for cells in table) for i in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        for cells in table
    )


_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P^_].*?(?:\x07|\x1b\\)|\x1b.|[\x00-\x08\x0e-\x1f]"
)


def readable_tail(output: bytes, limit: int = 200) -> str:
    """The end of what a program wrote, without escape sequences, on one line."""
    text = _ESCAPES.sub(b"", output).decode("utf-8", "replace")
    return " ".join(text.split())[-limit:]


def row_notes(row: Row) -> list[str]:
    """What a reader should know besides the figures: queries, how it stopped."""
    result = row.result
    if result is None:
        return [f"{row.name}: {row.note}"]
    queries = ", ".join(f"{name} x{count}" for name, count in result.queries.items())
    notes = [f"{row.name}: terminal queries: {queries or 'none'}"]
    if result.exited_early:
        notes.append(
            f"{row.name}: EXITED on its own (code {result.returncode}); "
            f"last output: {readable_tail(result.output_tail)!r}"
        )
    elif result.stopped_by != "quit key":
        notes.append(
            f"{row.name}: did not quit on its key; ended by {result.stopped_by}"
        )
    if result.replies_dropped:
        notes.append(f"{row.name}: {result.replies_dropped} replies not delivered")
    if result.leftover_pids:
        notes.append(f"{row.name}: processes left running: {result.leftover_pids}")
    return notes


@contextmanager
def scratch_home(enabled: bool) -> Iterator[dict[str, str]]:
    """A fresh, empty home for one run, so every program starts from its defaults.

    It also keeps the configuration files that htop and btop write on exit out of
    the real home. Yields the variables to add to the environment.
    """
    if not enabled:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="watchdeck-bench-") as home:
        yield {
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/.config",
            "XDG_DATA_HOME": f"{home}/.local/share",
            "XDG_CACHE_HOME": f"{home}/.cache",
            "XDG_STATE_HOME": f"{home}/.local/state",
        }


@dataclass(frozen=True)
class Settings:
    """How every program is run in one benchmark."""

    warmup_s: float
    window_s: float
    env: Mapping[str, str]
    private_modes: Mapping[int, int]
    scratch_home: bool
    transcripts: Path | None


def measure(program: Program, size: TerminalSize, settings: Settings) -> Row:
    """Run one program at one size, or say why it was skipped."""
    if not is_installed(program):
        return Row(program.name, None, f"not installed ({program.argv[0]})")
    transcript_path = None
    if settings.transcripts is not None:
        transcript_path = settings.transcripts / f"{program.name}-{size}.raw"
    with (
        scratch_home(settings.scratch_home) as home_env,
        _open_transcript(transcript_path) as transcript,
    ):
        result = run_in_pty(
            program.argv,
            size=size,
            env={**settings.env, **home_env},
            warmup_s=settings.warmup_s,
            window_s=settings.window_s,
            quit_keys=program.quit_keys,
            private_modes=settings.private_modes,
            transcript=transcript,
        )
    return Row(program.name, result, "")


def _open_transcript(path: Path | None) -> nullcontext[None] | BinaryIO:
    return nullcontext() if path is None else path.open("wb")


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.terminal_cost",
        description="Measure the terminal cost of watchdeck and its peers.",
    )
    parser.add_argument(
        "--size",
        action="append",
        type=TerminalSize.parse,
        help="terminal size COLSxROWS; repeat for several (default 160x48 and 80x24)",
    )
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds")
    parser.add_argument("--window", type=float, default=30.0, help="seconds")
    parser.add_argument("--only", help="comma-separated program names")
    parser.add_argument("--watchdeck-cmd", help="command line that starts watchdeck")
    parser.add_argument("--markdown", action="store_true", help="Markdown tables")
    parser.add_argument("--term", default=DEFAULT_TERM, help="TERM for the programs")
    parser.add_argument("--colorterm", help="COLORTERM for the programs (unset)")
    parser.add_argument(
        "--no-sync-output",
        action="store_true",
        help="answer that synchronized output (mode 2026) is not supported",
    )
    parser.add_argument(
        "--keep-home",
        action="store_true",
        help="run with the real HOME and its configuration files",
    )
    parser.add_argument(
        "--transcripts",
        type=Path,
        help="directory to save every byte each program wrote, per size",
    )
    return parser.parse_args(argv)


def _select(programs: list[Program], only: str | None) -> list[Program]:
    if only is None:
        return programs
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    known = {program.name: program for program in programs}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SystemExit(
            f"unknown program(s) {', '.join(unknown)}; choose from {', '.join(known)}"
        )
    return [known[name] for name in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures; the exit code is 0 unless misused."""
    args = _parse_args(argv)
    sizes: list[TerminalSize] = args.size or list(DEFAULT_SIZES)
    watchdeck_argv = shlex.split(args.watchdeck_cmd) if args.watchdeck_cmd else None
    programs = _select(default_programs(watchdeck_argv), args.only)
    if args.transcripts is not None:
        args.transcripts.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        warmup_s=args.warmup,
        window_s=args.window,
        env=terminal_env(term=args.term, colorterm=args.colorterm, lang=DEFAULT_LANG),
        private_modes={} if args.no_sync_output else DEFAULT_PRIVATE_MODES,
        scratch_home=not args.keep_home,
        transcripts=args.transcripts,
    )
    header = header_lines(sizes, settings.env, programs, args.warmup, args.window)
    print("\n".join(f"- {line}" if args.markdown else line for line in header))
    runs = sum(is_installed(p) for p in programs) * len(sizes)
    minutes = runs * (args.warmup + args.window + 1) / 60
    print(f"{runs} runs, about {minutes:.1f} min", file=sys.stderr)
    for size in sizes:
        rows = []
        for program in programs:
            print(f"  {program.name} at {size} ...", file=sys.stderr, flush=True)
            rows.append(measure(program, size, settings))
        title = f"terminal {size}"
        print(f"\n### {title}\n" if args.markdown else f"\n{title}")
        print(format_table(rows, markdown=args.markdown))
        notes = [note for row in rows for note in row_notes(row)]
        print()
        print("\n".join(f"- {note}" if args.markdown else note for note in notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

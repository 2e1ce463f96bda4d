"""The command source running real programs: parsing, the environment they get,
timeouts and output caps that end the whole process group, and the off switch.

Programs are this interpreter (`sys.executable -c ...`), so the tests need nothing
beyond Python and run the same on any machine.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import psutil
import pytest
from pydantic import ValidationError

from console.clock import ManualClock
from console.results import FetchBatch, FetchRequest, SeriesResult, TableResult
from console.sources import command, command_runner
from console.sources.base import SourceError
from console.sources.command import COMMANDS_OFF, KIND, CommandSource
from console.sources.command_params import CommandParams

NOW = 1_800_000_000.0
PYTHON = sys.executable

integration = pytest.mark.integration


def python(code: str, **params: object) -> dict[str, object]:
    """Query params running `code` with this interpreter."""
    return {"argv": [PYTHON, "-c", code], **params}


async def fetch_all(
    queries: Mapping[str, Mapping[str, object]], source: CommandSource | None = None
) -> FetchBatch:
    """Run `queries` (key -> params) in one fetch of a source that may run them."""
    source = source or CommandSource("local", ManualClock(NOW), allowed=True)
    requests = [
        FetchRequest(
            key,
            CommandParams.model_validate(params).model_dump(mode="json"),
            NOW - 60,
            NOW,
            1,
        )
        for key, params in queries.items()
    ]
    return await source.fetch(requests)


def reasons(batch: FetchBatch) -> dict[str, str]:
    return {key: failure.reason for key, failure in batch.failures.items()}


def gone(pid: int, within: float = 3.0) -> bool:
    """Whether `pid` has ended, or does within `within` seconds: a SIGKILL sent is
    acted on by the kernel a moment later. A zombie counts as ended: it runs
    nothing and only waits for its new parent (init, here) to collect it."""
    deadline = time.monotonic() + within
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


@pytest.fixture
def short_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shorter wait between SIGTERM and SIGKILL, to keep the tests quick."""
    monkeypatch.setattr(command_runner, "GRACE", 0.3)


@pytest.fixture
def commands_on() -> Iterator[None]:
    """The process-wide switch on for one test, and off again after it."""
    command.allow_commands(True)
    try:
        yield
    finally:
        command.allow_commands(False)


async def test_commands_are_off_until_the_user_turns_them_on() -> None:
    source = KIND.create("local", KIND.options_model(), ManualClock(NOW))
    assert isinstance(source, CommandSource)
    request = FetchRequest("q", python("print(1)"), NOW - 60, NOW, 1)
    assert not command.commands_allowed()
    with pytest.raises(SourceError) as caught:
        await source.fetch([request])
    assert caught.value.reason == COMMANDS_OFF


@integration
async def test_the_switch_lets_every_command_source_run(commands_on: None) -> None:
    source = KIND.create("local", KIND.options_model(), ManualClock(NOW))
    assert isinstance(source, CommandSource)
    batch = await fetch_all({"q": python("print(1)")}, source)
    assert batch.results == {"q": SeriesResult({"value": [(NOW, 1.0)]})}


@integration
async def test_number_json_and_lines_are_read() -> None:
    records = json.dumps(
        {
            "data": {
                "depth": 17,
                "points": [{"t": NOW - 60, "v": 3}, {"t": NOW, "v": 4}],
                "rows": [{"queue": "orders", "depth": 17}],
            }
        }
    )
    lines = "print('disk / 42.5'); print(); print('load 0.7')"
    batch = await fetch_all(
        {
            "number": python("print(' 42.5 ')"),
            "value": python(
                f"print({records!r})", parse="json", path_in_response="data.depth"
            ),
            "series": python(
                f"print({records!r})",
                parse="json",
                path_in_response="data.points",
                reading="series",
                time_field="t",
                value_field="v",
            ),
            "table": python(
                f"print({records!r})",
                parse="json",
                path_in_response="data.rows",
                reading="table",
            ),
            "lines": python(lines, parse="lines"),
            "lines_table": python(lines, parse="lines", reading="table"),
            "bare": python("print(7)", parse="lines"),
        }
    )
    assert not batch.failures, batch.failures
    assert batch.results == {
        "number": SeriesResult({"value": [(NOW, 42.5)]}),
        "value": SeriesResult({"depth": [(NOW, 17.0)]}),
        "series": SeriesResult({"v": [(NOW - 60, 3.0), (NOW, 4.0)]}),
        "table": TableResult(["queue", "depth"], [["orders", 17]]),
        "lines": SeriesResult({"disk /": [(NOW, 42.5)], "load": [(NOW, 0.7)]}),
        "lines_table": TableResult(
            ["name", "value"], [["disk /", 42.5], ["load", 0.7]]
        ),
        "bare": SeriesResult({"value": [(NOW, 7.0)]}),
    }


@integration
async def test_output_that_does_not_parse_fails_with_a_short_reason() -> None:
    batch = await fetch_all(
        {
            "word": python("print('forty-two')"),
            "empty": python("pass"),
            "json": python("print('{oops')", parse="json"),
            "path": python("print('{}')", parse="json", path_in_response="a.b"),
            "lines": python("print('a 1'); print('b two')", parse="lines"),
        }
    )
    assert reasons(batch) == {
        "word": "the output is not a number",
        "empty": "the program printed nothing",
        "json": "the output is not JSON (line 1, column 2)",
        "path": "no `a.b` in the output",
        "lines": "line 2 does not end in a number",
    }


@integration
async def test_programs_get_a_small_environment_and_no_stdin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATCHDECK_PASSED", "1")
    monkeypatch.setenv("WATCHDECK_KEPT_BACK", "1")
    show = "import os, sys; [print(name, 1) for name in os.environ]"
    stdin = "import sys; print(len(sys.stdin.read()))"
    batch = await fetch_all(
        {
            "env": python(show, parse="lines", env=["WATCHDECK_PASSED"]),
            "stdin": python(stdin),
        }
    )
    assert not batch.failures, batch.failures
    env = batch.results["env"]
    assert isinstance(env, SeriesResult)
    # The interpreter may set LC_CTYPE itself when coercing a C locale.
    names = set(env.series) - {"LC_CTYPE"}
    assert "WATCHDECK_PASSED" in names
    assert names <= {"PATH", "LANG", "HOME", "WATCHDECK_PASSED"}
    assert batch.results["stdin"] == SeriesResult({"value": [(NOW, 0.0)]})


_SPAWNER = """
import os, pathlib, subprocess, sys, time
marker = pathlib.Path(sys.argv[1])
grandchild = subprocess.Popen([sys.executable, "-c", '''
import pathlib, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
pathlib.Path(sys.argv[1] + ".ready").touch()
time.sleep(60)
''', str(marker)])
while not pathlib.Path(str(marker) + ".ready").exists():
    time.sleep(0.01)
marker.write_text(f"{os.getpid()} {grandchild.pid}")
time.sleep(60)
"""
"""A child that starts a grandchild deaf to SIGTERM, notes both pids in the file
named by its argument, then sleeps."""


def _pids(marker: Path) -> list[int]:
    return [int(pid) for pid in marker.read_text().split()]


@integration
async def test_a_timeout_ends_the_whole_process_group(
    tmp_path: Path, short_grace: None
) -> None:
    """Both the child and its grandchild (which ignores SIGTERM, so only SIGKILL
    after the grace period ends it) are gone when the fetch returns; the other
    query of the fetch is answered."""
    marker = tmp_path / "pids"
    started = time.monotonic()
    batch = await fetch_all(
        {
            "hung": {"argv": [PYTHON, "-c", _SPAWNER, str(marker)], "timeout": 1},
            "quick": python("print(5)"),
        }
    )
    assert time.monotonic() - started < 6
    assert reasons(batch) == {"hung": "timed out after 1s"}
    assert batch.results["quick"] == SeriesResult({"value": [(NOW, 5.0)]})
    child, grandchild = _pids(marker)
    assert gone(child)
    assert gone(grandchild)


@integration
async def test_a_cancelled_poll_still_ends_the_process_group(
    tmp_path: Path, short_grace: None
) -> None:
    marker = tmp_path / "pids"
    fetching = asyncio.create_task(
        fetch_all({"hung": {"argv": [PYTHON, "-c", _SPAWNER, str(marker)]}})
    )
    while not marker.exists() or not marker.read_text():
        await asyncio.sleep(0.02)
    fetching.cancel()
    with pytest.raises(asyncio.CancelledError):
        await fetching
    child, grandchild = _pids(marker)
    assert gone(child)
    assert gone(grandchild)


@integration
async def test_a_child_left_running_after_success_is_ended(
    tmp_path: Path, short_grace: None
) -> None:
    marker = tmp_path / "pid"
    code = (
        "import subprocess, sys, pathlib;"
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        f"pathlib.Path({str(marker)!r}).write_text(str(p.pid)); print(1)"
    )
    batch = await fetch_all({"q": python(code)})
    assert batch.results == {"q": SeriesResult({"value": [(NOW, 1.0)]})}
    assert gone(int(marker.read_text()))


@integration
async def test_output_over_the_cap_stops_the_program() -> None:
    endless = "import sys\nwhile True: sys.stdout.write('x' * 4096)"
    started = time.monotonic()
    batch = await fetch_all(
        {
            "endless": python(endless, max_bytes=10_000),
            "big": python("print('1' * 3000)", max_bytes=2048),
        }
    )
    assert time.monotonic() - started < 5
    assert reasons(batch) == {
        "endless": "output over 9.77 KB",
        "big": "output over 2 KB",
    }


@integration
async def test_failures_to_run_say_why_in_one_line(tmp_path: Path) -> None:
    plain_file = tmp_path / "not-a-program"
    plain_file.write_text("echo hi\n")
    plain_file.chmod(0o600)
    batch = await fetch_all(
        {
            "exit": python(
                "import sys; sys.stderr.write('\\n  boom: disk gone\\nmore\\n');"
                "sys.exit(3)"
            ),
            "quiet": python("raise SystemExit(4)"),
            "killed": python("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"),
            "missing": {"argv": ["watchdeck-no-such-program"]},
            "not_executable": {"argv": [str(plain_file)]},
        }
    )
    assert reasons(batch) == {
        "exit": "exited 3: boom: disk gone",
        "quiet": "exited 4",
        "killed": "killed by SIGKILL",
        "missing": "no program 'watchdeck-no-such-program' on PATH",
        "not_executable": f"{plain_file} is not executable",
    }


def test_a_shell_line_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError) as caught:
        CommandParams.model_validate({"argv": "df -h /"})
    assert "write [df, -h, /]" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        CommandParams.model_validate({"argv": ["df -h"]})
    assert "one word per item: [df, -h]" in str(caught.value)
    assert CommandParams.model_validate({"argv": "uptime"}).argv == ["uptime"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"path_in_response": "a"}, "applies to `parse: json` or `lines`"),
        ({"reading": "table"}, "`parse: number` reads one value"),
        ({"parse": "lines", "reading": "value"}, "reads a series or a table"),
        ({"parse": "lines", "path_in_response": "a"}, "applies to `parse: json`"),
        ({"parse": "json", "columns": ["a"]}, "applies only to `reading: table`"),
        ({"env": ["NOT-A-NAME"]}, "is not an environment variable name"),
        ({"timeout": 0}, "longer than zero"),
    ],
)
def test_params_that_cannot_work_are_refused(
    params: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        CommandParams.model_validate({"argv": ["true"], **params})
    assert message in str(caught.value)


def test_every_parameter_says_what_it_does() -> None:
    for name, field in CommandParams.model_fields.items():
        assert field.description, f"{name} has no docstring"
        words = " ".join(field.description.split())
        assert "Left out" in words or field.is_required(), name

"""Malformed and hostile profiles: each one is refused with located problems, exit 1
and no traceback, and random input only ever produces the loader's own error.

Figures (time and peak memory per file) come from `bench/hostile_lint.py`; these
tests check behaviour, and bound memory only.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.lint_command import run_lint
from console.problems import ProfileError
from console.profile_loader import load_profile, load_profile_bytes
from tests.hostile_profiles import BASE, HOSTILE, circular_extends_files
from tests.lint_process import lint_process

pytestmark = pytest.mark.reliability

LOCATED = re.compile(r"^(?P<path>[^:]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): \S")

SUBPROCESS_SAMPLE = (
    "billion_laughs",
    "merge_and_nest_bomb",
    "deep_flow_nesting",
    "too_many_values",
    "larger_than_2mb",
    "long_scalar_unknown_key",
    "thousand_overlapping_panels",
    "python_object_apply",
    "utf16_le_bom",
    "binary_with_nul",
)
"""The costliest cases, run through the real command."""

MEMORY_LIMIT_MB = 200


def lint(path: Path) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_lint([str(path)], out, err)
    return status, out.getvalue().splitlines(), err.getvalue()


def assert_located(path: Path, lines: list[str]) -> None:
    assert lines, "at least one problem is printed"
    for line in lines:
        match = LOCATED.match(line)
        assert match is not None, f"not path:line:col: message: {line[:200]!r}"
        assert match["path"] == str(path)
        assert "Traceback" not in line


def test_the_corpus_is_large_enough() -> None:
    assert len(HOSTILE) + 1 >= 40


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_profile_is_refused_with_located_problems(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(HOSTILE[name])
    status, lines, summary = lint(path)
    assert status == 1
    assert_located(path, lines)
    assert "Traceback" not in summary
    assert summary.startswith(f"{len(lines)} problem")


def test_circular_extends_is_refused_where_the_loop_closes(tmp_path: Path) -> None:
    # Each file of a two-file loop is refused, located at the `extends` line that
    # closes the loop, and the loader does not follow the link forever.
    for name, data in circular_extends_files().items():
        (tmp_path / name).write_bytes(data)
    status, lines, _ = lint(tmp_path)
    assert status == 1
    assert len(lines) == 2
    for line in lines:
        assert "circular extends:" in line, line
        assert "extends_a.yaml → extends_b.yaml" in line or (
            "extends_b.yaml → extends_a.yaml" in line
        ), line
        assert re.match(r".+\.yaml:\d+:\d+: circular extends: ", line), line


def test_things_that_are_not_files_are_refused_without_hanging(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(loop)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    for path, message in [
        # A named pipe would block a plain open() until a writer came.
        (fifo, "this is not a regular file"),
        (Path("/dev/zero"), "this is not a regular file"),
        (loop, "no such file"),
    ]:
        out, err = io.StringIO(), io.StringIO()
        assert run_lint([str(path)], out, err) == 1
        assert out.getvalue().startswith(f"{path}:1:1: {message}")

    with pytest.raises(ProfileError, match="a directory, not a profile file"):
        load_profile(folder)


@pytest.mark.slow
@pytest.mark.parametrize("name", SUBPROCESS_SAMPLE)
def test_the_real_command_refuses_the_costliest_cases(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(HOSTILE[name])
    run = lint_process(path)
    assert run.status == 1
    assert "Traceback" not in run.out + run.err
    assert_located(path, run.out.splitlines())
    assert run.peak_mb < MEMORY_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"


@pytest.mark.slow
def test_the_real_command_reads_the_whole_corpus_in_one_go(tmp_path: Path) -> None:
    for name, data in HOSTILE.items():
        (tmp_path / f"{name}.yaml").write_bytes(data)
    run = lint_process(tmp_path)
    assert run.status == 1
    assert "Traceback" not in run.out + run.err
    reported = {LOCATED.match(line)["path"] for line in run.out.splitlines()}  # type: ignore[index]
    assert reported == {str(tmp_path / f"{name}.yaml") for name in HOSTILE}
    assert run.err.strip().endswith(f"in {len(HOSTILE)} of {len(HOSTILE)} profiles")
    assert run.peak_mb < MEMORY_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"


# Pieces of YAML, valid and not, that random documents are assembled from: keys the
# schema knows, syntax that trips parsers, tags, anchors and hostile values.
_FRAGMENTS = [
    *BASE.splitlines(),
    "- ",
    ": ",
    "  ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object:os.system",
    "!!binary",
    "!!float",
    "!!int",
    "? ",
    "|",
    ">-",
    '"',
    "'",
    "#",
    "%YAML 1.1",
    "---",
    "...",
    "${",
    "}",
    "$${x}",
    ".nan",
    "-.inf",
    "0x1F",
    "0o17",
    "1e999",
    "9" * 50,
    "~",
    "null",
    "\u202e",
    "\ufeff",
    "\x85",
    "é",
    "variables: {v: {default: a, choices: [a, b]}}",
    "thresholds: {warning: 1, critical: 0}",
    "at: {x: 11, y: 0, w: 6, h: 6}",
    "refresh: 1ms",
    "range: 1d",
    "drill: {dashboard: main, with: {v: b}}",
    "type: prometheus",
    "type: http",
    "type: sql",
    "type: command",
    "query: {source: shop}",
]


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    st.lists(
        st.tuples(st.sampled_from(_FRAGMENTS), st.sampled_from(["", "\n", " "])),
        max_size=60,
    )
)
def test_random_yaml_ish_documents_only_raise_profile_error(
    pieces: list[tuple[str, str]],
) -> None:
    text = "".join(fragment + joint for fragment, joint in pieces)
    check_only_profile_error(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=2048))
def test_random_bytes_only_raise_profile_error(data: bytes) -> None:
    check_only_profile_error(data)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_random_text_after_a_valid_profile_only_raises_profile_error(
    tail: str,
) -> None:
    check_only_profile_error((BASE + tail).encode("utf-8", errors="surrogatepass"))


def check_only_profile_error(data: bytes) -> None:
    """Loading `data` succeeds or raises ProfileError with located problems; any
    other exception fails the test with hypothesis's smallest example."""
    try:
        load_profile_bytes(data, "random.yaml")
    except ProfileError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == "random.yaml"
            assert problem.line >= 1 and problem.column >= 1
            assert problem.message and "\n" not in problem.message

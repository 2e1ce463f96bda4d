"""`watchdeck lint`: every problem as `path:line:col: message`, and a summary."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from console.lint_command import run_lint
from tests.profile_fixtures import BAD_DIR, FAKE_KINDS, GOOD_DIR, GOOD_PROFILE

_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)$")


def lint(*paths: str | Path) -> tuple[int, list[str], str]:
    """Exit status, problem lines and summary of linting `paths`."""
    out, err = io.StringIO(), io.StringIO()
    status = run_lint([str(path) for path in paths], out, err, kinds=FAKE_KINDS)
    return status, out.getvalue().splitlines(), err.getvalue().strip()


def expected_count(paths: Sequence[Path]) -> int:
    """How many problems the bad corpus files in `paths` say they produce."""
    return sum(path.read_text(errors="replace").count("\n# expect: ") for path in paths)


def test_a_clean_profile_passes() -> None:
    assert lint(GOOD_PROFILE) == (0, [], "1 profile, no problems")


def test_a_clean_directory_passes() -> None:
    assert lint(GOOD_DIR) == (0, [], "1 profile, no problems")


def test_the_bad_corpus_reports_every_problem_in_path_line_col_form() -> None:
    status, lines, summary = lint(BAD_DIR)
    files = sorted(BAD_DIR.glob("*.yaml"))
    assert status == 1
    assert len(lines) == expected_count(files)
    assert summary == f"{len(lines)} problems in {len(files)} of {len(files)} profiles"
    matches = [_LINE.match(line) for line in lines]
    reported = [match["path"] for match in matches if match is not None]
    assert len(reported) == len(lines), "every line reads path:line:col: message"
    assert {Path(path).parent for path in reported} == {BAD_DIR}
    # Files are read in sorted order.
    assert reported == sorted(reported)


def test_one_file_gives_exact_lines() -> None:
    path = BAD_DIR / "drill_links.yaml"
    status, lines, summary = lint(path)
    assert status == 1
    assert lines == [
        f"{path}:18:28: drill link to unknown dashboard 'detial' (dashboards: main)",
        f"{path}:28:13: drill link sets variable 'host', which the profile does not "
        "declare (declared: service)",
    ]
    assert summary == "2 problems in 1 of 1 profile"


def test_a_missing_path_is_a_problem_and_the_rest_is_still_checked(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "absent.yaml"
    status, lines, summary = lint(GOOD_PROFILE, missing, BAD_DIR / "empty.yaml")
    assert status == 1
    assert lines == [
        f"{missing}:1:1: no such file or directory",
        f"{BAD_DIR / 'empty.yaml'}:1:1: profile is empty: it holds no keys, only "
        "blank lines or comments",
    ]
    assert summary == "2 problems in 2 of 3 profiles"


def test_a_directory_without_profiles_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a profile")
    status, lines, _ = lint(tmp_path)
    assert status == 1
    assert lines == [f"{tmp_path}:1:1: no .yaml or .yml profiles in this directory"]


def test_yml_files_are_profiles_too_and_subdirectories_are_not_entered(
    tmp_path: Path,
) -> None:
    shutil.copy(GOOD_PROFILE, tmp_path / "b.yml")
    shutil.copy(GOOD_PROFILE, tmp_path / "a.yaml")
    (tmp_path / "nested").mkdir()
    shutil.copy(BAD_DIR / "empty.yaml", tmp_path / "nested" / "bad.yaml")
    assert lint(tmp_path) == (0, [], "2 profiles, no problems")


def test_binary_and_huge_files_are_reported_without_a_traceback(
    tmp_path: Path,
) -> None:
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)))
    (tmp_path / "huge.yaml").write_bytes(b"a: " + b"x" * (5 * 1024 * 1024))
    status, lines, summary = lint(tmp_path)
    assert status == 1
    assert lines == [
        f"{tmp_path / 'binary.yaml'}:1:1: the file is not UTF-8 text: it holds a NUL "
        "byte at byte 0",
        f"{tmp_path / 'huge.yaml'}:1:1: the file is larger than 2 MB, the most a "
        "profile may be",
    ]
    assert summary == "2 problems in 2 of 2 profiles"

"""`watchdeck lint --strict`: each governance rule tripped by a profile built for
it (tests/profiles_strict, each file lists what it expects), and the shipped
profiles passing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from console.cli import main
from console.lint_command import run_lint
from console.profile_catalog import shipped_profiles_dir
from tests.profile_fixtures import FAKE_KINDS, HERE

STRICT_DIR = HERE / "profiles_strict"


def lint(path: Path, *, strict: bool) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = run_lint([str(path)], out, io.StringIO(), kinds=FAKE_KINDS, strict=strict)
    return status, out.getvalue().splitlines()


def expected(path: Path) -> list[str]:
    """`path:line:col: message` for every `# expect:` line of a corpus file."""
    marks = [
        line.removeprefix("# expect: ")
        for line in path.read_text().splitlines()
        if line.startswith("# expect: ")
    ]
    return [f"{path}:{mark}" for mark in marks]


@pytest.mark.parametrize(
    "path", sorted(STRICT_DIR.glob("*.yaml")), ids=lambda path: path.stem
)
def test_each_rule_reports_exactly_what_its_profile_expects(path: Path) -> None:
    status, lines = lint(path, strict=True)
    assert expected(path), "every strict corpus file expects something"
    assert status == 1
    assert lines == expected(path)


def test_the_strict_corpus_is_valid_without_strict() -> None:
    assert lint(STRICT_DIR, strict=False) == (0, [])


def test_every_rule_is_tripped_somewhere_in_the_corpus() -> None:
    status, lines = lint(STRICT_DIR, strict=True)
    text = "\n".join(lines)
    for phrase in (
        "names no owner",
        "has no description",
        "has no thresholds",
        "repeats the query",
        "the extra calls fetch nothing new",
        "hidden behind its border",
        "below the first screen",
    ):
        assert phrase in text, phrase
    assert status == 1


KNOWN_EXCEPTIONS = [
    "aws-operations.yaml:43:9: panel 'alb-requests' of an operational dashboard "
    "has no thresholds: it can never warn; add `thresholds:`",
    "aws-operations.yaml:124:9: panel 'dynamodb-capacity' of an operational "
    "dashboard has no thresholds: it can never warn; add `thresholds:`",
]
"""Levels a template cannot know (your traffic, your table's capacity): the profile
says so at each panel, and strict asks whoever points it at their account."""


def test_the_shipped_profiles_pass_strict_but_for_known_exceptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["lint", "--strict", str(shipped_profiles_dir())])
    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit("/", 1)[-1] for line in lines] == KNOWN_EXCEPTIONS
    assert status == 1

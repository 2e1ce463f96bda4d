"""`watchdeck lint`: check profiles and print every problem as `path:line:col`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from console.lint_strict import strict_problems
from console.problems import Problem, ProfileError
from console.profile_loader import load_profile
from console.sources.base import SourceKind

PROFILE_SUFFIXES = (".yaml", ".yml")
"""Files of a directory that lint reads as profiles."""


def run_lint(
    paths: Sequence[str],
    out: TextIO,
    err: TextIO,
    *,
    kinds: Mapping[str, SourceKind] | None = None,
    strict: bool = False,
) -> int:
    """Check each file, and each profile directly inside each directory, in `paths`.

    Problems go to `out`, one `path:line:col: message` a line, so that editors and
    CI can read them; the summary goes to `err`. Returns 0 when every profile is
    clean and 1 otherwise. A path that does not exist, or a directory without
    profiles, counts as a problem. With `strict`, profiles that load are also held
    to the governance rules of `console.lint_strict`.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        found, problem = _profile_files(Path(name))
        files.extend(found)
        if problem is not None:
            problems.append(problem)
    unusable_paths = failed = len(problems)
    for path in files:
        try:
            loaded = load_profile(path, kinds=kinds)
        except ProfileError as error:
            problems.extend(error.problems)
            failed += 1
            continue
        if strict:
            governance = strict_problems(loaded)
            problems.extend(governance)
            failed += bool(governance)
    for problem in problems:
        print(problem, file=out)
    # A path that named no profile counts as one checked, and failed, so that the
    # summary never says more failed than were checked.
    print(_summary(len(problems), failed, len(files) + unusable_paths), file=err)
    return 1 if problems else 0


def _profile_files(path: Path) -> tuple[list[Path], Problem | None]:
    """The profiles `path` names, or the problem with it."""
    if path.is_dir():
        found = sorted(
            child
            for child in path.iterdir()
            if child.suffix in PROFILE_SUFFIXES and child.is_file()
        )
        if not found:
            message = "no .yaml or .yml profiles in this directory"
            return [], Problem(str(path), 1, 1, message)
        return found, None
    if not path.exists():
        return [], Problem(str(path), 1, 1, "no such file or directory")
    return [path], None


def _summary(problems: int, failed: int, profiles: int) -> str:
    """ "2 problems in 1 of 3 profiles", or "3 profiles, no problems"."""
    noun = "profile" if profiles == 1 else "profiles"
    if problems == 0:
        return f"{profiles} {noun}, no problems"
    plural = "problem" if problems == 1 else "problems"
    return f"{problems} {plural} in {failed} of {profiles} {noun}"

"""Problems found in a profile, each tied to the place in the file that caused it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with a profile, located as `path:line:col`.

    Lines and columns count from 1, as editors show them.
    """

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass
class ProfileError(Exception):
    """Raised when a profile cannot be used; carries every problem found, sorted."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = sorted(set(self.problems))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

"""Profile variables: their values, and `${name}` replaced by them.

A profile declares variables under the top-level `variables:` key; each has a default,
which `--var name=value`, a drill link or the variable selector may override. Every
string value elsewhere in the profile may say `${name}`; `$${` writes a literal `${`.
Mapping keys are left as written, so that the shape of a profile never depends on a
variable. Values are substituted once: a value that itself holds `${...}` stays as
it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from console.problems import Problem
from console.profile_schema import Variable
from console.yaml_document import NodePath, PositionMap

VARIABLES_KEY = "variables"
"""The top-level key whose block declares the variables; never substituted."""

_REFERENCE = re.compile(r"\$\$\{|\$\{([^{}]*)\}|\$\{")


@dataclass(frozen=True, slots=True)
class ResolvedVariables:
    """The value of every usable variable, and every name the profile declares.

    A variable whose declaration is broken is declared but has no value; the schema
    reports the declaration, so references to it are left alone rather than being
    reported a second time as undefined.
    """

    values: dict[str, str]
    declared: frozenset[str]
    problems: tuple[Problem, ...] = ()


def resolve_variables(
    tree: Mapping[str, Any],
    overrides: Mapping[str, str],
    positions: PositionMap,
    path_label: str,
) -> ResolvedVariables:
    """Each variable's default, replaced by its override where one is given.

    An override naming a variable the profile does not declare, or giving a value
    outside the variable's `choices`, is a problem.
    """
    block = tree.get(VARIABLES_KEY)
    entries: Mapping[Any, Any] = block if isinstance(block, Mapping) else {}
    declared = frozenset(str(name) for name in entries)
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for name, entry in entries.items():
        try:
            variable = Variable.model_validate(entry)
        except ValidationError:
            continue
        value = overrides.get(name, variable.default)
        if variable.choices and value not in variable.choices:
            line, column = positions.locate((VARIABLES_KEY, name, "choices"))
            message = (
                f"--var {name}={value}: {value!r} is not one of the choices "
                f"{', '.join(variable.choices)}"
            )
            problems.append(Problem(path_label, line, column, message))
        values[str(name)] = value
    for name, value in overrides.items():
        if name not in declared:
            line, column = positions.locate((VARIABLES_KEY,), key=True)
            known = ", ".join(sorted(declared)) or "none"
            message = (
                f"--var {name}={value}: the profile has no variable {name!r} "
                f"(it declares: {known})"
            )
            problems.append(Problem(path_label, line, column, message))
    return ResolvedVariables(values, declared, tuple(problems))


def substitute_variables(
    tree: Mapping[str, Any],
    variables: ResolvedVariables,
    positions: PositionMap,
    path_label: str,
) -> tuple[dict[str, Any], list[Problem]]:
    """A copy of `tree` with `${name}` replaced in every string value.

    The `variables:` block is copied untouched. A reference to an undeclared
    variable, or a `${` with no closing `}`, is a problem located at its string.
    """
    substitution = _Substitution(variables, positions, path_label)
    result: dict[str, Any] = {}
    for key, value in tree.items():
        if key == VARIABLES_KEY:
            result[key] = value
        else:
            result[key] = substitution.apply(value, (key,))
    return result, substitution.problems


class _Substitution:
    """One pass of substitution over a tree, collecting problems as it goes."""

    def __init__(
        self, variables: ResolvedVariables, positions: PositionMap, path_label: str
    ) -> None:
        self.variables = variables
        self.positions = positions
        self.path_label = path_label
        self.problems: list[Problem] = []

    def apply(self, value: Any, path: NodePath) -> Any:
        """`value` with every string in it substituted."""
        if isinstance(value, str):
            return self._text(value, path) if "$" in value else value
        if isinstance(value, list):
            return [
                self.apply(item, (*path, index)) for index, item in enumerate(value)
            ]
        if isinstance(value, dict):
            return {key: self.apply(item, (*path, key)) for key, item in value.items()}
        return value

    def _text(self, text: str, path: NodePath) -> str:
        # Each undefined name is reported once per string, however often the
        # string repeats it.
        reported: set[str] = set()

        def replace(match: re.Match[str]) -> str:
            reference = match.group(0)
            if reference == "$${":
                return "${"
            name = match.group(1)
            if name is None:
                if "${" not in reported:
                    reported.add("${")
                    self._problem(
                        path, "'${' has no closing '}'; write '$${' for a literal '${'"
                    )
                return reference
            name = name.strip()
            if name in self.variables.values:
                return self.variables.values[name]
            if name not in self.variables.declared and name not in reported:
                reported.add(name)
                self._problem(path, self._undefined(name))
            return reference

        return _REFERENCE.sub(replace, text)

    def _undefined(self, name: str) -> str:
        declared = ", ".join(sorted(self.variables.declared))
        if not declared:
            return f"undefined variable ${{{name}}}: the profile declares no variables"
        return f"undefined variable ${{{name}}}; the profile declares: {declared}"

    def _problem(self, path: NodePath, message: str) -> None:
        line, column = self.positions.locate(path)
        self.problems.append(Problem(self.path_label, line, column, message))

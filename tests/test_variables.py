"""Variables: defaults, `--var` overrides, and `${name}` substitution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console.problems import Problem
from console.variables import (
    ResolvedVariables,
    resolve_variables,
    substitute_variables,
)
from console.yaml_document import YamlDocument, load_yaml_document

PROFILE = """\
variables:
  region: {default: us-east-1, choices: [us-east-1, eu-west-1]}
  service: {default: checkout}
  literal: {default: "${not-expanded}"}
title: "${service} in ${region}"
dashboards:
  - id: main
    title: Costs $${dollars} for ${service}
    tags: ["${region}", 3, true, null]
    "${service}": key stays
"""


def document(text: str = PROFILE) -> YamlDocument:
    """The YAML document in `text`."""
    return load_yaml_document(text.encode(), "p.yaml")


def resolve(
    overrides: Mapping[str, str] | None = None, text: str = PROFILE
) -> ResolvedVariables:
    """The variables of `text` with `overrides` applied."""
    doc = document(text)
    return resolve_variables(doc.tree, overrides or {}, doc.positions, "p.yaml")


def substitute(
    overrides: Mapping[str, str] | None = None, text: str = PROFILE
) -> tuple[dict[str, Any], list[Problem]]:
    """The substituted tree of `text`, and the problems substitution found."""
    doc = document(text)
    resolved = resolve_variables(doc.tree, overrides or {}, doc.positions, "p.yaml")
    return substitute_variables(doc.tree, resolved, doc.positions, "p.yaml")


def test_defaults_are_the_values_when_nothing_overrides_them() -> None:
    resolved = resolve()
    assert resolved.values == {
        "region": "us-east-1",
        "service": "checkout",
        "literal": "${not-expanded}",
    }
    assert resolved.declared == {"region", "service", "literal"}
    assert resolved.problems == ()


def test_overrides_replace_defaults() -> None:
    resolved = resolve({"region": "eu-west-1", "service": "cart"})
    assert resolved.values["region"] == "eu-west-1"
    assert resolved.values["service"] == "cart"
    assert resolved.problems == ()


def test_an_override_outside_the_choices_is_located_at_the_choices() -> None:
    problems = resolve({"region": "mars-1"}).problems
    assert [(p.line, p.column) for p in problems] == [(2, 41)]
    assert problems[0].message == (
        "--var region=mars-1: 'mars-1' is not one of the choices us-east-1, eu-west-1"
    )


def test_an_override_of_an_undeclared_variable_is_a_problem() -> None:
    problems = resolve({"colour": "red"}).problems
    assert [(p.line, p.column) for p in problems] == [(1, 1)]
    assert problems[0].message == (
        "--var colour=red: the profile has no variable 'colour' "
        "(it declares: literal, region, service)"
    )


def test_every_string_value_is_substituted() -> None:
    tree, problems = substitute()
    assert problems == []
    assert tree["title"] == "checkout in us-east-1"
    dashboard = tree["dashboards"][0]
    assert dashboard["tags"] == ["us-east-1", 3, True, None]
    assert dashboard["id"] == "main"


def test_a_doubled_dollar_writes_a_literal_reference() -> None:
    tree, _ = substitute()
    assert tree["dashboards"][0]["title"] == "Costs ${dollars} for checkout"


def test_keys_are_never_substituted() -> None:
    tree, _ = substitute()
    assert tree["dashboards"][0]["${service}"] == "key stays"


def test_the_variables_block_is_left_as_written() -> None:
    tree, _ = substitute()
    assert tree["variables"]["literal"] == {"default": "${not-expanded}"}


def test_substituted_values_are_not_substituted_again() -> None:
    text = PROFILE + "again: ${literal}\n"
    tree, problems = substitute(text=text)
    assert tree["again"] == "${not-expanded}"
    assert problems == []


def test_overrides_reach_the_substituted_tree() -> None:
    tree, _ = substitute({"service": "cart"})
    assert tree["title"] == "cart in us-east-1"


def test_an_undefined_variable_is_located_at_its_string() -> None:
    text = PROFILE + "sources:\n  a: {type: x, url: 'http://${host}/'}\n"
    _, problems = substitute(text=text)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (
            12,
            21,
            "undefined variable ${host}; the profile declares: literal, region, "
            "service",
        )
    ]


def test_undefined_with_no_variables_declared_says_so() -> None:
    _, problems = substitute(text="title: ${x}\n")
    assert problems[0].message == (
        "undefined variable ${x}: the profile declares no variables"
    )


def test_each_undefined_name_is_reported_once_per_string() -> None:
    _, problems = substitute(text="a: ${x} ${y} ${x}\nb: ['${z}']\n")
    assert [(p.line, p.column) for p in problems] == [(1, 4), (1, 4), (2, 5)]
    assert [p.message.split(":")[0].split(";")[0] for p in problems] == [
        "undefined variable ${x}",
        "undefined variable ${y}",
        "undefined variable ${z}",
    ]


def test_an_unclosed_reference_is_a_problem() -> None:
    _, problems = substitute(text="title: 'a ${b'\n")
    assert problems[0].message == (
        "'${' has no closing '}'; write '$${' for a literal '${'"
    )


def test_spaces_inside_a_reference_are_ignored() -> None:
    tree, problems = substitute(text=PROFILE + "spaced: ${ service }\n")
    assert tree["spaced"] == "checkout"
    assert problems == []


def test_a_broken_declaration_leaves_its_references_alone() -> None:
    # The schema reports the broken declaration; calling its uses "undefined"
    # as well would report one mistake twice.
    text = "variables:\n  port: {default: 8080}\ntitle: ':${port}'\n"
    tree, problems = substitute(text=text)
    assert tree["title"] == ":${port}"
    assert problems == []
    assert resolve(text=text).declared == {"port"}


def test_a_plain_dollar_is_left_alone() -> None:
    tree, problems = substitute(text="a: costs $5 or $ {x}\n")
    assert tree["a"] == "costs $5 or $ {x}"
    assert problems == []

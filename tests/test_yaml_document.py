"""Reading YAML safely: plain values, positions, and hostile input refused, located."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.problems import Problem, ProfileError
from console.yaml_document import (
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_PROBLEMS,
    PositionMap,
    YamlDocument,
    load_yaml_document,
)

LABEL = "p.yaml"


def load(text: str | bytes) -> YamlDocument:
    """The document in `text`, which must load."""
    data = text.encode() if isinstance(text, str) else text
    return load_yaml_document(data, LABEL)


def refused(text: str | bytes) -> list[Problem]:
    """The problems `text` is refused with; fails the test if it loads."""
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ProfileError) as caught:
        load_yaml_document(data, LABEL)
    return caught.value.problems


def only(text: str | bytes) -> tuple[int, int, str]:
    """Line, column and message of the one problem `text` is refused with."""
    problems = refused(text)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.path == LABEL
    return problem.line, problem.column, problem.message


def test_plain_values_follow_the_yaml_1_2_core_schema() -> None:
    document = load(
        "ints: [1, -2, 0o17, 0x1f]\n"
        "floats: [1.5, 1e3, .inf, -.inf]\n"
        "bools: [true, False, TRUE]\n"
        "nulls: [~, null, Null]\n"
        "strings: [no, yes, on, off, 12:30, 2024-01-01, '3', \"4\", ! 5]\n"
    )
    assert document.tree == {
        "ints": [1, -2, 15, 31],
        "floats": [1.5, 1000.0, float("inf"), float("-inf")],
        "bools": [True, False, True],
        "nulls": [None, None, None],
        "strings": ["no", "yes", "on", "off", "12:30", "2024-01-01", "3", "4", "5"],
    }
    assert document.problems == ()


def test_an_empty_value_is_none() -> None:
    assert load("a:\nb: ''\n").tree == {"a": None, "b": ""}


def test_keys_stay_text_as_written() -> None:
    document = load("on: 1\n2: two\nnull: x\n")
    assert document.tree == {"on": 1, "2": "two", "null": "x"}


def test_explicit_core_tags_are_honoured() -> None:
    document = load("a: !!str 12\nb: !!int '7'\nc: !!float 2\nd: !!bool 'true'\n")
    assert document.tree == {"a": "12", "b": 7, "c": 2.0, "d": True}


def test_positions_of_values_and_keys_count_from_one() -> None:
    document = load(
        "profile: demo\n"
        "dashboards:\n"
        "  - id: main\n"
        "    panels:\n"
        "      - {id: a, at: {x: 0, y: 1}}\n"
    )
    positions = document.positions
    assert positions.values[("profile",)] == (1, 10)
    assert positions.keys[("profile",)] == (1, 1)
    assert positions.values[("dashboards",)] == (3, 3)
    assert positions.values[("dashboards", 0)] == (3, 5)
    assert positions.values[("dashboards", 0, "panels", 0, "at", "y")] == (5, 31)
    assert positions.keys[("dashboards", 0, "panels", 0, "at", "y")] == (5, 28)
    assert positions.values[()] == (1, 1)


def test_locate_falls_back_to_the_nearest_enclosing_node() -> None:
    positions = load("a:\n  b: {c: 1}\n").positions
    assert positions.locate(("a", "b", "missing")) == (2, 6)
    assert positions.locate(("a", "b", "c"), key=True) == (2, 7)
    assert positions.locate(("a", "b", "c")) == (2, 10)
    assert positions.locate(("nowhere", 3)) == (1, 1)
    assert PositionMap().locate(("x",)) == (1, 1)


def test_aliases_expand_and_are_located_where_they_are_used() -> None:
    document = load("base: &b {x: 1}\nuse: *b\n")
    assert document.tree == {"base": {"x": 1}, "use": {"x": 1}}
    assert document.positions.values[("use",)] == (2, 6)
    # The inside of the alias is where the anchor wrote it.
    assert document.positions.values[("use", "x")] == (1, 14)


def test_merge_keys_merge_with_own_keys_winning() -> None:
    document = load(
        "one: &one {x: 1, y: 1}\n"
        "two: &two {y: 2, z: 2}\n"
        "both:\n"
        "  <<: [*one, *two]\n"
        "  z: 3\n"
    )
    assert document.tree["both"] == {"x": 1, "y": 1, "z": 3}
    assert document.positions.values[("both", "z")] == (5, 6)


def test_merging_a_scalar_is_refused() -> None:
    assert only("a: &a 1\nb:\n  <<: *a\n")[2] == (
        "<< merges only a mapping or a list of mappings"
    )


def test_duplicate_keys_are_problems_and_the_first_value_is_kept() -> None:
    document = load("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert document.tree == {"a": 1, "b": {"c": 2}}
    assert [(p.line, p.column, p.message) for p in document.problems] == [
        (4, 3, "duplicate key 'c': it is first set at line 3, column 3"),
        (5, 1, "duplicate key 'a': it is first set at line 1, column 1"),
    ]


def test_reading_stops_after_a_hundred_problems() -> None:
    problems = refused("".join("k: v\n" for _ in range(10_000)))
    assert len(problems) == MAX_PROBLEMS + 1
    stopped = [p for p in problems if "reading stopped" in p.message]
    assert [(p.line, p.message) for p in stopped] == [
        (MAX_PROBLEMS + 1, f"{MAX_PROBLEMS} problems so far; reading stopped here")
    ]


def test_python_tags_are_refused_every_one_located() -> None:
    problems = refused(
        "a: !!python/object/apply:os.system ['rm -rf /']\n"
        "b: !!python/name:os.system\n"
        "c: !!binary aGk=\n"
        "d: !local x\n"
    )
    assert [(p.line, p.column) for p in problems] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert problems[0].message == (
        "tag !!python/object/apply:os.system is not allowed: "
        "a profile holds plain values only"
    )
    assert "!local" in problems[3].message


@pytest.mark.parametrize("tag", ["!!set", "!!omap", "!!timestamp", "!!pairs"])
def test_other_builtin_tags_are_refused(tag: str) -> None:
    assert "is not allowed" in only(f"a: {tag} {{}}\n")[2]


def test_a_value_that_does_not_fit_its_tag_is_refused() -> None:
    assert only("a: !!int twelve\n") == (1, 4, "'twelve' is not a valid !!int")


def test_billion_laughs_is_refused_at_the_alias_that_crosses_the_limit() -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghi"
    for previous, name in itertools.pairwise(names):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    line, column, message = only("\n".join(levels) + "\n")
    assert message == f"aliases expand the profile past {MAX_NODES} values"
    assert (line, column) == (5, 24)


def test_too_many_aliases_are_refused() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    line, column, message = only(text)
    assert message == f"more than {MAX_ALIASES} aliases (*name) in one file"
    # The first alias sits at column 5 and each takes four characters.
    assert (line, column) == (2, 5 + 4 * MAX_ALIASES)


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    assert only("a: &a [1, *a]\n") == (
        1,
        11,
        "alias *a refers to a node that contains it",
    )


def test_an_alias_without_anchor_is_refused() -> None:
    assert only("a: *nowhere\n") == (
        1,
        4,
        "alias *nowhere has no anchor &nowhere before it",
    )


def test_ten_thousand_nested_lists_are_refused() -> None:
    line, _, message = only("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert line == 1


def test_deep_block_nesting_is_refused_where_it_crosses_the_limit() -> None:
    text = "".join("  " * level + "k:\n" for level in range(200))
    line, column, message = only(text)
    assert message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert (line, column) == (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)


def test_aliases_cannot_nest_past_the_depth_limit() -> None:
    # Each anchor nests thirty levels; the chain of them would nest ninety.
    lines = ["a0: &a0 " + "[" * 30 + "]" * 30]
    for index in range(1, 3):
        lines.append(f"a{index}: &a{index} " + "[" * 30 + f"*a{index - 1}" + "]" * 30)
    message = only("\n".join(lines) + "\n")[2]
    assert message == f"nesting is deeper than {MAX_DEPTH} levels once aliases expand"


def test_a_file_over_the_size_limit_is_refused() -> None:
    data = b"a: " + b"x" * (5 * 1024 * 1024) + b"\n"
    assert len(data) > MAX_BYTES
    assert only(data) == (
        1,
        1,
        "the file is larger than 2 MB, the most a profile may be",
    )


def test_a_nul_byte_means_not_text() -> None:
    line, column, message = only(b"a: 1\nb: \x00\x01\x02\n")
    assert (line, column) == (2, 4)
    assert message == "the file is not UTF-8 text: it holds a NUL byte at byte 8"


def test_bytes_that_are_not_utf8_are_located() -> None:
    assert only(b"title: caf\xe9\n") == (
        1,
        11,
        "the file is not UTF-8 text: byte 0xe9 at byte 10 is not valid UTF-8",
    )


def test_a_control_character_is_refused() -> None:
    assert only("a: 1\nb: x\x07y\n") == (
        2,
        5,
        "control character U+0007 is not allowed in a profile",
    )


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n# comments\n", "---\n", "~\n"])
def test_an_empty_document_is_empty(text: str) -> None:
    assert only(text)[2].startswith("profile is empty")


def test_a_top_level_list_is_refused() -> None:
    assert only("\n- a\n- b\n") == (
        2,
        1,
        "expected a mapping at the top level, found a list",
    )


def test_a_top_level_scalar_is_refused() -> None:
    assert only("42\n") == (1, 1, "expected a mapping at the top level, found '42'")


def test_a_syntax_error_is_located_with_its_context() -> None:
    line, column, message = only("a: 1\nb: [1, 2\nc: 3\n")
    assert (line, column) == (3, 2)
    assert message.startswith("invalid YAML: ")
    assert "at line 2, column 4" in message


def test_an_unquoted_variable_in_a_flow_mapping_gets_a_hint() -> None:
    line, column, message = only("q: {source: a, metric: ${m}}\n")
    assert (line, column) == (1, 25)
    assert message.endswith("inside [ ] or { }, a value with ${...} must be quoted")


def test_a_colon_in_a_plain_value_is_located() -> None:
    line, column, message = only("a: b: c\n")
    assert (line, column) == (1, 5)
    assert message.startswith("invalid YAML: mapping values are not allowed")


@pytest.mark.parametrize(
    "text",
    ["a:\n\tb: 1\n", "a:\n  b: 1\n\tc: 2\n", "a:\n  - 1\n\t- 2\n"],
)
def test_tab_indentation_is_explained_plainly(text: str) -> None:
    line, column, message = only(text)
    assert message == (
        "a tab is used for indentation here; YAML indents with spaces only"
    )
    assert column == 1
    assert line == text.count("\n")


def test_several_documents_are_refused_at_the_second() -> None:
    assert only("a: 1\n---\nb: 2\n") == (
        2,
        1,
        "a profile is one YAML document; a second starts here",
    )


def test_a_closing_document_marker_alone_is_fine() -> None:
    assert load("---\na: 1\n...\n").tree == {"a": 1}


def test_a_collection_as_a_key_is_refused() -> None:
    assert only("? [a, b]\n: c\n")[2] == (
        "a mapping key must be a plain value, not a collection"
    )


def test_an_integer_too_long_for_python_stays_text() -> None:
    digits = "9" * 5000
    assert load(f"a: {digits}\n").tree == {"a": digits}


@settings(max_examples=150)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_profile_error(data: bytes) -> None:
    try:
        document = load_yaml_document(data, LABEL)
    except ProfileError as error:
        assert error.problems
        assert all(
            problem.line >= 1 and problem.column >= 1 for problem in error.problems
        )
    else:
        assert isinstance(document.tree, dict)


@settings(max_examples=150)
@given(st.text(alphabet=" \t\n:-[]{},&*!|>'\"#%@?<~.0aZ\x00\u00e9", max_size=200))
def test_yaml_shaped_text_never_raises_anything_but_profile_error(text: str) -> None:
    try:
        load_yaml_document(text.encode(), LABEL)
    except ProfileError as error:
        assert error.problems

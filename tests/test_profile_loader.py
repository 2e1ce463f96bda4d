"""Loading profiles: every problem of a bad profile reported, located, in plain words.

The bad profiles live in `tests/profiles_bad/`, one mistake (or one family of them)
per file; each file says what is wrong in its opening comment and lists the problems
it must produce as `# expect: LINE:COL: text` lines.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import console
import console.profile_loader
from console import profile_catalog
from console.problems import ProfileError
from console.profile_catalog import (
    ProfileNotFound,
    list_shipped,
    resolve_profile,
    shipped_profiles_dir,
)
from console.profile_loader import (
    LoadedProfile,
    load_profile,
    load_profile_bytes,
    load_profile_text,
)
from tests.profile_fixtures import BAD_DIR, FAKE_KINDS, GOOD_PROFILE

_EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.*)$", re.MULTILINE)
_PYDANTIC_WORDS = ("Input should", "Extra inputs", "Field required", "Value error")


def load_good(**overrides: str) -> LoadedProfile:
    """The known-good profile, loaded against the fake source kinds."""
    return load_profile(GOOD_PROFILE, overrides, kinds=FAKE_KINDS)


def problems_of(path: Path, **overrides: str) -> list[tuple[int, int, str]]:
    """Line, column and message of each problem loading `path` reports."""
    with pytest.raises(ProfileError) as caught:
        load_profile(path, overrides, kinds=FAKE_KINDS)
    assert all(problem.path == str(path) for problem in caught.value.problems)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def bad_profiles() -> list[Path]:
    """Every file of the bad corpus."""
    return sorted(BAD_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", bad_profiles(), ids=lambda path: path.stem)
def test_each_bad_profile_reports_exactly_its_problems(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert text.startswith("# "), "each bad profile says what is wrong with it"
    expected = [(int(m[1]), int(m[2]), m[3]) for m in _EXPECT.finditer(text)]
    assert expected, "each bad profile lists the problems it must produce"
    found = problems_of(path)
    assert [(line, column) for line, column, _ in found] == [
        (line, column) for line, column, _ in expected
    ]
    for (_, _, message), (_, _, wanted) in zip(found, expected, strict=True):
        assert wanted in message


@pytest.mark.parametrize("path", bad_profiles(), ids=lambda path: path.stem)
def test_messages_are_plain_words_not_pydantic_jargon(path: Path) -> None:
    for _, _, message in problems_of(path):
        assert not any(word in message for word in _PYDANTIC_WORDS), message


def test_several_problems_in_one_file_are_all_reported() -> None:
    found = problems_of(BAD_DIR / "many_problems.yaml")
    messages = " | ".join(message for _, _, message in found)
    for fragment in (
        "unknown key 'refresh_rate'",
        "unknown source type 'nosuch'",
        "undefined variable ${team}",
        "duplicate key 'title'",
        "thresholds are inverted",
        "panel 'two' overlaps panel 'one'",
        "drill link to unknown dashboard 'nowhere'",
    ):
        assert fragment in messages


def test_the_good_profile_loads_with_variables_substituted() -> None:
    loaded = load_good()
    profile = loaded.profile
    assert profile.title == "Minimal: checkout"
    assert profile.dashboards[0].title == "checkout overview"
    errors = profile.dashboards[0].panels[0]
    assert errors.query is not None
    assert errors.query.params() == {"metric": "checkout.errors", "scale": 2}
    assert errors.drill is not None
    assert errors.drill.with_ == {"service": "payments"}
    assert profile.sources["fake"].options() == {"seed": 3, "region": "us-east-1"}
    assert profile.dashboards[1].panels[0].text == "Costs ${dollars}, literally."
    assert loaded.variables == {"service": "checkout", "region": "us-east-1"}


def test_the_loaded_profile_keeps_the_raw_tree_its_positions_and_hash() -> None:
    loaded = load_good()
    assert loaded.path == GOOD_PROFILE
    assert loaded.raw["title"] == "Minimal: ${service}"
    assert loaded.positions.locate(("dashboards", 1, "id")) == (35, 9)
    digest = hashlib.sha256(GOOD_PROFILE.read_bytes()).hexdigest()
    assert loaded.content_hash == digest


def test_overrides_set_variables_at_load() -> None:
    loaded = load_good(service="payments")
    assert loaded.profile.title == "Minimal: payments"
    assert loaded.variables["service"] == "payments"


def test_a_bad_override_is_a_problem_located_in_the_file() -> None:
    found = problems_of(GOOD_PROFILE, service="billing", colour="red")
    assert found == [
        (7, 1, "--var colour=red: the profile has no variable 'colour' "
               "(it declares: region, service)"),
        (10, 14, "--var service=billing: 'billing' is not one of the choices "
                "checkout, payments"),
    ]  # fmt: skip


def test_with_variables_re_resolves_without_reading_the_file(tmp_path: Path) -> None:
    path = tmp_path / "copy.yaml"
    path.write_bytes(GOOD_PROFILE.read_bytes())
    loaded = load_profile(path, kinds=FAKE_KINDS)
    path.unlink()
    drilled = loaded.with_variables({"service": "payments"})
    assert drilled.profile.title == "Minimal: payments"
    assert drilled.variables == {"service": "payments", "region": "us-east-1"}
    assert drilled.content_hash == loaded.content_hash
    assert drilled.raw is loaded.raw
    assert loaded.profile.title == "Minimal: checkout"


def test_with_variables_keeps_earlier_values_it_is_not_given() -> None:
    loaded = load_good().with_variables({"region": "eu-west-1"})
    again = loaded.with_variables({"service": "payments"})
    assert again.variables == {"service": "payments", "region": "eu-west-1"}


def test_with_variables_refuses_what_loading_would_refuse() -> None:
    loaded = load_good()
    with pytest.raises(ProfileError) as caught:
        loaded.with_variables({"service": "billing", "nope": "x"})
    messages = [problem.message for problem in caught.value.problems]
    assert len(messages) == 2
    assert "'billing' is not one of the choices" in messages[1]
    assert "no variable 'nope'" in messages[0]


def test_a_variable_value_that_breaks_the_schema_is_reported() -> None:
    text = GOOD_PROFILE.read_text().replace(
        "region: {default: us-east-1}", "region: {default: mars}"
    )
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, "mem.yaml", kinds=FAKE_KINDS)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (13, 42)
    assert problem.message.startswith("region must be one of")


def test_a_null_duration_is_a_problem_not_a_crash() -> None:
    text = GOOD_PROFILE.read_text().replace("refresh: fast", "refresh: null")
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, "mem.yaml", kinds=FAKE_KINDS)
    assert caught.value.problems


def test_a_newline_in_a_key_stays_on_one_line_of_output() -> None:
    text = GOOD_PROFILE.read_text().replace("roles:", '"ro\\nles": 1\nroles:')
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, "mem.yaml", kinds=FAKE_KINDS)
    [problem] = caught.value.problems
    assert problem.message == "unknown key 'ro\\nles'; did you mean 'roles'?"


def test_load_profile_text_names_its_label() -> None:
    loaded = load_profile_text(GOOD_PROFILE.read_text(), "mem.yaml", kinds=FAKE_KINDS)
    assert loaded.path == Path("mem.yaml")
    with pytest.raises(ProfileError) as caught:
        load_profile_text("a: [", "mem.yaml", kinds=FAKE_KINDS)
    assert caught.value.problems[0].path == "mem.yaml"


def test_source_kinds_default_to_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console.profile_loader, "source_kinds", lambda: FAKE_KINDS)
    assert load_profile(GOOD_PROFILE).profile.profile == "minimal"


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "absent.yaml") == [(1, 1, "no such file")]


def test_a_directory_is_a_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [(1, 1, "this is a directory, not a profile file")]


def test_a_binary_file_is_not_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"profile: x\n" + bytes(range(256)) * 4)
    [(line, column, message)] = problems_of(path)
    assert (line, column) == (2, 1)
    assert message == "the file is not UTF-8 text: it holds a NUL byte at byte 11"


def test_a_latin1_file_is_not_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("profile: x\ntitle: Café\n".encode("latin-1"))
    [(line, column, message)] = problems_of(path)
    assert (line, column) == (2, 11)
    assert message.startswith("the file is not UTF-8 text: byte 0xe9")


def test_a_five_megabyte_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"profile: x\ntitle: " + b"x" * (5 * 1024 * 1024) + b"\n")
    assert problems_of(path) == [
        (1, 1, "the file is larger than 2 MB, the most a profile may be")
    ]


def test_ten_thousand_nested_lists_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("profile: " + "[" * 10_000 + "]" * 10_000 + "\n")
    [(line, _, message)] = problems_of(path)
    assert line == 1
    assert message == "nesting is deeper than 50 levels"


def test_thousands_of_piled_panels_are_each_reported_once() -> None:
    panel = (
        "  - {id: p%d, title: P, type: text, text: t, at: {x: 0, y: 0, w: 12, h: 9}}"
    )
    text = "profile: pile\ntitle: Pile\ndashboards:\n- id: d\n  title: D\n  panels:\n"
    text += "\n".join(panel % index for index in range(1000)) + "\n"
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, "pile.yaml", kinds=FAKE_KINDS)
    assert len(caught.value.problems) == 999
    assert caught.value.problems[0].message == (
        "panel 'p1' overlaps panel 'p0' (line 7) on the grid"
    )


def _paths(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into `tree`, the root included."""
    yield path
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _paths(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _paths(value, (*path, index))


def _replace(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    """`tree` with the node at `path` replaced by `value`."""
    if not path:
        return value
    node = tree
    for segment in path[:-1]:
        node = node[segment]
    node[path[-1]] = value
    return tree


_GOOD_TREE = yaml.safe_load(GOOD_PROFILE.read_text())
_KEYS = st.sampled_from(
    ["id", "title", "type", "at", "x", "w", "query", "source", "metric", "drill",
     "with", "dashboard", "thresholds", "warning", "direction", "panels", "colour",
     "default", "choices", "seed", "region", "<<"]
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 14),
    st.floats(allow_nan=False, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["${service}", "$${x}", "${nope}", "${", "fake", "main", "30s"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_profiles_only_ever_raise_profile_error(data: st.DataObject) -> None:
    tree = copy.deepcopy(_GOOD_TREE)
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(list(_paths(tree))))
        tree = _replace(tree, path, data.draw(_VALUES))
    text = yaml.safe_dump(tree, sort_keys=False)
    try:
        load_profile_text(text, "mutated.yaml", kinds=FAKE_KINDS)
    except ProfileError as error:
        assert error.problems


@settings(max_examples=80)
@given(st.data())
def test_damaged_text_only_ever_raises_profile_error(data: st.DataObject) -> None:
    text = GOOD_PROFILE.read_text()
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 6))
        insert = data.draw(st.text(alphabet=" \t\n:-[]{},&*!|>'\"#$@?<", max_size=3))
        text = text[:at] + insert + text[at + cut :]
    try:
        load_profile_text(text, "damaged.yaml", kinds=FAKE_KINDS)
    except ProfileError as error:
        assert error.problems


@settings(max_examples=80)
@given(st.binary(max_size=200))
def test_random_bytes_only_ever_raise_profile_error(data: bytes) -> None:
    with pytest.raises(ProfileError):
        load_profile_bytes(data, "random.yaml", kinds=FAKE_KINDS)


def test_shipped_profiles_come_from_the_repository_when_run_from_source() -> None:
    directory = shipped_profiles_dir()
    assert directory == Path(console.__file__).parent.parent / "profiles"
    assert "demo" in list_shipped()


def test_an_installed_wheel_uses_its_own_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "console"
    (package / "shipped_profiles").mkdir(parents=True)
    (package / "shipped_profiles" / "ops.yaml").write_text("profile: ops\n")
    (tmp_path / "site-packages" / "profiles").mkdir()
    monkeypatch.setattr(console, "__file__", str(package / "__init__.py"))
    assert shipped_profiles_dir() == package / "shipped_profiles"
    assert list_shipped() == ["ops"]
    assert resolve_profile("ops") == package / "shipped_profiles" / "ops.yaml"


def test_no_profile_named_means_the_demo() -> None:
    assert resolve_profile(None) == shipped_profiles_dir() / "demo.yaml"


def test_a_path_is_taken_as_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("profile: mine\n")
    assert resolve_profile(str(path)) == path


def test_a_bare_name_that_is_a_local_file_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local").write_text("profile: local\n")
    assert resolve_profile("local") == Path("local")


def test_an_unknown_name_lists_the_shipped_profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profile_catalog, "shipped_profiles_dir", lambda: tmp_path)
    (tmp_path / "ops.yaml").write_text("")
    (tmp_path / "exec.yml").write_text("")
    with pytest.raises(ProfileNotFound) as caught:
        resolve_profile("nosuch")
    assert str(caught.value) == (
        "no profile named 'nosuch' and no file 'nosuch'; shipped profiles: exec, ops"
    )
    with pytest.raises(ProfileNotFound, match=r"no profile file at nowhere/x\.yaml"):
        resolve_profile("nowhere/x.yaml")

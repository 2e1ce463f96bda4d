"""`extends:`: a user's profile built on a shipped one, overriding and adding panels
without copying it; loops, missing bases and problems on either side located."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.problems import ProfileError
from console.profile_catalog import resolve_profile, shipped_profiles_dir
from console.profile_loader import load_profile

USER_OPERATIONS = """\
extends: operations
title: My operations
variables:
  workload: {default: billing}
dashboards:
  - id: ops
    refresh: 10s
    panels:
      - id: error-rate
        thresholds: {warning: 1, critical: 3}
      - id: my-queue
        title: Queue depth
        type: line_chart
        at: {x: 0, y: 46, w: 12, h: 8}
        query: {source: shop, metric: queue, shape: wave}
  - id: mine
    title: Only mine
    panels:
      - id: note
        title: Note
        type: text
        text: hello
        at: {x: 0, y: 0, w: 12, h: 4}
"""


@pytest.fixture
def user_profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    directory = tmp_path / "config" / "watchdeck" / "profiles"
    directory.mkdir(parents=True)
    return directory


def problems(path: Path) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_user_profile_extends_the_shipped_one_of_the_same_name(
    user_profiles: Path,
) -> None:
    mine = user_profiles / "operations.yaml"
    mine.write_text(USER_OPERATIONS)
    assert resolve_profile("operations") == mine, "the user's own comes first"
    loaded = load_profile(mine)
    shipped = load_profile(shipped_profiles_dir() / "operations.yaml").profile
    profile = loaded.profile
    assert profile.profile == "operations" and profile.title == "My operations"
    assert loaded.variables["workload"] == "billing"
    assert [d.id for d in profile.dashboards] == [
        *(d.id for d in shipped.dashboards),
        "mine",
    ]
    ops = profile.dashboard("ops")
    base_ops = shipped.dashboard("ops")
    assert ops is not None and base_ops is not None
    assert ops.refresh == 10.0 and base_ops.refresh != 10.0
    assert [p.id for p in ops.panels] == [*(p.id for p in base_ops.panels), "my-queue"]
    error_rate = next(p for p in ops.panels if p.id == "error-rate")
    assert error_rate.thresholds is not None
    assert (error_rate.thresholds.warning, error_rate.thresholds.critical) == (1, 3)
    assert error_rate.title == next(
        p.title for p in base_ops.panels if p.id == "error-rate"
    ), "keys the user did not name are kept"
    assert "billing" in ops.title, "the base's ${workload} takes the user's value"


def test_changing_the_base_changes_the_content_hash(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text((shipped_profiles_dir() / "operations.yaml").read_text())
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\ntitle: Child\n")
    before = load_profile(child).content_hash
    base.write_text(base.read_text().replace("title: Operations", "title: Ops 2"))
    assert load_profile(child).content_hash != before


def test_circular_extends_is_refused_where_the_loop_closes(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("title: A\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\ntitle: B\n")
    assert problems(tmp_path / "a.yaml") == [
        f"{tmp_path / 'b.yaml'}:1:10: circular extends: a.yaml → b.yaml → a.yaml"
    ]


def test_a_profile_extending_itself_is_circular(tmp_path: Path) -> None:
    (tmp_path / "self.yaml").write_text("extends: ./self.yaml\n")
    (problem,) = problems(tmp_path / "self.yaml")
    assert problem.endswith("self.yaml:1:10: circular extends: self.yaml → self.yaml")


def test_a_missing_base_is_located(user_profiles: Path) -> None:
    mine = user_profiles / "mine.yaml"
    mine.write_text("title: Mine\nextends: no-such-profile\n")
    assert problems(mine) == [
        f"{mine}:2:10: extends 'no-such-profile': no profile of that name and no "
        "such file"
    ]


def test_a_problem_in_an_override_is_located_in_the_extending_file(
    user_profiles: Path,
) -> None:
    mine = user_profiles / "operations.yaml"
    mine.write_text(
        USER_OPERATIONS.replace(
            "thresholds: {warning: 1, critical: 3}",
            "thresholds: {warning: 9, critical: 3}",
        ).replace("at: {x: 0, y: 46, w: 12, h: 8}", "at: {x: 6, y: 46, w: 12, h: 8}")
    )
    found = problems(mine)
    assert len(found) == 2, found
    inverted, off_grid = found
    assert inverted.startswith(f"{mine}:10:21: ") and "inverted" in inverted
    assert off_grid.startswith(f"{mine}:14:") and "runs off" in off_grid


def test_a_problem_inside_the_base_is_reported_in_the_base(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(
        (shipped_profiles_dir() / "operations.yaml")
        .read_text()
        .replace("type: testdata", "type: no-such-type", 1)
    )
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\n")
    (problem,) = problems(child)
    assert problem.startswith(f"{base}:31:11: unknown source type 'no-such-type'")

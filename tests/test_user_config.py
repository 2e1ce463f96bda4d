"""The user's config file: defaults when absent, every problem located, roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.problems import ProfileError
from console.profile_loader import load_profile_text
from console.roles import UnknownRole, resolve_role, visible_dashboards
from console.user_config import DynamoDbStore, UserConfig, load_user_config


def test_a_missing_or_comment_only_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_user_config(tmp_path / "absent.yaml") == UserConfig()
    blank = tmp_path / "config.yaml"
    blank.write_text("# nothing yet\n\n")
    config = load_user_config(blank)
    assert not config.read_only and not config.allow_commands
    assert config.usage.record and config.store.type == "sqlite"


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "store: {type: dynamodb, table: team-views, region: eu-west-1,\n"
        "        endpoint_url: 'http://127.0.0.1:5000'}\n"
        "read_only: true\nallow_commands: true\nusage: {record: false}\n"
        "roles:\n  users: {ana: executives}\n  groups: {sre: engineers}\n"
        "default_role: operators\n"
    )
    config = load_user_config(path)
    assert isinstance(config.store, DynamoDbStore)
    assert config.store.table == "team-views"
    assert config.read_only and config.allow_commands and not config.usage.record
    assert config.roles.users == {"ana": "executives"}
    assert config.default_role == "operators"


def test_problems_are_located_and_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "read_only: true\nreadonly: true\nstore: {type: dynamodb}\n"
        "roles:\n  users: {ana: wizards}\n"
    )
    with pytest.raises(ProfileError) as raised:
        load_user_config(path)
    text = str(raised.value)
    assert f"{path}:2:1: unknown key 'readonly'; did you mean 'read_only'?" in text
    assert f"{path}:3:" in text and "missing required key 'table'" in text
    assert f"{path}:5:" in text and "wizards" in text


def test_a_broken_file_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("store: [unclosed\n")
    with pytest.raises(ProfileError) as raised:
        load_user_config(path)
    assert str(raised.value).startswith(f"{path}:")


def test_the_role_comes_from_flag_user_group_then_default() -> None:
    config = UserConfig.model_validate(
        {
            "roles": {
                "users": {"ana": "executives"},
                "groups": {"dev": "engineers", "sre": "operators"},
            },
            "default_role": "business_owners",
        }
    )

    def role(user: str, groups: list[str], explicit: str | None = None) -> object:
        return resolve_role(config, explicit=explicit, user=user, groups=groups)

    assert role("ana", ["sre"], explicit="incident_responders") == (
        "incident_responders"
    )
    assert role("ana", ["sre"]) == "executives"
    assert role("bo", ["sre", "dev"]) == "engineers", "the config's order decides"
    assert role("bo", ["staff"]) == "business_owners"
    assert resolve_role(UserConfig(), explicit=None, user="bo", groups=[]) is None
    with pytest.raises(UnknownRole, match="no role 'wizard'"):
        role("bo", [], explicit="wizard")


ROLE_PROFILE = """
profile: split
title: Split
sources:
  s: {type: testdata, seed: 1}
dashboards:
  - id: everyone
    title: Everyone
    panels:
      - {id: a, title: A, type: line_chart, at: {x: 0, y: 0, w: 6, h: 6},
         query: {source: s, metric: requests}}
  - id: money
    title: Money
    roles: [executives, business_owners]
    panels:
      - {id: b, title: B, type: line_chart, at: {x: 0, y: 0, w: 6, h: 6},
         query: {source: s, metric: requests}}
  - id: wires
    title: Wires
    roles: [engineers]
    panels:
      - {id: c, title: C, type: line_chart, at: {x: 0, y: 0, w: 6, h: 6},
         query: {source: s, metric: requests}}
"""


def test_a_role_sees_only_its_dashboards() -> None:
    profile = load_profile_text(ROLE_PROFILE, "split.yaml").profile
    ids = {
        role: [d.id for d in visible_dashboards(profile, role)]
        for role in (None, "executives", "engineers", "operators")
    }
    assert ids == {
        None: ["everyone", "money", "wires"],
        "executives": ["everyone", "money"],
        "engineers": ["everyone", "wires"],
        "operators": ["everyone"],
    }

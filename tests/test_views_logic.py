"""Revisions, diff, restore, export and import of views, and tokens."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from console.navigation_state import NavigationState
from console.problems import ProfileError
from console.profile_loader import load_profile_text
from console.storage.interface import StorageError
from console.storage.sqlite_store import SqliteStateStore
from console.view_state import DrillStep, ViewState, profile_changed
from console.views_diff import diff_revisions
from console.views_history import restore_revision
from console.views_token import TokenError, decode_token, encode_token
from console.views_transfer import (
    export_view,
    import_view,
    read_export,
    write_private_file,
)

T0 = 1_800_000_000.0


def _state(**changes: object) -> dict[str, object]:
    base = ViewState(profile="demo", dashboard="service", variables={"service": "a"})
    return base.model_copy(update=changes).to_json()


def _store_with_history(tmp_path: Path) -> SqliteStateStore:
    store = SqliteStateStore(tmp_path / "state.db")
    for n, state in enumerate(
        [
            _state(),
            _state(dashboard="latency", variables={"service": "payments"}),
            _state(dashboard="latency", focused_panel="by-endpoint", range=900.0),
        ],
        start=1,
    ):
        store.save_view(
            "triage", state, profile_hash=f"h{n}", user="ana", host="b1", at=T0 + n
        )
    return store


def test_diff_shows_each_changed_field_once_each_way(tmp_path: Path) -> None:
    store = _store_with_history(tmp_path)
    one, _two, three = store.view_history("triage")
    lines = diff_revisions(one, three)
    assert lines[0].startswith("--- triage r1 (ana@b1,")
    assert lines[1].startswith("+++ triage r3 (ana@b1,")
    assert "! profile content changed: h1 -> h3" in lines
    body = lines[3:]
    assert body == [
        '- dashboard: "service"',
        '+ dashboard: "latency"',
        "- range: null",
        "+ range: 900.0",
        "- focused_panel: null",
        '+ focused_panel: "by-endpoint"',
    ]
    same = diff_revisions(one, one)
    assert same[-1] == "  (the two states are the same)"


def test_restore_adds_the_old_state_as_the_newest_revision(tmp_path: Path) -> None:
    store = _store_with_history(tmp_path)
    saved = restore_revision(store, "triage", 1, at=T0 + 10)
    assert saved.revision.revision == 4
    assert saved.revision.state == store.view("triage", 1).state  # type: ignore[union-attr]
    assert saved.revision.note == "restored from revision 1"
    assert saved.conflict is None
    assert len(store.view_history("triage")) == 4, "nothing was removed"
    with pytest.raises(StorageError, match="revisions 1 to 4, not 9"):
        restore_revision(store, "triage", 9, at=T0)
    with pytest.raises(StorageError, match="no view named 'nope'"):
        restore_revision(store, "nope", 1, at=T0)


def test_export_then_import_elsewhere_keeps_the_whole_history(tmp_path: Path) -> None:
    store = _store_with_history(tmp_path)
    target = tmp_path / "out" / "triage.yaml"
    target.parent.mkdir()
    write_private_file(target, export_view(store.view_history("triage")))
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["triage.yaml"]
    other = SqliteStateStore(tmp_path / "other.db")
    saved = import_view(other, read_export(target))
    assert [s.revision.revision for s in saved] == [1, 2, 3]
    for mine, theirs in zip(
        store.view_history("triage"), other.view_history("triage"), strict=True
    ):
        assert mine.state == theirs.state
        assert (mine.saved_by, mine.saved_at) == (theirs.saved_by, theirs.saved_at)
        assert mine.profile_hash == theirs.profile_hash
    assert other.view("triage", 3).note == "imported (was r3)"  # type: ignore[union-attr]


def test_an_export_holds_no_secret_of_the_profile(tmp_path: Path) -> None:
    canary = "CANARY-s3cr3t-7f1d"
    loaded = load_profile_text(
        f"""
profile: secretive
title: Secretive
sources:
  api:
    type: http
    base_url: http://127.0.0.1:9/{canary}
    headers: {{X-Team-Key: "{canary}"}}
dashboards:
  - id: d
    title: D
    panels:
      - {{id: p, title: P, type: single_value, at: {{x: 0, y: 0, w: 4, h: 4}},
         query: {{source: api, path: x}}}}
""",
        "secretive.yaml",
    )
    assert canary in repr(loaded.profile), "the profile does hold the canary"
    from screens.view_actions import capture_view  # noqa: PLC0415

    class _Stub:
        screen = None
        focused = None

    stub = _Stub()
    stub.loaded = loaded  # type: ignore[attr-defined]
    stub.visible_dashboards = lambda: loaded.profile.dashboards  # type: ignore[attr-defined]
    stub.navigator = SimpleNamespace(state=NavigationState())  # type: ignore[attr-defined]
    state = capture_view(stub)  # type: ignore[arg-type]
    store = SqliteStateStore(tmp_path / "state.db")
    store.save_view("s", state.to_json(), profile_hash="h", user="u", host="h", at=T0)
    text = export_view(store.view_history("s"))
    assert canary not in text and "X-Team-Key" not in text
    assert canary not in encode_token(state, "h")
    assert canary.encode() not in (tmp_path / "state.db").read_bytes()


def test_a_bad_import_file_is_refused_with_located_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "watchdeck_view: 1\nname: x\nrevisions:\n"
        "  - revision: 1\n    saved_at: 5\n    saved_by: ana\n    host: h\n"
        "    state: {profile: demo, dashbord: service}\n"
    )
    with pytest.raises(ProfileError) as raised:
        read_export(bad)
    text = str(raised.value)
    assert f"{bad}:8:" in text and "unknown key 'dashbord'" in text
    assert "missing required key 'dashboard'" in text
    not_yaml = tmp_path / "junk.yaml"
    not_yaml.write_bytes(b"\xff\xfe")
    with pytest.raises(ProfileError, match=f"{not_yaml}:1:"):
        read_export(not_yaml)


def test_a_token_round_trips_every_field() -> None:
    state = ViewState(
        profile="demo",
        profile_path="demo",
        dashboard="latency",
        variables={"service": "payments"},
        focused_panel="by-endpoint",
        range=10800.0,
        range_end=T0,
        filter="latency",
        drill_path=[DrillStep(dashboard="service", variables={"service": "a"})],
    )
    token = encode_token(state, "ab" * 32)
    assert token.startswith("wd1.") and len(token) < 400
    decoded = decode_token(f"  {token[:40]}\n{token[40:]} ")
    assert decoded.state == state
    assert decoded.profile_hash == "ab" * 8
    assert not profile_changed(decoded.profile_hash, "ab" * 32)
    assert profile_changed(decoded.profile_hash, "cd" * 32)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("hello", "not a watchdeck view token"),
        ("wd9.abc", "layout 'wd9'"),
        ("wd1.!!!!", "characters a token never holds"),
        ("wd1.AAAA", "cut short"),
    ],
)
def test_a_bad_token_says_what_is_wrong(token: str, reason: str) -> None:
    with pytest.raises(TokenError, match=reason):
        decode_token(token)


def test_an_altered_token_fails_its_checksum() -> None:
    token = encode_token(ViewState(profile="demo", dashboard="host"), "h")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(TokenError, match="checksum"):
        decode_token(flipped)

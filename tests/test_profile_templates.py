"""`watchdeck new`: every template on every source lints; files are written whole,
private, and never over an existing one without --force."""

from __future__ import annotations

import io
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from console.cli import build_parser
from console.profile_catalog import resolve_profile
from console.profile_loader import load_profile, load_profile_text
from console.profile_templates import (
    SOURCE_CHOICES,
    SOURCE_TYPES,
    TEMPLATE_KINDS,
    SourceChoice,
    TemplateKind,
    render_template,
)
from console.sources.registry import source_kinds

WATCHDECK = str(Path(sys.executable).parent / "watchdeck")


def new(*args: str) -> tuple[int, str, str]:
    parser, _ = build_parser()
    options = parser.parse_args(["new", *args])
    out, err = io.StringIO(), io.StringIO()
    status: int = options.handler(options, out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


@pytest.mark.parametrize("source", SOURCE_CHOICES)
@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_template_on_every_source_lints(
    kind: TemplateKind, source: SourceChoice
) -> None:
    if SOURCE_TYPES[source] not in source_kinds():
        pytest.skip(f"this build has no {SOURCE_TYPES[source]} source to lint against")
    text = render_template(kind, "Checkout API", source)
    loaded = load_profile_text(text, f"{kind}-{source}.yaml")
    profile = loaded.profile
    assert profile.profile == f"checkout-api-{kind}"
    assert profile.variables["workload"].default == "Checkout API"
    (dashboard,) = profile.dashboards
    assert dashboard.kind == kind
    assert dashboard.title == f"Checkout API: {kind}"
    assert len(dashboard.panels) >= 4
    assert {spec.type for spec in profile.sources.values()} == {SOURCE_TYPES[source]}


def test_new_writes_into_the_user_profiles_and_run_finds_it_by_name(
    private_config: Path,
) -> None:
    status, out, err = new("--template", "operational", "--workload", "shop")
    assert (status, err) == (0, "")
    written = private_config / "watchdeck" / "profiles" / "shop-operational.yaml"
    assert f"wrote {written}" in out
    assert "watchdeck --profile shop-operational" in out
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    assert resolve_profile("shop-operational") == written
    assert load_profile(written).profile.title == "Operational"


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("keep me\n")
    status, _, err = new(
        "--template", "incident", "--workload", "shop", "-o", str(target)
    )
    assert status == 1
    assert err == f"watchdeck new: {target} exists; --force replaces it\n"
    assert target.read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"], "no temp left"
    status, _, _ = new(
        "--template", "incident", "--workload", "shop", "-o", str(target), "--force"
    )
    assert status == 0
    assert load_profile(target).profile.profile == "shop-incident"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_new_to_standard_output_writes_no_file(private_config: Path) -> None:
    status, out, _ = new(
        "--template", "business", "--workload", "shop", "--source", "prometheus",
        "-o", "-",
    )  # fmt: skip
    assert status == 0
    assert out.startswith("# A business profile for shop")
    assert "type: prometheus" in out
    assert not private_config.exists()


def test_new_explains_a_workload_that_cannot_name_a_profile() -> None:
    status, _, err = new("--template", "business", "--workload", "!!!", "-o", "-")
    assert status == 2
    assert "needs at least one letter or digit" in err


def test_new_into_a_missing_directory_says_so(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "p.yaml"
    status, _, err = new(
        "--template", "technical", "--workload", "a", "-o", str(target)
    )
    assert status == 1
    assert err == f"watchdeck new: cannot write {target}: no such directory\n"


def test_the_real_command_rejects_an_unknown_template_without_a_traceback() -> None:
    done = subprocess.run(
        [WATCHDECK, "new", "--template", "sales", "--workload", "x"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "invalid choice: 'sales'" in done.stderr
    assert "Traceback" not in done.stderr

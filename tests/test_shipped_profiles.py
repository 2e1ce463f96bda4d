"""The profiles that ship in profiles/: they load, they fit their role, their drill
links lead somewhere, their grids are full, and every dashboard draws legibly.

The five role profiles describe one synthetic workload, `ecommerce-platform`. The
render test is marked slow: it opens every dashboard headless at 160x48, waits for
its data, and reads the picture as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from console.problems import ProfileError
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import LoadedProfile, load_profile
from console.profile_schema import GRID_COLUMNS, DashboardKind, PanelType
from screens.snapshot import render_snapshot

PROFILES_DIR = shipped_profiles_dir()
PROFILE_PATHS = sorted(PROFILES_DIR.glob("*.yaml"))

ROLE_KINDS: dict[str, DashboardKind] = {
    "executive": "executive",
    "operations": "operational",
    "engineering": "technical",
    "incident": "incident",
    "business": "business",
}
"""Each role profile and the kind of the dashboard it opens on."""

ALL_PANEL_TYPES: set[PanelType] = set(get_args(PanelType))

WORKLOAD = "ecommerce-platform"


def _load(path: Path) -> LoadedProfile:
    return load_profile(path)


SELF_CONTAINED = {"testdata", "host"}
"""Source types that need no server, so their dashboards render anywhere."""


def _dashboards() -> list[tuple[str, str]]:
    """(profile file stem, dashboard id) for every dashboard of every profile that
    loads; one that does not is reported by the loading test, not at collection."""
    found: list[tuple[str, str]] = []
    for path in PROFILE_PATHS:
        try:
            profile = _load(path).profile
        except ProfileError:
            continue
        kinds = {spec.type for spec in profile.sources.values()}
        if not kinds <= SELF_CONTAINED:
            # Profiles of real servers are rendered against them by their own
            # integration tests.
            continue
        found.extend((path.stem, dashboard.id) for dashboard in profile.dashboards)
    return found


def test_every_role_profile_ships() -> None:
    assert set(ROLE_KINDS) <= {path.stem for path in PROFILE_PATHS}


@pytest.mark.parametrize("path", PROFILE_PATHS, ids=lambda path: path.stem)
def test_profile_loads_without_problems(path: Path) -> None:
    # load_profile raises ProfileError listing every problem, so loading is the test.
    loaded = _load(path)
    assert loaded.profile.profile == path.stem


@pytest.mark.parametrize("name", sorted(ROLE_KINDS))
def test_role_profile_opens_on_its_kind_and_declares_workload(name: str) -> None:
    profile = _load(PROFILES_DIR / f"{name}.yaml").profile
    assert profile.dashboards[0].kind == ROLE_KINDS[name]
    assert "workload" in profile.variables
    assert profile.variables["workload"].default == WORKLOAD
    assert profile.roles, "a role profile says who it is for"
    for dashboard in profile.dashboards:
        assert dashboard.owner, f"{dashboard.id} has no owner"
        assert dashboard.description, f"{dashboard.id} has no description"
    assert any(WORKLOAD in dashboard.title for dashboard in profile.dashboards)


@pytest.mark.parametrize("name", sorted(ROLE_KINDS))
def test_role_profile_says_its_data_is_synthetic(name: str) -> None:
    header = (PROFILES_DIR / f"{name}.yaml").read_text().split("\nprofile:")[0]
    assert "SYNTHETIC" in header
    assert "CloudWatch" in header and "Prometheus" in header


def test_role_profiles_use_every_panel_type() -> None:
    used = {
        panel.type
        for name in ROLE_KINDS
        for dashboard in _load(PROFILES_DIR / f"{name}.yaml").profile.dashboards
        for panel in dashboard.panels
    }
    assert used == ALL_PANEL_TYPES


@pytest.mark.parametrize("path", PROFILE_PATHS, ids=lambda path: path.stem)
def test_every_drill_link_resolves(path: Path) -> None:
    loaded = _load(path)
    for dashboard in loaded.profile.dashboards:
        for panel in dashboard.panels:
            link = panel.drill
            if link is None:
                continue
            where = f"{dashboard.id}/{panel.id}"
            assert link.dashboard != dashboard.id, f"{where} links to itself"
            # Setting the link's variables re-validates the whole profile; a value
            # outside a variable's choices raises ProfileError.
            followed = loaded.with_variables(link.with_)
            assert followed.profile.dashboard(link.dashboard) is not None, where


@pytest.mark.parametrize("path", PROFILE_PATHS, ids=lambda path: path.stem)
def test_every_grid_is_full(path: Path) -> None:
    """Panels tile their dashboard's grid: no cell left empty (the loader already
    refuses overlaps), so the rectangle adds up to 12 columns by the height."""
    for dashboard in _load(path).profile.dashboards:
        height = max(panel.at.y + panel.at.h for panel in dashboard.panels)
        area = sum(panel.at.w * panel.at.h for panel in dashboard.panels)
        assert area == GRID_COLUMNS * height, f"{dashboard.id} leaves gaps"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "dashboard_id"),
    _dashboards(),
)
def test_dashboard_renders_legibly_at_160x48(name: str, dashboard_id: str) -> None:
    loaded = _load(PROFILES_DIR / f"{name}.yaml")
    picture = render_snapshot(
        loaded, dashboard_id=dashboard_id, size=(160, 48), image=False, wait=10
    )
    assert "too small" not in picture
    assert "ERROR" not in picture
    assert "NO DATA" not in picture

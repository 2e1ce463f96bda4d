"""The generated scale profiles load cleanly and hold what was asked for."""

from __future__ import annotations

import pytest

from bench.scale_profile import make_profile
from console.profile_loader import load_profile_text
from console.profile_schema import GRID_COLUMNS, Dashboard
from console.sources.testdata_params import TestdataParams


def _series_drawn(dashboard: Dashboard) -> int:
    total = 0
    for panel in dashboard.panels:
        for query in panel.all_queries():
            params = TestdataParams.model_validate(query.params())
            if params.table is None:
                total += len(params.series_names())
    return total


@pytest.mark.parametrize(("panels", "series"), [(10, 250), (50, 1250), (200, 5000)])
def test_generated_profile_loads_with_the_counts(panels: int, series: int) -> None:
    loaded = load_profile_text(make_profile(panels, series), "generated.yaml")
    (dashboard,) = loaded.profile.dashboards
    assert len(dashboard.panels) == panels
    assert _series_drawn(dashboard) == series
    assert dashboard.refresh == 5.0


def test_generated_panels_mix_types_and_stay_on_the_grid() -> None:
    (dashboard,) = load_profile_text(make_profile(40, 900), "g.yaml").profile.dashboards
    types = {panel.type for panel in dashboard.panels}
    assert types == {
        "line_chart",
        "single_value",
        "gauge",
        "bar_chart",
        "table",
        "status_board",
    }
    cells: set[tuple[int, int]] = set()
    for panel in dashboard.panels:
        at = panel.at
        assert at.x + at.w <= GRID_COLUMNS
        mine = {
            (x, y) for x in range(at.x, at.x + at.w) for y in range(at.y, at.y + at.h)
        }
        assert not cells & mine
        cells |= mine


def test_too_few_series_for_the_panels_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        make_profile(20, 10)

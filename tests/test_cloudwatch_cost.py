"""The CloudWatch cost estimate, and where the console shows it."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from console.clock import ManualClock
from console.cloudwatch_cost import dashboard_cost
from console.profile_loader import LoadedProfile, load_profile_text
from console.session import Session
from screens.app import WatchdeckApp
from screens.drilldown import DrillDownScreen
from widgets.status_header import StatusHeader

PROFILE = """
profile: costly
title: Costly
sources:
  aws: {type: cloudwatch, region: us-east-1}
  shop: {type: testdata, seed: 1}
dashboards:
  - id: main
    title: Main
    refresh: 10s
    panels:
      - id: cpu
        title: CPU
        type: line_chart
        at: {x: 0, y: 0, w: 6, h: 6}
        query: {source: aws, namespace: AWS/EC2, metric: CPUUtilization}
      - id: cpu-again
        title: CPU again
        type: single_value
        at: {x: 6, y: 0, w: 6, h: 6}
        query: {source: aws, namespace: AWS/EC2, metric: CPUUtilization}
      - id: ratio
        title: Error ratio
        type: line_chart
        refresh: 1s
        at: {x: 0, y: 6, w: 6, h: 6}
        query:
          source: aws
          expression: "100 * e / r"
          period: 10
          metrics:
            - {id: e, namespace: AWS/ELB, metric: HTTPCode_ELB_5XX, stat: Sum}
            - {id: r, namespace: AWS/ELB, metric: RequestCount, stat: Sum}
      - id: synthetic
        title: Synthetic
        type: line_chart
        at: {x: 6, y: 6, w: 6, h: 6}
        query: {source: shop, metric: latency, shape: latency}
"""


@pytest.fixture
def loaded() -> LoadedProfile:
    return load_profile_text(PROFILE, "costly.yaml")


def test_cost_follows_the_pollers_rules(loaded: LoadedProfile) -> None:
    session = Session(loaded.profile, ManualClock(0.0))
    cost = dashboard_cost(session, loaded.profile.dashboards[0])
    assert cost is not None
    # CPU: two panels merge into one query, 10 s refresh held to its 60 s period:
    # 60 metrics an hour. The ratio: period 10 s, two billed inputs, 720 calls.
    assert cost.queries == 2
    assert cost.metrics_per_hour == pytest.approx(60 + 2 * 360)
    assert cost.calls_per_hour == pytest.approx(60 + 360)
    assert cost.dollars_per_hour == pytest.approx(780 * 0.01 / 1000)
    assert cost.short() == "CloudWatch 780 metrics/h $0.0078/h"


def test_no_cloudwatch_no_cost(demo_profile: LoadedProfile) -> None:
    session = Session(demo_profile.profile, ManualClock(0.0))
    assert dashboard_cost(session, demo_profile.profile.dashboards[0]) is None


async def test_header_and_drill_down_show_the_cost(loaded: LoadedProfile) -> None:
    app = WatchdeckApp(loaded, clock=ManualClock(1_700_000_000.0), poll=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(StatusHeader)
        assert header.cost == "CloudWatch 780 metrics/h $0.0078/h"
        await pilot.press("enter")
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, DrillDownScreen)
        details = str(screen.query_one("#details Static", Static).render())
        assert "CloudWatch cost of this dashboard: 780 metrics requested per hour" in (
            details
        )
        assert "of which this panel: 60 metrics requested per hour" in details

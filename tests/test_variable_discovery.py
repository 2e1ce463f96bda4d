"""Variables whose values come from their source: the `discover:` block, checked by
the loader, and Prometheus label values asked of a real Prometheus on loopback."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.widgets import Input, Label, OptionList

from console.clock import ManualClock, SystemClock
from console.problems import ProfileError
from console.profile_loader import load_profile_text
from console.sources.base import SourceError
from console.sources.prometheus import KIND, PrometheusOptions, PrometheusSource
from console.sources.testdata import KIND as TESTDATA
from console.sources.testdata import TestdataOptions
from console.sources.value_discovery import discover_values
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from tests.server_prometheus import MonitoringServers, closed_port, shared_servers

WAIT_FOR_DATA = 20.0
"""Seconds a test waits for Prometheus to have scraped its first targets."""


def profile_text(discover: str, url: str = "http://127.0.0.1:9") -> str:
    return f"""\
profile: disco
title: Discovery
variables:
  job:
    default: prometheus
    discover: {discover}
sources:
  prom: {{type: prometheus, url: "{url}"}}
  shop: {{type: testdata}}
dashboards:
  - id: main
    title: "${{job}}"
    panels:
      - id: up
        title: Up
        type: line_chart
        at: {{x: 0, y: 0, w: 12, h: 8}}
        query: {{source: prom, promql: 'up{{job="${{job}}"}}'}}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, "disco.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_a_discover_block_loads_and_keeps_its_parameters() -> None:
    loaded = load_profile_text(
        profile_text("{source: prom, label: job, match: up}"), "disco.yaml"
    )
    discover = loaded.profile.variables["job"].discover
    assert discover is not None
    assert discover.source == "prom"
    assert discover.params() == {"label": "job", "match": "up"}


def test_discover_from_an_undeclared_source_is_located() -> None:
    (problem,) = problems(profile_text("{source: nowhere, label: job}"))
    assert problem.startswith("disco.yaml:6:")
    assert "'nowhere', which is not declared" in problem


def test_discover_from_a_source_that_cannot_list_values_says_so() -> None:
    (problem,) = problems(profile_text("{source: shop, label: job}"))
    assert problem.startswith("disco.yaml:6:")
    assert "cannot list values" in problem and "choices" in problem


def test_discover_with_a_bad_label_name_is_located() -> None:
    (problem,) = problems(profile_text("{source: prom, label: 'not a label'}"))
    assert problem.startswith("disco.yaml:6:")
    assert "is not a Prometheus label name" in problem


async def test_a_source_without_discovery_refuses_politely() -> None:
    source = TESTDATA.create("shop", TestdataOptions(), SystemClock())
    with pytest.raises(SourceError, match="cannot list variable values"):
        await discover_values(source, {"label": "job"})


@pytest.fixture(scope="module")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MonitoringServers:
    return shared_servers(request, tmp_path_factory)


def make_source(url: str) -> PrometheusSource:
    source = KIND.create("prom", PrometheusOptions(url=url), SystemClock())
    assert isinstance(source, PrometheusSource)
    return source


@pytest.mark.integration
async def test_prometheus_lists_the_values_of_a_label(
    servers: MonitoringServers,
) -> None:
    source = make_source(servers.prometheus_url)
    try:
        deadline = time.monotonic() + WAIT_FOR_DATA
        while "prometheus" not in (
            jobs := await discover_values(source, {"label": "job"})
        ):
            assert time.monotonic() < deadline, f"no job label yet: {jobs}"
            await asyncio.sleep(0.5)
        matched = await discover_values(
            source, {"label": "job", "match": 'up{job="prometheus"}'}
        )
        assert matched == ["prometheus"]
        nothing = await discover_values(
            source, {"label": "job", "match": 'up{job="no-such-job"}'}
        )
        assert nothing == []
    finally:
        await source.close()


@pytest.mark.integration
async def test_prometheus_refuses_a_bad_selector_in_its_own_words(
    servers: MonitoringServers,
) -> None:
    source = make_source(servers.prometheus_url)
    try:
        with pytest.raises(SourceError) as caught:
            await discover_values(source, {"label": "job", "match": "up{"})
        assert "\n" not in caught.value.reason
        assert "parse" in caught.value.reason or "bad" in caught.value.reason
    finally:
        await source.close()


@pytest.mark.integration
async def test_the_selector_offers_prometheus_label_values(
    servers: MonitoringServers,
) -> None:
    text = profile_text("{source: prom, label: job}", servers.prometheus_url)
    loaded = load_profile_text(
        text.replace("default: prometheus", "default: none"), "disco.yaml"
    )
    app = WatchdeckApp(loaded, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v", "enter")
        deadline = time.monotonic() + WAIT_FOR_DATA
        while True:
            await pilot.pause(0.1)
            options = app.screen.query_one(OptionList)
            ids = [
                options.get_option_at_index(i).id for i in range(options.option_count)
            ]
            if "prometheus" in ids:
                break
            assert time.monotonic() < deadline, f"no values offered: {ids}"
        options.highlighted = ids.index("prometheus")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.loaded.variables["job"] == "prometheus"
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.title == "prometheus"


@pytest.mark.integration
async def test_the_selector_shows_why_a_source_could_not_list(
    frozen_clock: ManualClock,
) -> None:
    # Nothing listens on the closed port: discovery fails, and the selector says so
    # and offers a field to type the value instead.
    url = f"http://127.0.0.1:{closed_port()}"
    loaded = load_profile_text(
        profile_text("{source: prom, label: job}", url), "disco.yaml"
    )
    app = WatchdeckApp(loaded, clock=frozen_clock, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v", "enter")
        deadline = time.monotonic() + WAIT_FOR_DATA
        title = app.screen.query_one("#title", Label)
        while "cannot list values" not in str(title.content):
            assert time.monotonic() < deadline, str(title.content)
            await pilot.pause(0.1)
        assert app.screen.query_one(Input).has_focus

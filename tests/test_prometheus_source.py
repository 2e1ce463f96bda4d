"""The Prometheus source against a real Prometheus on loopback, and against small
misbehaving servers for every way a request can fail.

Prometheus scrapes itself every second (see `tests.server_prometheus`), so `up`,
`prometheus_build_info` and `prometheus_http_requests_total` have samples within a
second or two of the session's start.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import math
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from pydantic import ValidationError

from console.clock import SystemClock
from console.poller import Demand, Poller
from console.results import FetchBatch, FetchRequest, SeriesResult, TableResult
from console.sources.base import SourceError
from console.sources.prometheus import (
    KIND,
    MAX_POINTS,
    PrometheusOptions,
    PrometheusSource,
    range_window,
)
from console.sources.prometheus_answers import compact_labels, series_name
from console.sources.prometheus_params import PrometheusParams
from console.store import Store
from tests.server_faults import (
    MALFORMED_JSON,
    FailingResolver,
    fault_server,
    self_signed_tls,
    silent_server,
)
from tests.server_prometheus import MonitoringServers, closed_port, shared_servers

WAIT_FOR_DATA = 20.0
"""Seconds a test waits for Prometheus to have what it asks about."""


@pytest.fixture(scope="module")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MonitoringServers:
    return shared_servers(request, tmp_path_factory)


def make_source(url: str, **options: object) -> PrometheusSource:
    validated = PrometheusOptions.model_validate({"url": url, **options})
    source = KIND.create("prom", validated, SystemClock())
    assert isinstance(source, PrometheusSource)
    return source


def params(promql: str, **more: object) -> dict[str, object]:
    """Query parameters as the session hands them over: validated, defaults in."""
    return PrometheusParams.model_validate({"promql": promql, **more}).model_dump(
        mode="json"
    )


async def fetch(
    source: PrometheusSource,
    query: Mapping[str, object],
    *,
    span: float = 60.0,
    step: float = 1.0,
) -> FetchBatch:
    now = time.time()
    return await source.fetch([FetchRequest("q", query, now - span, now, step)])


async def fetch_until(
    source: PrometheusSource, query: Mapping[str, object], **window: float
) -> SeriesResult | TableResult:
    """The first non-empty answer, asking again until Prometheus has data."""
    deadline = time.monotonic() + WAIT_FOR_DATA
    while True:
        batch = await fetch(source, query, **window)
        assert not batch.failures, batch.failures
        result = batch.results["q"]
        has_data = (
            any(result.series.values())
            if isinstance(result, SeriesResult)
            else bool(result.rows)
        )
        if has_data:
            return result
        assert time.monotonic() < deadline, f"no data for {query} in time"
        await asyncio.sleep(0.5)


# Against a real Prometheus.


@pytest.mark.integration
async def test_range_query_of_up_gives_live_aligned_samples(
    servers: MonitoringServers,
) -> None:
    source = make_source(servers.prometheus_url)
    try:
        result = await fetch_until(source, params("up"), span=60.0, step=2.4)
    finally:
        await source.close()
    assert isinstance(result, SeriesResult)
    instance = f"127.0.0.1:{servers.prometheus_port}"
    name = f"up{{instance={instance},job=prometheus}}"
    assert list(result.series) == [name]
    points = result.series[name]
    # A step of 2.4 s is asked for in whole seconds: 3, on multiples of 3.
    assert all(stamp % 3 == 0 for stamp, _ in points)
    assert all(value == 1.0 for _, value in points)
    assert time.time() - points[-1][0] < 10


@pytest.mark.integration
async def test_rate_of_http_requests_with_a_legend(servers: MonitoringServers) -> None:
    source = make_source(servers.prometheus_url)
    query = params(
        "sum by (handler) (rate(prometheus_http_requests_total[1m]))",
        legend="{{handler}}",
    )
    try:
        result = await fetch_until(source, query)
    finally:
        await source.close()
    assert isinstance(result, SeriesResult)
    assert result.series
    assert all(name.startswith("/") for name in result.series)
    values = [value for points in result.series.values() for _, value in points]
    assert all(value >= 0 for value in values)


@pytest.mark.integration
async def test_legend_fills_labels_and_keeps_clashing_series_apart(
    servers: MonitoringServers,
) -> None:
    source = make_source(servers.prometheus_url)
    named = params("up", legend="{{job}} on {{instance}}", instant=True)
    clashing = params("prometheus_http_requests_total", legend="{{job}}", instant=True)
    try:
        first = await fetch_until(source, named)
        second = await fetch_until(source, clashing)
    finally:
        await source.close()
    assert isinstance(first, SeriesResult)
    assert list(first.series) == [f"prometheus on 127.0.0.1:{servers.prometheus_port}"]
    assert isinstance(second, SeriesResult)
    names = list(second.series)
    assert len(names) == len(set(names)) > 1
    assert all(name.startswith("prometheus") for name in names)


@pytest.mark.integration
async def test_instant_query_answers_at_the_end_of_the_window(
    servers: MonitoringServers,
) -> None:
    source = make_source(servers.prometheus_url)
    now = round(time.time(), 3)
    try:
        batch = await source.fetch(
            [FetchRequest("q", params("vector(42)", instant=True), now - 600, now, 1)]
        )
    finally:
        await source.close()
    result = batch.results["q"]
    assert isinstance(result, SeriesResult)
    assert dict(result.series) == {"vector(42)": [(now, 42.0)]}


@pytest.mark.integration
async def test_label_table_of_build_info(servers: MonitoringServers) -> None:
    source = make_source(servers.prometheus_url)
    try:
        result = await fetch_until(source, params("prometheus_build_info", table=True))
    finally:
        await source.close()
    assert isinstance(result, TableResult)
    columns = list(result.columns)
    assert columns[0] == "__name__"
    assert columns[-1] == "value"
    assert {"instance", "job", "version"} <= set(columns)
    (row,) = result.rows
    cells = dict(zip(columns, row, strict=True))
    assert cells["__name__"] == "prometheus_build_info"
    assert str(cells["version"]).startswith("2.")
    assert cells["value"] == 1.0


@pytest.mark.integration
async def test_not_a_number_and_infinity_come_through(
    servers: MonitoringServers,
) -> None:
    source = make_source(servers.prometheus_url)
    try:
        batch = await source.fetch(
            [
                FetchRequest(
                    "nan", params("vector(0) / 0", instant=True), 0, time.time(), 1
                ),
                FetchRequest(
                    "inf", params("vector(1) / 0", instant=True), 0, time.time(), 1
                ),
            ]
        )
    finally:
        await source.close()
    nan, inf = batch.results["nan"], batch.results["inf"]
    assert isinstance(nan, SeriesResult)
    assert isinstance(inf, SeriesResult)
    assert math.isnan(nan.series["vector(0) / 0"][0][1])
    assert inf.series["vector(1) / 0"][0][1] == math.inf


@pytest.mark.integration
async def test_bad_promql_shows_prometheus_own_words(
    servers: MonitoringServers,
) -> None:
    source = make_source(servers.prometheus_url)
    try:
        batch = await source.fetch(
            [
                FetchRequest("bad", params("rate(up[1m]"), 0, time.time(), 15),
                FetchRequest("good", params("vector(1)"), 0, time.time(), 15),
            ]
        )
    finally:
        await source.close()
    reason = batch.failures["bad"].reason
    assert reason.startswith("bad query: ")
    assert "parse error" in reason
    assert "\n" not in reason
    assert "good" in batch.results


@pytest.mark.integration
async def test_a_week_at_one_second_is_asked_within_the_point_limit(
    servers: MonitoringServers,
) -> None:
    """Prometheus refuses more than 11,000 points per series; a week at 1 s would
    be 604,800, so the step is raised."""
    source = make_source(servers.prometheus_url)
    try:
        result = await fetch_until(
            source, params("vector(1)"), span=7 * 86_400.0, step=1
        )
    finally:
        await source.close()
    assert isinstance(result, SeriesResult)
    (points,) = result.series.values()
    assert MAX_POINTS - 10 < len(points) <= MAX_POINTS + 1


@pytest.mark.integration
async def test_the_poller_keeps_growing_a_live_series_in_the_store(
    servers: MonitoringServers,
) -> None:
    """Through the real poller: its first call backfills the range, the next ones
    ask from the newest sample on and add only what is new."""
    source = make_source(servers.prometheus_url)
    store = Store()
    poller = Poller({"prom": source}, store, SystemClock(), lambda keys: None)
    poller.set_demands([Demand("prom", params("vector(7)"), 1.0, 120.0, 120)])
    try:
        await asyncio.gather(*poller.poll_due(time.time()))
        (state,) = list(store)
        first = list(state.series["vector(7)"])
        await asyncio.sleep(1.1)
        await asyncio.gather(*poller.poll_due(time.time()))
        second = list(state.series["vector(7)"])
    finally:
        await poller.close()
        await source.close()
    assert state.last_error is None
    assert len(first) >= 119
    assert second[: len(first)] == first
    assert len(second) > len(first)
    stamps = [stamp for stamp, _ in second]
    assert stamps == sorted(set(stamps))
    assert all(value == 7.0 for _, value in second)


# Failures, each a short line; servers on loopback stand in for broken ones.


def assert_short(reason: str) -> None:
    assert "\n" not in reason
    assert 0 < len(reason) <= 200


@pytest.mark.integration
async def test_a_server_that_never_answers_times_out() -> None:
    async with silent_server() as url:
        source = make_source(url, timeout=0.5)
        try:
            with pytest.raises(SourceError) as raised:
                await fetch(source, params("up"))
        finally:
            await source.close()
    address = url.removeprefix("http://")
    assert raised.value.reason == f"timed out after 0.5s ({address})"


@pytest.mark.integration
async def test_a_closed_port_is_refused() -> None:
    port = closed_port()
    source = make_source(f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(SourceError) as raised:
            await fetch(source, params("up"))
    finally:
        await source.close()
    assert raised.value.reason == f"connection refused (127.0.0.1:{port})"


@pytest.mark.integration
async def test_an_unknown_host_cannot_be_resolved() -> None:
    """A stand-in: the resolver is replaced by one that fails, because no test may
    send traffic (a DNS query included) beyond loopback."""
    resolver = FailingResolver()
    options = PrometheusOptions(url="http://prometheus.invalid:9090")
    source = PrometheusSource("prom", options, resolver=resolver)
    try:
        with pytest.raises(SourceError) as raised:
            await fetch(source, params("up"))
    finally:
        await source.close()
    assert resolver.asked == ["prometheus.invalid"]
    assert raised.value.reason == "cannot resolve host name (prometheus.invalid:9090)"


@pytest.mark.integration
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("unavailable", "HTTP 503 from {address}"),
        ("html", "HTTP 502 from {address} (not JSON: 502 Bad Gateway)"),
        ("malformed", "malformed JSON from {address}: Expecting value at char {end}"),
        ("oversize", "answer from {address} larger than 10 MB; narrow the query"),
        ("denied", "HTTP 401 from {address}: unauthorized"),
    ],
)
async def test_a_broken_answer_fails_its_query_with_a_short_reason(
    fault: str, expected: str
) -> None:
    async with fault_server() as server:
        source = make_source(server.url(fault))
        try:
            batch = await fetch(source, params("up"))
        finally:
            await source.close()
    reason = batch.failures["q"].reason
    address = server.base_url.removeprefix("http://")
    assert reason == expected.format(address=address, end=len(MALFORMED_JSON))
    assert_short(reason)


@pytest.mark.integration
async def test_throttling_is_said_to_be_throttling() -> None:
    async with fault_server() as server:
        source = make_source(server.url("throttled"))
        try:
            batch = await fetch(source, params("up"))
        finally:
            await source.close()
    assert batch.failures["q"].throttled


@pytest.mark.integration
async def test_tls_is_verified_and_a_ca_file_makes_it_trusted(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    tls, certificate = self_signed_tls(tmp_path)
    async with fault_server(tls) as server:
        untrusted = make_source(server.url("empty"))
        trusted = make_source(server.url("empty"), ca_file=str(certificate))
        missing = make_source(server.url("empty"), ca_file=str(tmp_path / "none"))
        try:
            with pytest.raises(SourceError) as refused:
                await fetch(untrusted, params("up"))
            answered = await fetch(trusted, params("up"))
            with pytest.raises(SourceError) as unusable:
                await fetch(missing, params("up"))
        finally:
            for source in (untrusted, trusted, missing):
                await source.close()
    address = server.base_url.removeprefix("https://")
    assert refused.value.reason.startswith(f"TLS certificate of {address} not trusted")
    assert "self-signed" in refused.value.reason, refused.value.reason
    assert "q" in answered.results
    assert unusable.value.reason == f"ca_file {tmp_path / 'none'} not found"


# Secrets.


TOKEN = "s3cr3t-token-value-that-must-not-leak"
PASSWORD = "hunter2-password-that-must-not-leak"


@pytest.mark.integration
@pytest.mark.parametrize("via", ["token_env", "token_file", "password_file"])
async def test_a_secret_is_sent_but_never_shown(
    via: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_file = tmp_path / "secret"
    options: dict[str, object]
    if via == "token_env":
        monkeypatch.setenv("WATCHDECK_TEST_TOKEN", TOKEN)
        options = {"token_env": "WATCHDECK_TEST_TOKEN"}
    elif via == "token_file":
        secret_file.write_text(TOKEN + "\n")
        options = {"token_file": str(secret_file)}
    else:
        secret_file.write_text(PASSWORD + "\n")
        options = {"username": "oncall", "password_file": str(secret_file)}
    secret = PASSWORD if via == "password_file" else TOKEN
    if via == "password_file":
        expected = "Basic " + base64.b64encode(f"oncall:{PASSWORD}".encode()).decode()
    else:
        expected = f"Bearer {TOKEN}"
    async with fault_server() as server:
        source = make_source(server.url("unavailable"), **options)
        good = make_source(server.url("empty"), **options)
        try:
            batch = await fetch(source, params("up"))
            answered = await fetch(good, params("up"))
        finally:
            await source.close()
            await good.close()
    assert server.authorization == [expected, expected]
    assert "q" in answered.results
    shown = [
        batch.failures["q"].reason,
        repr(source.options),
        str(source.options),
        source.options.model_dump_json(),
        repr(source),
        caplog.text,
    ]
    assert all(secret not in text for text in shown)
    assert any(record.levelno == logging.DEBUG for record in caplog.records)


@pytest.mark.integration
async def test_a_redirect_to_another_server_does_not_carry_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATCHDECK_TEST_TOKEN", TOKEN)
    async with fault_server() as first, fault_server() as second:
        first.redirect_to = second.url("empty")
        source = make_source(first.url("redirect"), token_env="WATCHDECK_TEST_TOKEN")
        try:
            batch = await fetch(source, params("up"))
        finally:
            await source.close()
    assert "q" in batch.results
    assert first.authorization == [f"Bearer {TOKEN}"]
    assert second.requests == ["/empty/api/v1/query_range"]
    assert second.authorization == []


def test_a_literal_secret_in_the_profile_is_refused_without_repeating_it() -> None:
    with pytest.raises(ValidationError) as raised:
        PrometheusOptions.model_validate(
            {"url": "http://127.0.0.1:9090", "token": TOKEN}
        )
    (problem,) = raised.value.errors()
    assert problem["loc"] == ("token",)
    assert "token_env" in problem["msg"]
    assert TOKEN not in str(raised.value)


def test_a_password_in_the_url_is_refused_without_repeating_it() -> None:
    with pytest.raises(ValidationError) as raised:
        PrometheusOptions.model_validate({"url": f"http://me:{PASSWORD}@host:9090"})
    assert "password_env" in raised.value.errors()[0]["msg"]
    assert PASSWORD not in str(raised.value)


@pytest.mark.integration
async def test_an_unset_token_variable_is_named_not_guessed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WATCHDECK_TEST_UNSET", raising=False)
    source = make_source("http://127.0.0.1:9", token_env="WATCHDECK_TEST_UNSET")
    try:
        with pytest.raises(SourceError) as raised:
            await fetch(source, params("up"))
    finally:
        await source.close()
    assert raised.value.reason == (
        "environment variable WATCHDECK_TEST_UNSET (token_env) is not set"
    )


# Pure functions.


def test_range_window_rounds_the_step_up_and_aligns_both_ends() -> None:
    assert range_window(1000.5, 2000.2, 2.2) == (1002, 1998, 3)


def test_range_window_raises_the_step_to_stay_under_the_point_limit() -> None:
    start, end, step = range_window(0, 86_400 * 30, 1)
    assert (end - start) / step <= MAX_POINTS


def test_range_window_keeps_the_newest_sample_of_a_short_window() -> None:
    assert range_window(1000.5, 1000.9, 15) == (990, 990, 15)


def test_series_names_put_the_metric_first_and_fall_back_to_the_query() -> None:
    labels = {"job": "api", "__name__": "up", "instance": "a:1"}
    assert compact_labels(labels) == "up{instance=a:1,job=api}"
    assert series_name({}, "sum(rate(x[5m]))", None) == "sum(rate(x[5m]))"
    assert series_name(labels, "up", "{{ job }}/{{missing}}") == "api/"

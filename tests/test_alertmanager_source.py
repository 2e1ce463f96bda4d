"""The Alertmanager source against a real Alertmanager fed by a real Prometheus on
loopback, and against small misbehaving servers for every way a request can fail.

Prometheus fires `WatchdeckTestAlert` (severity critical) from its first rule
evaluation; it reaches Alertmanager a few seconds after the servers start, once
Prometheus has discovered it (see `tests.server_prometheus`).
"""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
import time
import urllib.request
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import pytest
from pydantic import ValidationError

from console.clock import ManualClock, SystemClock
from console.identity import local_user
from console.results import FetchBatch, FetchRequest, TableResult
from console.sources.alertmanager import (
    KIND,
    AlertmanagerOptions,
    AlertmanagerSource,
)
from console.sources.alertmanager_alerts import COLUMNS, Alert, alert_table
from console.sources.alertmanager_params import AlertmanagerParams
from console.sources.base import SourceError
from console.sources.rfc3339_times import epoch_seconds, rfc3339
from tests.server_faults import (
    MALFORMED_JSON,
    FailingResolver,
    fault_server,
    silent_server,
)
from tests.server_prometheus import (
    ALERT_NAME,
    ALERT_SUMMARY,
    MonitoringServers,
    closed_port,
    shared_servers,
)

WAIT_FOR_ALERT = 30.0
"""Seconds a test waits for the alert, or a change of its state, to show."""

ALERT_FILTER = [f'alertname="{ALERT_NAME}"']


@pytest.fixture(scope="module")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MonitoringServers:
    return shared_servers(request, tmp_path_factory)


@pytest.fixture
async def source(servers: MonitoringServers) -> AsyncIterator[AlertmanagerSource]:
    made = make_source(servers.alertmanager_url)
    try:
        yield made
    finally:
        await made.close()


def make_source(url: str, **options: object) -> AlertmanagerSource:
    validated = AlertmanagerOptions.model_validate({"url": url, **options})
    made = KIND.create("am", validated, SystemClock())
    assert isinstance(made, AlertmanagerSource)
    return made


def params(**given: object) -> dict[str, object]:
    """Query parameters as the session hands them over: validated, defaults in."""
    return AlertmanagerParams.model_validate(given).model_dump(mode="json")


async def fetch(source: AlertmanagerSource, query: Mapping[str, object]) -> FetchBatch:
    now = time.time()
    return await source.fetch([FetchRequest("q", query, now - 60, now, 1)])


async def alert_rows(
    source: AlertmanagerSource, **given: object
) -> tuple[list[str], list[dict[str, object]]]:
    """The columns, and each row as a mapping from column to cell."""
    batch = await fetch(source, params(filter=ALERT_FILTER, **given))
    assert not batch.failures, batch.failures
    table = batch.results["q"]
    assert isinstance(table, TableResult)
    columns = list(table.columns)
    return columns, [dict(zip(columns, row, strict=True)) for row in table.rows]


async def wait_for_row(
    source: AlertmanagerSource, state: str, **given: object
) -> dict[str, object]:
    """The test alert's row once its state reads `state`."""
    deadline = time.monotonic() + WAIT_FOR_ALERT
    while True:
        _, rows = await alert_rows(source, **given)
        if rows and rows[0]["state"] == state:
            assert len(rows) == 1
            return rows[0]
        seen = rows[0]["state"] if rows else "no alert"
        assert time.monotonic() < deadline, f"still {seen}, waiting for {state}"
        await asyncio.sleep(0.25)


def raw_silences(servers: MonitoringServers) -> list[dict[str, object]]:
    """Alertmanager's own list of silences, read without the source."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{servers.alertmanager_url}/api/v2/silences", timeout=5) as got:
        listed: list[dict[str, object]] = json.load(got)
    return listed


# Against a real Alertmanager.


@pytest.mark.integration
async def test_the_firing_alert_arrives_as_a_row(source: AlertmanagerSource) -> None:
    row = await wait_for_row(source, "active")
    assert row["alertname"] == ALERT_NAME
    assert row["severity"] == "critical"
    assert row["summary"] == ALERT_SUMMARY
    assert row["labels"] == ""
    assert row["silenced by"] == ""
    since = row["since"]
    assert isinstance(since, float)
    assert time.time() - 120 < since <= time.time()
    fingerprint = row["fingerprint"]
    assert isinstance(fingerprint, str)
    assert source.alert_labels(fingerprint) == {
        "alertname": ALERT_NAME,
        "severity": "critical",
    }
    columns, _ = await alert_rows(source)
    assert columns == list(COLUMNS)


@pytest.mark.integration
async def test_group_by_adds_a_group_column(source: AlertmanagerSource) -> None:
    await wait_for_row(source, "active")
    columns, rows = await alert_rows(source, group_by=["severity", "team"])
    assert columns[0] == "group"
    assert rows[0]["group"] == "severity=critical, team="


@pytest.mark.integration
async def test_a_filter_that_matches_nothing_gives_an_empty_table(
    source: AlertmanagerSource,
) -> None:
    batch = await fetch(source, params(filter=['severity="no-such-severity"']))
    table = batch.results["q"]
    assert isinstance(table, TableResult)
    assert list(table.rows) == []


@pytest.mark.integration
async def test_silence_round_trip(
    source: AlertmanagerSource, servers: MonitoringServers
) -> None:
    row = await wait_for_row(source, "active")
    labels = source.alert_labels(str(row["fingerprint"]))
    assert labels is not None
    assert await source.matching_alerts(labels) == 1
    silence_id = await source.silence(
        labels, duration_s=300, comment="testing the round trip", created_by="tester"
    )
    try:
        (listed,) = [s for s in raw_silences(servers) if s["id"] == silence_id]
        assert listed["createdBy"] == "tester"
        assert listed["comment"] == "testing the round trip"
        assert listed["status"] == {"state": "active"}
        ends_at = epoch_seconds(str(listed["endsAt"]))
        assert abs(ends_at - (time.time() + 300)) < 30
        matchers = listed["matchers"]
        assert isinstance(matchers, list)
        assert {(m["name"], m["value"]) for m in matchers} == set(labels.items())
        assert all(m["isEqual"] and not m["isRegex"] for m in matchers)

        silenced = await wait_for_row(source, "suppressed (silenced)")
        assert silenced["silenced by"] == silence_id
        _, hidden = await alert_rows(source, silenced=False)
        assert hidden == []

        (mine,) = [s for s in await source.silences() if s.id == silence_id]
        assert (mine.created_by, mine.state) == ("tester", "active")
        assert mine.matchers_text == (f'alertname="{ALERT_NAME}", severity="critical"')
    finally:
        await source.expire(silence_id)
    await wait_for_row(source, "active")
    assert all(s.id != silence_id for s in await source.silences())
    expired = [
        s for s in await source.silences(include_expired=True) if s.id == silence_id
    ]
    assert [s.state for s in expired] == ["expired"]


@pytest.mark.integration
async def test_a_silence_is_signed_by_the_local_user_by_default(
    source: AlertmanagerSource,
) -> None:
    silence_id = await source.silence(
        {"alertname": "NothingFiresThis"}, duration_s=60, comment="default author"
    )
    try:
        (mine,) = [s for s in await source.silences() if s.id == silence_id]
    finally:
        await source.expire(silence_id)
    assert mine.created_by == local_user() == getpass.getuser()


@pytest.mark.integration
async def test_matching_alerts_counts_only_alerts_with_every_label(
    source: AlertmanagerSource,
) -> None:
    await wait_for_row(source, "active")
    assert await source.matching_alerts({"alertname": ALERT_NAME}) == 1
    assert await source.matching_alerts({"severity": "critical"}) >= 1
    assert await source.matching_alerts({"alertname": "NothingFiresThis"}) == 0


@pytest.mark.integration
async def test_expiring_an_unknown_silence_says_so(
    source: AlertmanagerSource,
) -> None:
    unknown = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(SourceError) as raised:
        await source.expire(unknown)
    assert raised.value.reason == f"cannot expire silence {unknown}: silence not found"
    with pytest.raises(ValueError, match="not a silence id"):
        await source.expire("../../-/reload")


async def test_a_silence_needs_labels_a_duration_and_a_reason() -> None:
    source = AlertmanagerSource(
        "am", AlertmanagerOptions(url="http://127.0.0.1:9"), ManualClock(0)
    )
    with pytest.raises(ValueError, match="label"):
        await source.silence({}, duration_s=60, comment="x")
    with pytest.raises(ValueError, match="lasts"):
        await source.silence({"a": "b"}, duration_s=0, comment="x")
    with pytest.raises(ValueError, match="comment"):
        await source.silence({"a": "b"}, duration_s=60, comment=" ")
    await source.close()


# Failures, each a short line; servers on loopback stand in for broken ones.


@pytest.mark.integration
async def test_a_server_that_never_answers_times_out() -> None:
    async with silent_server() as url:
        source = make_source(url, timeout=0.5)
        try:
            with pytest.raises(SourceError) as raised:
                await fetch(source, params())
        finally:
            await source.close()
    assert raised.value.reason == f"timed out after 0.5s ({url[len('http://') :]})"


@pytest.mark.integration
async def test_a_closed_port_is_refused_for_lists_and_silences() -> None:
    port = closed_port()
    source = make_source(f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(SourceError) as listing:
            await fetch(source, params())
        with pytest.raises(SourceError) as silencing:
            await source.silence({"a": "b"}, duration_s=60, comment="x")
    finally:
        await source.close()
    expected = f"connection refused (127.0.0.1:{port})"
    assert listing.value.reason == expected
    assert silencing.value.reason == f"cannot create the silence: {expected}"


@pytest.mark.integration
async def test_an_unknown_host_cannot_be_resolved() -> None:
    """A stand-in: the resolver is replaced by one that fails, because no test may
    send traffic (a DNS query included) beyond loopback."""
    resolver = FailingResolver()
    options = AlertmanagerOptions(url="http://alertmanager.invalid:9093")
    source = AlertmanagerSource("am", options, SystemClock(), resolver=resolver)
    try:
        with pytest.raises(SourceError) as raised:
            await fetch(source, params())
    finally:
        await source.close()
    assert resolver.asked == ["alertmanager.invalid"]
    assert raised.value.reason == (
        "cannot resolve host name (alertmanager.invalid:9093)"
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("unavailable", "HTTP 503 from {address}"),
        ("html", "HTTP 502 from {address} (not JSON: 502 Bad Gateway)"),
        ("malformed", "malformed JSON from {address}: Expecting value at char {end}"),
        ("oversize", "answer from {address} larger than 10 MB; narrow the query"),
        ("empty", "unexpected answer from {address}: not a list of alerts"),
    ],
)
async def test_a_broken_answer_fails_its_query_with_a_short_reason(
    fault: str, expected: str
) -> None:
    async with fault_server() as server:
        source = make_source(server.url(fault))
        try:
            batch = await fetch(source, params())
        finally:
            await source.close()
    reason = batch.failures["q"].reason
    address = server.base_url.removeprefix("http://")
    assert reason == expected.format(address=address, end=len(MALFORMED_JSON))
    assert "\n" not in reason
    assert len(reason) <= 200


# Secrets.


TOKEN = "am-s3cr3t-token-that-must-not-leak"


@pytest.mark.integration
async def test_a_token_file_is_sent_but_never_shown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    async with fault_server() as server:
        failing = make_source(server.url("unavailable"), token_file=str(token_file))
        working = make_source(server.url("alerts"), token_file=str(token_file))
        try:
            failed = await fetch(failing, params())
            answered = await fetch(working, params())
        finally:
            await failing.close()
            await working.close()
    assert server.authorization == [f"Bearer {TOKEN}"] * 2
    assert "q" in answered.results
    shown = [
        failed.failures["q"].reason,
        repr(failing.options),
        failing.options.model_dump_json(),
        caplog.text,
    ]
    assert all(TOKEN not in text for text in shown)


# Pure functions.


def test_filters_must_be_label_matchers() -> None:
    assert params(filter=['severity="critical"', "team=~db|web", 'job!=""'])
    with pytest.raises(ValidationError, match="not a label matcher"):
        params(filter=["severity"])
    with pytest.raises(ValidationError, match="not a label name"):
        params(group_by=["not a label"])


def test_rows_go_most_severe_first_then_longest_firing() -> None:
    def alert(name: str, severity: str | None, since: float) -> Alert:
        labels = {"alertname": name}
        if severity is not None:
            labels["severity"] = severity
        return Alert(name, labels, {}, "active", (), (), since)

    table = alert_table(
        [
            alert("info", "info", 1.0),
            alert("late", "critical", 20.0),
            alert("bare", None, 5.0),
            alert("early", "critical", 10.0),
            alert("odd", "whatever", 0.0),
        ],
        group_by=[],
    )
    assert [(row[0], row[1]) for row in table.rows] == [
        ("early", "critical"),
        ("late", "critical"),
        ("bare", "warning"),
        ("info", "info"),
        ("odd", "whatever"),
    ]


def test_alertmanager_times_read_to_the_microsecond() -> None:
    assert epoch_seconds("2024-05-01T12:00:00.123456789Z") == pytest.approx(
        1_714_564_800.123456
    )
    assert rfc3339(1_714_564_800.5) == "2024-05-01T12:00:00.500Z"


async def test_silences_table_says_who_why_and_until_when(
    source: AlertmanagerSource, servers: MonitoringServers
) -> None:
    labels = {"alertname": "WatchdeckSilenceTable", "team": "table-test"}
    silence_id = await source.silence(
        labels, duration_s=600, comment="table test", created_by="tester"
    )
    try:
        request = FetchRequest("s", {"show": "silences"}, 0.0, time.time(), 1.0)
        batch = await source.fetch([request])
        table = batch.results["s"]
        assert isinstance(table, TableResult)
        assert list(table.columns) == [
            "state",
            "created by",
            "comment",
            "matches",
            "ends",
            "id",
        ]
        (row,) = [row for row in table.rows if row[-1] == silence_id]
        assert row[0] == "active" and row[1] == "tester" and row[2] == "table test"
        assert 'team="table-test"' in str(row[3])
    finally:
        await source.expire(silence_id)

"""The http source against real servers on 127.0.0.1: readings, faults, redirects
and secrets.

Every server is started by the test on loopback; nothing leaves the machine. The
unknown-host case uses a failing resolver instead of a real DNS lookup.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from pydantic import ValidationError

from console.clock import ManualClock
from console.problems import ProfileError
from console.profile_loader import load_profile_bytes
from console.results import FetchBatch, FetchRequest, SeriesResult, TableResult
from console.sources.base import SourceError
from console.sources.http_json import KIND, HttpSource
from console.sources.http_options import HttpOptions
from console.sources.http_params import HttpParams
from console.sources.json_reading import ReadingError, read_document
from tests.server_http import (
    FailingResolver,
    closed_port,
    drip,
    never_answer,
    self_signed_tls,
    serve_app,
    serve_raw,
)

NOW = 1_800_000_000.0
CANARY = "canary-5f1e9c7d-never-shown"

integration = pytest.mark.integration

POINTS = [(NOW - 120, 1.5), (NOW - 60, 2.5), (NOW, 4.0)]
"""The samples every series route serves, in its own time format."""


def _iso(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).isoformat().replace("+00:00", "Z")


_TIME_FORMATS = {
    "seconds": lambda stamp: stamp,
    "ms": lambda stamp: int(stamp * 1000),
    "iso": _iso,
}


def api_app(seen: list[Mapping[str, str]] | None = None) -> web.Application:
    """A JSON API with a route for each reading and each fault."""
    routes = web.RouteTableDef()

    @routes.get("/value")
    async def value(_: web.Request) -> web.Response:
        return web.json_response({"data": {"value": 42.5, "items": [{"value": 7}]}})

    @routes.get("/series/{unit}")
    async def series(request: web.Request) -> web.Response:
        stamp = _TIME_FORMATS[request.match_info["unit"]]
        points = [
            {"ts": stamp(when), "v": value, "host": host}
            for host in ("a", "b")
            # Served newest first: the source sorts.
            for when, value in reversed(POINTS)
        ]
        return web.json_response({"data": {"points": points}})

    @routes.get("/table")
    async def table(_: web.Request) -> web.Response:
        rows = [
            {"name": "checkout", "status": "up", "latency": 12.5},
            {"name": "search", "status": "down", "errors": 3},
        ]
        return web.json_response({"rows": rows})

    @routes.post("/echo")
    async def echo(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"got": body, "query": dict(request.query)})

    @routes.get("/query")
    async def query(request: web.Request) -> web.Response:
        return web.json_response({"query": dict(request.query)})

    @routes.get("/status/{code}")
    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="no")

    @routes.get("/malformed")
    async def malformed(_: web.Request) -> web.Response:
        return web.Response(text='{"data": [1, 2', content_type="application/json")

    @routes.get("/html")
    async def html(request: web.Request) -> web.Response:
        # Echoes what it was sent, as careless error pages do.
        page = f"<html><body>Bad gateway {dict(request.headers)}</body></html>"
        return web.Response(text=page, content_type="text/html")

    @routes.get("/big")
    async def big(_: web.Request) -> web.Response:
        return web.json_response({"pad": "x" * 20_000})

    @routes.get("/big-stream")
    async def big_stream(request: web.Request) -> web.StreamResponse:
        # No Content-Length: the cap must hold while reading, not only up front.
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"pad": "')
        for _ in range(20):
            await response.write(b"x" * 1000)
        await response.write(b'"}')
        return response

    @routes.get("/headers")
    async def headers(request: web.Request) -> web.Response:
        if seen is not None:
            seen.append(dict(request.headers))
        return web.json_response({"value": 1})

    @routes.get("/echo-headers-missing")
    async def missing(request: web.Request) -> web.Response:
        return web.json_response({"echo": dict(request.headers)})

    @routes.get("/echo-headers-status")
    async def failing(request: web.Request) -> web.Response:
        return web.json_response({"echo": dict(request.headers)}, status=500)

    app = web.Application()
    app.add_routes(routes)
    return app


def make_source(
    resolver: FailingResolver | None = None, **options: object
) -> HttpSource:
    return HttpSource(
        "api", HttpOptions.model_validate(options), ManualClock(NOW), resolver=resolver
    )


async def fetch_all(
    source: HttpSource, queries: Mapping[str, Mapping[str, object]]
) -> FetchBatch:
    """Fetch `queries` (key -> params) in one call, as the poller would."""
    requests = [
        FetchRequest(
            key,
            HttpParams.model_validate(params).model_dump(mode="json"),
            NOW - 300,
            NOW,
            1,
        )
        for key, params in queries.items()
    ]
    try:
        return await source.fetch(requests)
    finally:
        await source.close()


def reasons(batch: FetchBatch) -> dict[str, str]:
    return {key: failure.reason for key, failure in batch.failures.items()}


@integration
async def test_value_series_table_post_and_query_string() -> None:
    async with serve_app(api_app()) as server:
        source = make_source(base_url=server.url + "/")
        batch = await fetch_all(
            source,
            {
                "value": {"path": "/value", "path_in_response": "data.value"},
                "first": {"path": "value", "path_in_response": "data.items.0.value"},
                "table": {
                    "path": "/table",
                    "path_in_response": "rows",
                    "reading": "table",
                },
                "picked": {
                    "path": "/table",
                    "path_in_response": "rows",
                    "reading": "table",
                    "columns": ["name", "errors"],
                },
                "post": {
                    "path": "/echo",
                    "method": "POST",
                    "body": {"window": "5m", "ids": [1, 2]},
                    "params": {"dry": True},
                    "path_in_response": "got.ids.-1",
                },
                "query": {
                    "url": server.url + "/query?fixed=1",
                    "params": {"window": "5m", "limit": 10},
                    "path_in_response": "query",
                    "reading": "table",
                },
            },
        )
    assert not batch.failures, batch.failures
    assert batch.results["value"] == SeriesResult({"value": [(NOW, 42.5)]})
    assert batch.results["first"] == SeriesResult({"value": [(NOW, 7.0)]})
    table = batch.results["table"]
    assert isinstance(table, TableResult)
    assert list(table.columns) == ["name", "status", "latency", "errors"]
    assert [list(row) for row in table.rows] == [
        ["checkout", "up", 12.5, None],
        ["search", "down", None, 3],
    ]
    picked = batch.results["picked"]
    assert isinstance(picked, TableResult)
    assert list(picked.columns) == ["name", "errors"]
    assert [list(row) for row in picked.rows] == [["checkout", None], ["search", 3]]
    assert batch.results["post"] == SeriesResult({"-1": [(NOW, 2.0)]})
    query = batch.results["query"]
    assert isinstance(query, TableResult)
    assert list(query.columns) == ["fixed", "window", "limit"]
    assert [list(row) for row in query.rows] == [["1", "5m", "10"]]


@integration
@pytest.mark.parametrize("unit", ["seconds", "ms", "iso"])
async def test_series_read_times_in_seconds_milliseconds_and_iso(unit: str) -> None:
    async with serve_app(api_app()) as server:
        source = make_source(base_url=server.url)
        batch = await fetch_all(
            source,
            {
                "by_host": {
                    "path": f"/series/{unit}",
                    "path_in_response": "data.points",
                    "reading": "series",
                    "time_field": "ts",
                    "value_field": "v",
                    "name_field": "host",
                },
            },
        )
    assert not batch.failures, batch.failures
    result = batch.results["by_host"]
    assert isinstance(result, SeriesResult)
    assert {name: list(points) for name, points in result.series.items()} == {
        "a": POINTS,
        "b": POINTS,
    }


@integration
async def test_each_fault_fails_alone_with_a_short_reason() -> None:
    """Bad answers of every kind in one fetch: each fails with its own one-line
    reason, and the good query beside them is answered."""
    refused = closed_port()
    resolver = FailingResolver()
    async with serve_app(api_app()) as server:
        source = make_source(resolver, base_url=server.url, max_bytes=10_000)
        batch = await fetch_all(
            source,
            {
                "good": {"path": "/value", "path_in_response": "data.value"},
                "5xx": {"path": "/status/503"},
                "429": {"path": "/status/429"},
                "malformed": {"path": "/malformed"},
                "html": {"path": "/html"},
                "big": {"path": "/big"},
                "big_stream": {"path": "/big-stream"},
                "missing": {"path": "/value", "path_in_response": "data.items.3"},
                "text": {"path": "/table", "path_in_response": "rows.0.name"},
                "not_list": {
                    "path": "/value",
                    "path_in_response": "data",
                    "reading": "series",
                },
                "refused": {"url": f"http://127.0.0.1:{refused}/value"},
                "unknown": {"url": "http://no-such-host.invalid/value"},
            },
        )
    port = server.port
    assert set(batch.results) == {"good"}
    assert batch.results["good"] == SeriesResult({"value": [(NOW, 42.5)]})
    assert reasons(batch) == {
        "5xx": f"HTTP 503 from 127.0.0.1:{port}",
        "429": f"HTTP 429 from 127.0.0.1:{port} (throttled)",
        "malformed": f"malformed JSON from 127.0.0.1:{port} (line 1, column 15)",
        "html": "HTTP 200 but not JSON (text/html)",
        "big": "response over 9.77 KB",
        "big_stream": "response over 9.77 KB",
        "missing": "no `data.items.3` in the response",
        "text": "`rows.0.name` is text, not a number",
        "not_list": "`data` is an object, not a list of records",
        "refused": f"connection refused (127.0.0.1:{refused})",
        "unknown": "cannot resolve no-such-host.invalid",
    }
    assert batch.failures["429"].throttled
    assert resolver.asked == ["no-such-host.invalid"]


@integration
async def test_a_silent_server_and_a_slow_drip_time_out_alone() -> None:
    async with (
        serve_app(api_app()) as server,
        serve_raw(never_answer) as silent,
        serve_raw(drip(0.05)) as dripping,
    ):
        source = make_source(timeout=0.5)
        batch = await fetch_all(
            source,
            {
                "good": {
                    "url": server.url + "/value",
                    "path_in_response": "data.value",
                },
                "silent": {"url": silent.url + "/value"},
                "drip": {"url": dripping.url + "/value"},
            },
        )
    assert set(batch.results) == {"good"}
    assert reasons(batch) == {
        "silent": "timed out after 0.5s",
        "drip": "timed out after 0.5s",
    }


def redirecting_app(target: str, seen: list[Mapping[str, str]]) -> web.Application:
    """Server A: redirects /away (302) and /post-away (303) to `target` on another
    origin, and /here (307) to its own /own-headers, which records what it got."""

    async def away(_: web.Request) -> web.Response:
        raise web.HTTPFound(target)

    async def post_away(_: web.Request) -> web.Response:
        raise web.HTTPSeeOther(target)

    async def here(_: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect("/own-headers")

    async def own_headers(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        return web.json_response({"value": 1})

    app = web.Application()
    app.router.add_get("/away", away)
    app.router.add_post("/post-away", post_away)
    app.router.add_get("/here", here)
    app.router.add_get("/own-headers", own_headers)
    return app


@integration
async def test_credentials_never_follow_a_redirect_to_another_origin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A on 127.0.0.1:p1 sends two requests on to B on 127.0.0.1:p2 (another
    origin), and one to itself: B gets the plain header but no secret one; A's own
    page gets both."""
    monkeypatch.setenv("WATCHDECK_TEST_TOKEN", CANARY)
    seen_by_a: list[Mapping[str, str]] = []
    seen_by_b: list[Mapping[str, str]] = []
    async with serve_app(api_app(seen_by_b)) as server_b:
        app_a = redirecting_app(server_b.url + "/headers", seen_by_a)
        async with serve_app(app_a) as server_a:
            source = make_source(
                base_url=server_a.url,
                headers={"X-Team": "payments"},
                secret_headers={
                    "Authorization": {"env": "WATCHDECK_TEST_TOKEN"},
                    "X-Service-Key": {"env": "WATCHDECK_TEST_TOKEN"},
                },
            )
            batch = await fetch_all(
                source,
                {
                    "away": {"path": "/away", "path_in_response": "value"},
                    "post": {
                        "path": "/post-away",
                        "method": "POST",
                        "body": {"a": 1},
                        "path_in_response": "value",
                    },
                    "here": {"path": "/here", "path_in_response": "value"},
                },
            )
    assert not batch.failures, batch.failures
    assert len(seen_by_b) == 2
    for headers in seen_by_b:
        assert "Authorization" not in headers
        assert "X-Service-Key" not in headers
        assert CANARY not in json.dumps(headers)
        assert headers["X-Team"] == "payments"
        # The POST became a GET at the 303, and left its body's type behind.
        assert "Content-Type" not in headers
    (own,) = seen_by_a
    assert own["Authorization"] == CANARY
    assert own["X-Service-Key"] == CANARY


@integration
async def test_secrets_reach_the_server_and_no_reason_repr_or_log(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A token from the environment and one from a file are sent, and neither shows
    in any failure reason, in the options' repr or str, or in the log at DEBUG,
    even when the server echoes them back in its error pages."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("WATCHDECK_TEST_TOKEN", CANARY + "-env")
    token_file = tmp_path / "token"
    token_file.write_text(CANARY + "-file\n")
    seen: list[Mapping[str, str]] = []
    options = HttpOptions.model_validate(
        {
            "secret_headers": {
                "Authorization": {"env": "WATCHDECK_TEST_TOKEN"},
                "X-Api-Key": {"file": str(token_file)},
            },
        }
    )
    async with serve_app(api_app(seen)) as server:
        source = HttpSource("api", options, ManualClock(NOW))
        base = server.url
        batch = await fetch_all(
            source,
            {
                "sent": {"url": base + "/headers", "path_in_response": "value"},
                "html": {"url": base + "/html"},
                "status": {"url": base + "/echo-headers-status"},
                "object": {"url": base + "/echo-headers-missing"},
                "missing": {
                    "url": base + "/echo-headers-missing",
                    "path_in_response": "echo.Nope",
                },
                "text": {
                    "url": base + "/echo-headers-missing",
                    "path_in_response": "echo.Authorization",
                },
            },
        )
    (headers,) = seen
    assert headers["Authorization"] == CANARY + "-env"
    assert headers["X-Api-Key"] == CANARY + "-file"
    assert set(batch.results) == {"sent"}
    assert len(batch.failures) == 5
    exposed = [
        json.dumps(reasons(batch)),
        repr(options),
        str(options),
        options.model_dump_json(),
        repr(source),
        caplog.text,
    ]
    for text in exposed:
        assert "canary" not in text


async def test_a_missing_secret_fails_the_queries_naming_only_its_source(
    tmp_path: Path,
) -> None:
    source = make_source(
        secret_headers={"Authorization": {"file": str(tmp_path / "absent")}}
    )
    batch = await fetch_all(source, {"q": {"url": "http://127.0.0.1:9/value"}})
    assert reasons(batch) == {
        "q": f"Authorization: cannot read secret file {tmp_path / 'absent'}: "
        "No such file or directory"
    }


def test_credential_headers_written_in_the_profile_are_refused() -> None:
    for name in ("Authorization", "cookie", "X-Api-Key", "X-Auth-Token", "Secret"):
        with pytest.raises(ValidationError) as caught:
            HttpOptions.model_validate({"headers": {name: CANARY}})
        assert "secret_headers" in str(caught.value)
        assert "canary" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        HttpOptions.model_validate({"secret_headers": {"Authorization": CANARY}})
    message = str(caught.value)
    assert "{env: NAME} or {file: PATH}" in message
    assert "canary" not in message
    HttpOptions.model_validate({"headers": {"Accept": "application/json"}})


def test_a_literal_secret_in_a_profile_is_not_echoed_by_lint() -> None:
    profile = f"""
profile: leak
title: Leak
sources:
  api:
    type: http
    base_url: http://127.0.0.1:1
    headers: {{Authorization: "Bearer {CANARY}"}}
    secret_headers: {{X-Api-Key: "{CANARY}"}}
dashboards:
  - id: main
    title: Main
    panels:
      - id: a
        title: A
        type: single_value
        at: {{x: 0, y: 0, w: 6, h: 4}}
        query: {{source: api, path: /x}}
"""
    with pytest.raises(ProfileError) as caught:
        load_profile_bytes(profile.encode(), "leak.yaml", kinds={"http": KIND})
    problems = [problem.message for problem in caught.value.problems]
    assert len(problems) == 2, problems
    assert all("canary" not in problem for problem in problems)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "give either `url` or `path`"),
        ({"url": "http://a/x", "path": "/x"}, "give either `url` or `path`"),
        ({"path": "/x", "body": {"a": 1}}, "`body` is sent with `method: POST` only"),
        ({"url": "ftp://a/x"}, "must start with http:// or https://"),
        ({"url": "http://u:p@a/x"}, "secret_headers"),
        ({"path": "/x", "time_field": "t"}, "applies only to `reading: series`"),
        ({"path": "/x", "columns": ["a"]}, "applies only to `reading: table`"),
        ({"path": "/x", "path_in_response": "a..b"}, "has an empty part"),
    ],
)
def test_params_that_cannot_work_are_refused(
    params: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        HttpParams.model_validate(params)
    assert message in str(caught.value)


async def test_a_path_without_base_url_fails_its_query() -> None:
    batch = await fetch_all(make_source(), {"q": {"path": "/x"}})
    assert reasons(batch) == {"q": "`path` needs `base_url` in the source's options"}


@integration
async def test_a_redirect_loop_stops() -> None:
    async def loop(_: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    app = web.Application()
    app.router.add_get("/loop", loop)
    async with serve_app(app) as server:
        batch = await fetch_all(make_source(), {"q": {"url": server.url + "/loop"}})
    assert reasons(batch) == {
        "q": f"more than 5 redirects from 127.0.0.1:{server.port}"
    }


def test_every_option_and_parameter_says_what_it_does() -> None:
    for model in (HttpOptions, HttpParams):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no docstring"
            words = " ".join(field.description.split())
            assert "Left out" in words or field.is_required(), name


def _read(document: object, **params: object) -> object:
    reading = HttpParams.model_validate({"path": "/x", **params})
    try:
        return read_document(document, reading, NOW, within="the response")
    except ReadingError as error:
        return str(error)


def test_series_records_pairs_gaps_and_time_units() -> None:
    stamp = 1_700_000_000
    pairs = {"values": [[stamp, "1.5"], [stamp + 60, "NaN-free"]]}
    assert _read(pairs, path_in_response="values", reading="series") == (
        "item 1 of `values`: its value is text, not a number"
    )
    records = [
        {"time": stamp * 1_000_000, "value": 1},
        {"time": stamp * 1_000_000_000 + 60 * 10**9, "value": None},
        {"time": "2023-11-14T22:13:20", "value": "2.5"},
    ]
    assert _read(records, reading="series") == SeriesResult(
        {"value": [(stamp, 1.0), (stamp, 2.5)]}
    )
    assert _read([[stamp, 3]], reading="series") == SeriesResult(
        {"value": [(stamp, 3.0)]}
    )
    assert _read([{"time": "soon", "value": 1}], reading="series") == (
        "item 0 of the response: its time is text, not a time"
    )
    assert _read([{"value": 1}], reading="series") == (
        "item 0 of the response has no `time`"
    )
    assert _read([4], reading="series") == (
        "item 0 of the response is a number, not a record"
    )
    assert _read({"a": [1]}, path_in_response="a.5") == "no `a.5` in the response"
    assert _read({"a": True}, path_in_response="a") == (
        "`a` is true or false, not a number"
    )
    assert _read({"a": {"b": 1}}, path_in_response="a", reading="table") == (
        TableResult(["b"], [[1]])
    )


@integration
@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
async def test_tls_is_verified_and_a_private_ca_can_be_trusted(tmp_path: Path) -> None:
    tls, certificate = self_signed_tls(tmp_path)
    async with serve_app(api_app(), tls) as server:
        query = {"q": {"url": server.url + "/value", "path_in_response": "data.value"}}
        untrusted = await fetch_all(make_source(), query)
        trusted = await fetch_all(make_source(ca_file=str(certificate)), query)
        with pytest.raises(SourceError) as caught:
            await fetch_all(make_source(ca_file=str(tmp_path / "absent.pem")), query)
    assert reasons(untrusted) == {
        "q": f"TLS certificate of 127.0.0.1:{server.port} not trusted"
    }
    assert trusted.results == {"q": SeriesResult({"value": [(NOW, 42.5)]})}
    assert caught.value.reason == (
        f"cannot read ca_file {tmp_path / 'absent.pem'}: No such file or directory"
    )

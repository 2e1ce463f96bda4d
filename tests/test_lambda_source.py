"""The lambda source against a real moto server in its Docker-free mode.

Moto's server can run Lambda without Docker (`/moto-api/config` with
`{"lambda": {"use_docker": false}}`): an invocation then returns the next result
queued through `/moto-api/static/lambda-simple/response`. Function errors and
throttling use botocore's Stubber: the Docker-free mode cannot fail a function.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from console.clock import ManualClock
from console.results import FetchRequest, SeriesResult, TableResult
from console.sources.lambda_function import LambdaOptions, LambdaParams, LambdaSource
from tests.server_moto import REGION, MotoServer, shared_moto

pytestmark = pytest.mark.integration

NOW = 1_700_000_000.0


@pytest.fixture(scope="module")
def moto(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MotoServer:
    server = shared_moto(request, tmp_path_factory)
    server.post("/moto-api/config", {"lambda": {"use_docker": False}})
    return server


def make_function(moto: MotoServer, name: str) -> None:
    iam = moto.client("iam")
    role = iam.create_role(
        RoleName=f"{name}-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    moto.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": code.getvalue()},
    )


def queue_results(moto: MotoServer, *results: object) -> None:
    moto.post(
        "/moto-api/static/lambda-simple/response",
        {"results": [json.dumps(r) for r in results], "region": REGION},
    )


def source_for(moto: MotoServer) -> LambdaSource:
    options = LambdaOptions.model_validate({"region": REGION, "endpoint_url": moto.url})
    return LambdaSource("fn", options, ManualClock(NOW))


def request(**fields: Any) -> FetchRequest:
    params = LambdaParams.model_validate(fields).model_dump(mode="json")
    return FetchRequest("k", params, NOW - 60, NOW, 60)


async def test_value_series_and_table_from_a_function(moto: MotoServer) -> None:
    moto.reset()
    moto.post("/moto-api/config", {"lambda": {"use_docker": False}})
    make_function(moto, "health-score")
    queue_results(
        moto,
        {"score": 97.5},
        {"points": [{"time": NOW - 60, "value": 1}, {"time": NOW, "value": 2}]},
        {"services": [{"name": "checkout", "ok": True}, {"name": "cart", "ok": False}]},
    )
    source = source_for(moto)
    value = await source.fetch(
        [
            request(
                function="health-score",
                payload={"service": "checkout"},
                path_in_response="score",
            )
        ]
    )
    assert value.results["k"] == SeriesResult({"score": [(NOW, 97.5)]})
    series = await source.fetch(
        [request(function="health-score", path_in_response="points", reading="series")]
    )
    answer = series.results["k"]
    assert isinstance(answer, SeriesResult)
    assert [v for _, v in answer.series["value"]] == [1.0, 2.0]
    table = await source.fetch(
        [request(function="health-score", path_in_response="services", reading="table")]
    )
    rows = table.results["k"]
    assert isinstance(rows, TableResult)
    assert list(rows.columns) == ["name", "ok"]
    assert len(rows.rows) == 2
    assert source.calls == 3


async def test_a_result_of_the_wrong_shape_says_so(moto: MotoServer) -> None:
    queue_results(moto, {"score": {"now": 1}})
    source = source_for(moto)
    batch = await source.fetch([request(function="health-score")])
    assert batch.failures["k"].reason == (
        "the function's result is an object, not a number; see `reading`"
    )


def stubbed(moto: MotoServer) -> tuple[LambdaSource, Stubber]:
    source = source_for(moto)
    stubber = Stubber(source.clients.client("lambda"))
    stubber.activate()
    return source, stubber


def body(document: object) -> StreamingBody:
    raw = json.dumps(document).encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


async def test_function_error_reads_as_its_message(moto: MotoServer) -> None:
    # Stubber: moto's Docker-free Lambda cannot make a function fail.
    source, stubber = stubbed(moto)
    stubber.add_response(
        "invoke",
        {
            "StatusCode": 200,
            "FunctionError": "Unhandled",
            "Payload": body({"errorType": "KeyError", "errorMessage": "'orders'"}),
        },
        {"FunctionName": "score", "InvocationType": "RequestResponse", "Payload": "{}"},
    )
    batch = await source.fetch([request(function="score")])
    assert batch.failures["k"].reason == "score failed: KeyError: 'orders'"


async def test_throttled_invocation_is_marked(moto: MotoServer) -> None:
    # Stubber: moto never throttles.
    source, stubber = stubbed(moto)
    stubber.add_client_error("invoke", "TooManyRequestsException", "Rate exceeded", 429)
    batch = await source.fetch([request(function="score")])
    failure = batch.failures["k"]
    assert failure.throttled
    assert failure.reason == f"throttled (123456789012, {REGION})"


async def test_a_slow_function_times_out(moto: MotoServer) -> None:
    source = source_for(moto)
    started = time.monotonic()

    def slow(params: LambdaParams) -> bytes:
        # Stands in for an invocation that has not answered yet.
        while time.monotonic() - started < 1.0:
            time.sleep(0.01)
        return b"{}"

    source._invoke = slow  # type: ignore[method-assign]
    batch = await source.fetch([request(function="slow", timeout="0.1s")])
    assert batch.failures["k"].reason == "slow gave no result within 0.1s"

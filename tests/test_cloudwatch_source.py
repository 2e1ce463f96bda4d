"""The cloudwatch source against a real moto server, and against botocore's Stubber
where moto cannot show the path (each such test says why).

Moto serves GetMetricData for plain statistics and simple math, and never pages;
it fails on percentiles. Throttling and access errors cannot be provoked from it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from console.clock import ManualClock, SystemClock
from console.evaluation import PanelState, evaluate_panel
from console.poller import Poller
from console.problems import ProfileError
from console.profile_loader import load_profile_text
from console.results import FetchRequest, SeriesResult
from console.session import Session
from console.sources.aws_session import AwsClients
from console.sources.cloudwatch import CloudWatchOptions, CloudWatchSource
from console.sources.cloudwatch_params import CloudWatchParams
from console.store import Store
from tests.server_moto import REGION, MotoServer, shared_moto

pytestmark = pytest.mark.integration

NAMESPACE = "Watchdeck/Test"


@pytest.fixture(scope="module")
def moto(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MotoServer:
    return shared_moto(request, tmp_path_factory)


def params(**fields: Any) -> dict[str, object]:
    """Query parameters as the session hands them over: validated, defaults in."""
    return CloudWatchParams.model_validate(fields).model_dump(mode="json")


def request(key: str, fields: dict[str, object], now: float) -> FetchRequest:
    return FetchRequest(key, fields, now - 3600, now, 60)


def source_for(
    moto: MotoServer, clock: Any = None, **options: object
) -> CloudWatchSource:
    validated = CloudWatchOptions.model_validate(
        {"region": REGION, "endpoint_url": moto.url, **options}
    )
    return CloudWatchSource("aws", validated, clock or SystemClock())


def put_values(moto: MotoServer, metric: str, values: list[float]) -> float:
    """Put `values` one minute apart, ending two minutes ago; returns now."""
    now = time.time()
    client = moto.client("cloudwatch")
    base = dt.datetime.fromtimestamp(now - 120 - 60 * len(values), dt.UTC)
    client.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {
                "MetricName": metric,
                "Dimensions": [{"Name": "Service", "Value": "checkout"}],
                "Timestamp": base + dt.timedelta(minutes=index),
                "Value": value,
            }
            for index, value in enumerate(values)
        ],
    )
    return now


async def test_metrics_put_come_back_as_series_in_one_call(moto: MotoServer) -> None:
    moto.reset()
    now = put_values(moto, "Latency", [10.0, 20.0, 30.0])
    source = source_for(moto)
    dims = {"Service": "checkout"}
    wanted = [
        request(
            "avg", params(namespace=NAMESPACE, metric="Latency", dimensions=dims), now
        ),
        request(
            "max",
            params(
                namespace=NAMESPACE, metric="Latency", dimensions=dims, stat="Maximum"
            ),
            now,
        ),
        request(
            "sum",
            params(
                namespace=NAMESPACE,
                metric="Latency",
                dimensions=dims,
                stat="Sum",
                period=300,
            ),
            now,
        ),
    ]
    batch = await source.fetch(wanted)
    assert batch.failures == {}
    avg = batch.results["avg"]
    assert isinstance(avg, SeriesResult)
    (points,) = avg.series.values()
    assert [value for _, value in points] == [10.0, 20.0, 30.0]
    total = batch.results["sum"]
    assert isinstance(total, SeriesResult)
    assert sum(v for pts in total.series.values() for _, v in pts) == 60.0
    # Three queries of one region: one GetMetricData request, three metrics.
    assert (source.calls, source.metrics_requested) == (1, 3)


async def test_a_query_is_not_fetched_twice_within_its_period(
    moto: MotoServer,
) -> None:
    moto.reset()
    now = put_values(moto, "Orders", [5.0])
    clock = ManualClock(now)
    source = source_for(moto, clock)
    fields = params(
        namespace=NAMESPACE,
        metric="Orders",
        stat="Sum",
        dimensions={"Service": "checkout"},
        period=300,
    )
    first = await source.fetch([request("orders", fields, now)])
    clock.advance(120)
    second = await source.fetch([request("orders", fields, now + 120)])
    assert source.calls == 1
    assert second.results["orders"] == first.results["orders"]
    clock.advance(200)
    await source.fetch([request("orders", fields, now + 320)])
    assert source.calls == 2


async def test_more_than_500_entries_split_into_calls(moto: MotoServer) -> None:
    moto.reset()
    now = put_values(moto, "Hits", [1.0])
    source = source_for(moto)
    wanted = [
        request(
            f"k{n}",
            params(namespace=NAMESPACE, metric="Hits", dimensions={"Service": f"s{n}"}),
            now,
        )
        for n in range(501)
    ]
    batch = await source.fetch(wanted)
    assert len(batch.results) == 501 and not batch.failures
    assert source.calls == 2
    assert source.metrics_requested == 501


async def test_simple_metric_math_with_hidden_inputs_on_moto(
    moto: MotoServer,
) -> None:
    moto.reset()
    now = put_values(moto, "Errors", [2.0])
    put_values(moto, "Requests", [8.0])
    source = source_for(moto)
    dims = {"Service": "checkout"}
    fields = params(
        # Moto evaluates only an expression that names one input, so this is it.
        expression="m2",
        metrics=[
            {
                "id": "m1",
                "namespace": NAMESPACE,
                "metric": "Errors",
                "dimensions": dims,
                "stat": "Sum",
            },
            {
                "id": "m2",
                "namespace": NAMESPACE,
                "metric": "Requests",
                "dimensions": dims,
                "stat": "Sum",
            },
        ],
    )
    batch = await source.fetch([request("math", fields, now)])
    answer = batch.results["math"]
    assert isinstance(answer, SeriesResult)
    # Only the expression comes back: the inputs are ReturnData false.
    assert len(answer.series) == 1
    (points,) = answer.series.values()
    assert [value for _, value in points] == [8.0]
    assert source.metrics_requested == 2


async def test_panel_shows_the_value_put(moto: MotoServer) -> None:
    moto.reset()
    put_values(moto, "QueueDepth", [3.0, 70.0])
    loaded = load_profile_text(
        f"""
profile: aws-test
title: AWS test
sources:
  aws: {{type: cloudwatch, region: {REGION}, endpoint_url: "{moto.url}"}}
dashboards:
  - id: main
    title: Main
    refresh: 60s
    panels:
      - id: depth
        title: Queue depth
        type: single_value
        at: {{x: 0, y: 0, w: 4, h: 4}}
        query: {{source: aws, namespace: {NAMESPACE}, metric: QueueDepth,
                 dimensions: {{Service: checkout}}, stat: Maximum}}
        thresholds: {{warning: 50, critical: 60}}
""",
        "aws-test.yaml",
    )
    clock = SystemClock()
    session = Session(loaded.profile, clock)
    store = Store()
    dashboard = loaded.profile.dashboards[0]
    poller = Poller(
        session.sources,
        store,
        clock,
        lambda keys: None,
        batch_sizes=session.batch_sizes(),
    )
    poller.set_demands(session.demands(dashboard))
    for task in poller.poll_due(clock.now()):
        await task
    panel = dashboard.panels[0]
    states = [store.get(q.key) for q in session.panel_queries(panel)]
    status = evaluate_panel(panel, states, clock.now(), 3600)
    assert status.state is PanelState.CRITICAL
    assert status.value == 70.0


def stubbed(moto: MotoServer, **options: object) -> tuple[CloudWatchSource, Stubber]:
    """A source whose CloudWatch client answers from a Stubber; STS still goes to
    moto, which says the account is 123456789012."""
    source = source_for(moto, **options)
    stubber = Stubber(source.clients.client("cloudwatch"))
    stubber.activate()
    return source, stubber


async def test_percentiles_and_pages_as_aws_documents_them(moto: MotoServer) -> None:
    # Stubber: moto rejects percentile statistics and never returns a NextToken.
    # The request and response shapes are GetMetricData's, as AWS documents them.
    source, stubber = stubbed(moto)
    start = 1_700_000_000.0
    t = [dt.datetime.fromtimestamp(start + 60 * n, dt.UTC) for n in range(3)]
    metric = {
        "Namespace": "AWS/Lambda",
        "MetricName": "Duration",
        "Dimensions": [{"Name": "FunctionName", "Value": "checkout"}],
    }
    expected = {
        "MetricDataQueries": [
            {
                "Id": "q0",
                "MetricStat": {"Metric": metric, "Period": 60, "Stat": "p99"},
                "ReturnData": True,
            }
        ],
        "StartTime": ANY,
        "EndTime": ANY,
        "ScanBy": "TimestampAscending",
    }
    stubber.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [
                {
                    "Id": "q0",
                    "Label": "Duration",
                    "Timestamps": t[:2],
                    "Values": [120.5, 180.0],
                    "StatusCode": "PartialData",
                }
            ],
            "NextToken": "page-2",
            "Messages": [],
        },
        expected,
    )
    stubber.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [
                {
                    "Id": "q0",
                    "Label": "Duration",
                    "Timestamps": t[2:],
                    "Values": [950.25],
                    "StatusCode": "Complete",
                }
            ]
        },
        {**expected, "NextToken": "page-2"},
    )
    fields = params(
        namespace="AWS/Lambda",
        metric="Duration",
        stat="p99",
        dimensions={"FunctionName": "checkout"},
    )
    batch = await source.fetch([FetchRequest("p99", fields, start, start + 180, 60)])
    stubber.assert_no_pending_responses()
    answer = batch.results["p99"]
    assert isinstance(answer, SeriesResult)
    (points,) = answer.series.values()
    assert [v for _, v in points] == [120.5, 180.0, 950.25]
    assert source.calls == 2


async def test_math_inputs_are_renamed_and_hidden(moto: MotoServer) -> None:
    # Stubber: two expressions whose inputs share the name m1 in one call; moto
    # evaluates only the simplest math and cannot show the request's shape.
    source, stubber = stubbed(moto)

    def entry(ident: str, name: str) -> dict[str, object]:
        return {
            "Id": ident,
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/ELB",
                    "MetricName": name,
                    "Dimensions": [],
                },
                "Period": 60,
                "Stat": "Sum",
            },
            "ReturnData": False,
        }

    stubber.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [
                {
                    "Id": "q0",
                    "Label": "rate",
                    "Timestamps": [],
                    "Values": [],
                    "StatusCode": "Complete",
                },
                {
                    "Id": "q1",
                    "Label": "x",
                    "Timestamps": [],
                    "Values": [],
                    "StatusCode": "Forbidden",
                    "Messages": [
                        {"Code": "Forbidden", "Value": "no access to AWS/ELB"}
                    ],
                },
            ]
        },
        {
            "MetricDataQueries": [
                entry("q0_m1", "HTTPCode_ELB_5XX"),
                {
                    "Id": "q0",
                    "Expression": '100 * q0_m1 / SUM(METRICS("m1"))',
                    "Period": 60,
                    "ReturnData": True,
                },
                entry("q1_m1", "RequestCount"),
                {
                    "Id": "q1",
                    "Expression": "q1_m1 * 2",
                    "Period": 60,
                    "ReturnData": True,
                },
            ],
            "StartTime": ANY,
            "EndTime": ANY,
            "ScanBy": "TimestampAscending",
        },
    )
    one = params(
        expression='100 * m1 / SUM(METRICS("m1"))',
        metrics=[
            {
                "id": "m1",
                "namespace": "AWS/ELB",
                "metric": "HTTPCode_ELB_5XX",
                "stat": "Sum",
            }
        ],
    )
    two = params(
        expression="m1 * 2",
        metrics=[
            {
                "id": "m1",
                "namespace": "AWS/ELB",
                "metric": "RequestCount",
                "stat": "Sum",
            }
        ],
    )
    now = 1_700_000_000.0
    batch = await source.fetch([request("a", one, now), request("b", two, now)])
    stubber.assert_no_pending_responses()
    assert "a" in batch.results
    assert batch.failures["b"].reason.startswith("access denied to this metric")
    assert source.metrics_requested == 2


async def test_persistent_throttling_marks_and_slows(moto: MotoServer) -> None:
    # Stubber: moto never throttles. A stubbed error skips botocore's retries, so
    # one error here stands for the last of the standard mode's attempts.
    clock = ManualClock(1_700_000_000.0)
    source, stubber = stubbed(moto, clock=clock)
    stubber.add_client_error(
        "get_metric_data", "Throttling", "Rate exceeded", http_status_code=400
    )
    fields = params(namespace="AWS/EC2", metric="CPUUtilization")
    batch = await source.fetch([request("cpu", fields, clock.now())])
    stubber.assert_no_pending_responses()
    failure = batch.failures["cpu"]
    assert failure.throttled
    assert failure.reason == f"throttled (123456789012, {REGION})"
    # While the pause lasts, nothing is sent (the stubber would fail on a call).
    clock.advance(10)
    again = await source.fetch([request("cpu", fields, clock.now())])
    assert again.failures["cpu"].throttled
    assert source.calls == 1
    # After the pause, a call goes out again and clears it.
    clock.advance(60)
    stubber.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [
                {
                    "Id": "q0",
                    "Label": "CPU",
                    "Timestamps": [],
                    "Values": [],
                    "StatusCode": "Complete",
                }
            ]
        },
    )
    cleared = await source.fetch([request("cpu", fields, clock.now())])
    assert "cpu" in cleared.results


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("AccessDenied", "access denied to cloudwatch:GetMetricData for profile-less"),
        ("ExpiredToken", "credentials expired for default credentials in us-east-1"),
        (
            "SignatureDoesNotMatch",
            "credentials rejected by AWS (SignatureDoesNotMatch)",
        ),
    ],
)
async def test_access_errors_read_as_one_line_without_keys(
    moto: MotoServer, code: str, expected: str
) -> None:
    # Stubber: moto accepts any credentials, so it cannot refuse one.
    source, stubber = stubbed(moto)
    stubber.add_client_error(
        "get_metric_data",
        code,
        "Credential=AKIAIOSFODNN7EXAMPLE/20240101 signed testing",
        403,
    )
    fields = params(namespace="AWS/EC2", metric="CPUUtilization")
    batch = await source.fetch([request("cpu", fields, time.time())])
    reason = batch.failures["cpu"].reason
    assert "\n" not in reason
    assert "AKIA" not in reason and "testing" not in reason
    if expected.endswith("profile-less"):
        assert reason == (
            "access denied to cloudwatch:GetMetricData for default credentials "
            f"in {REGION}"
        )
    else:
        assert reason.startswith(expected)


async def test_no_region_is_one_line(
    moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    source = CloudWatchSource(
        "aws",
        CloudWatchOptions.model_validate({"endpoint_url": moto.url}),
        SystemClock(),
    )
    fields = params(namespace="AWS/EC2", metric="CPUUtilization")
    batch = await source.fetch([request("cpu", fields, time.time())])
    assert batch.failures["cpu"].reason == (
        "no region set for default credentials: add `region:` to the source or "
        "set AWS_REGION"
    )


async def test_unknown_profile_is_named(moto: MotoServer) -> None:
    source = source_for(moto, profile="nobody-has-this")
    fields = params(namespace="AWS/EC2", metric="CPUUtilization")
    batch = await source.fetch([request("cpu", fields, time.time())])
    assert batch.failures["cpu"].reason == (
        "profile nobody-has-this is not in the AWS config files (~/.aws/config)"
    )


async def test_assumed_role_credentials_come_from_sts(moto: MotoServer) -> None:
    moto.reset()
    now = put_values(moto, "Assumed", [4.0])
    source = source_for(moto, role_arn="arn:aws:iam::123456789012:role/reader")
    fields = params(
        namespace=NAMESPACE, metric="Assumed", dimensions={"Service": "checkout"}
    )
    batch = await source.fetch([request("x", fields, now)])
    assert "x" in batch.results
    credentials = source.clients.client("cloudwatch")._request_signer._credentials
    # Refreshable: botocore renews it before the STS session expires.
    assert credentials.method == "assume-role"
    assert credentials.get_frozen_credentials().access_key != "testing"


def test_keys_in_a_profile_are_refused_with_their_place() -> None:
    text = """\
profile: leaky
title: Leaky
sources:
  aws:
    type: cloudwatch
    region: us-east-1
    aws_secret_access_key: abc
dashboards:
  - id: main
    title: Main
    panels:
      - {id: a, title: A, type: text, at: {x: 0, y: 0, w: 4, h: 4}, text: hi}
"""
    with pytest.raises(ProfileError) as raised:
        load_profile_text(text, "leaky.yaml")
    message = str(raised.value)
    assert message.startswith("leaky.yaml:")
    assert "AWS keys and secrets are never accepted in a profile" in message
    assert "abc" not in message


def test_clients_never_log_the_wire() -> None:
    AwsClients(CloudWatchOptions.model_validate({"region": REGION}))
    assert logging.getLogger("botocore").getEffectiveLevel() >= logging.WARNING

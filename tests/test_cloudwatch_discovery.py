"""CloudWatch dimension values as a variable's choices: the `discover:` block for a
cloudwatch source, checked by the loader, and ListMetrics against a real moto
server on loopback (metrics put with several dimension values, then listed)."""

from __future__ import annotations

import time
import uuid

import pytest
from textual.widgets import OptionList

from console.clock import SystemClock
from console.problems import ProfileError
from console.profile_loader import load_profile_text
from console.sources import cloudwatch
from console.sources.base import SourceError
from console.sources.cloudwatch import CloudWatchOptions, CloudWatchSource
from console.sources.value_discovery import discover_values
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.variable_picker import VariableValueScreen
from tests.server_moto import REGION, MotoServer, moto_server

__all__ = ["moto_server"]

pytestmark = pytest.mark.integration

INSTANCES = ["i-0aaa", "i-0bbb", "i-0ccc", "i-0ddd"]


def profile_text(discover: str, url: str = "http://127.0.0.1:9") -> str:
    return f"""\
profile: cwdisco
title: CloudWatch discovery
variables:
  instance:
    default: i-none
    discover: {discover}
sources:
  aws: {{type: cloudwatch, region: {REGION}, endpoint_url: "{url}"}}
dashboards:
  - id: main
    title: "cpu of ${{instance}}"
    panels:
      - id: cpu
        title: CPU
        type: line_chart
        at: {{x: 0, y: 0, w: 12, h: 8}}
        query: {{source: aws, namespace: AWS/EC2, metric: CPUUtilization,
                 dimensions: {{InstanceId: "${{instance}}"}}}}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, "cw.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_a_cloudwatch_discover_block_loads() -> None:
    loaded = load_profile_text(
        profile_text("{source: aws, namespace: AWS/EC2, dimension: InstanceId}"),
        "cw.yaml",
    )
    discover = loaded.profile.variables["instance"].discover
    assert discover is not None
    assert discover.params() == {"namespace": "AWS/EC2", "dimension": "InstanceId"}


def test_a_cloudwatch_discover_block_without_a_dimension_is_located() -> None:
    (problem,) = problems(profile_text("{source: aws, namespace: AWS/EC2}"))
    assert problem.startswith("cw.yaml:6:"), problem
    assert "dimension" in problem


def test_a_prometheus_key_in_a_cloudwatch_discover_block_is_refused() -> None:
    found = problems(
        profile_text("{source: aws, namespace: AWS/EC2, dimension: Id, label: job}")
    )
    assert len(found) == 1 and found[0].startswith("cw.yaml:6:")
    assert "label" in found[0]


def put_instances(moto: MotoServer, namespace: str, metric: str) -> None:
    """Put one value for each instance, twice (two metrics share each value), and
    one metric of another dimension that must not be listed."""
    client = moto.client("cloudwatch")
    data = [
        {
            "MetricName": metric,
            "Dimensions": [
                {"Name": "InstanceId", "Value": instance},
                {"Name": "AutoScalingGroup", "Value": group},
            ],
            "Value": float(index),
        }
        for index, instance in enumerate(INSTANCES)
        for group in ("blue", "green")
    ]
    data.append(
        {
            "MetricName": metric,
            "Dimensions": [{"Name": "QueueName", "Value": "orders"}],
            "Value": 1.0,
        }
    )
    data.append(
        {
            "MetricName": "DiskReadOps",
            "Dimensions": [{"Name": "InstanceId", "Value": "i-0disk"}],
            "Value": 1.0,
        }
    )
    client.put_metric_data(Namespace=namespace, MetricData=data)


def source_for(url: str) -> CloudWatchSource:
    options = CloudWatchOptions.model_validate({"region": REGION, "endpoint_url": url})
    return CloudWatchSource("aws", options, SystemClock())


async def test_list_metrics_gives_the_distinct_dimension_values(
    moto_server: MotoServer,
) -> None:
    namespace = f"Test/{uuid.uuid4().hex[:8]}"
    put_instances(moto_server, namespace, "CPUUtilization")
    source = source_for(moto_server.url)
    asked = {"namespace": namespace, "dimension": "InstanceId"}
    every = await discover_values(source, asked)
    assert every == [*INSTANCES, "i-0disk"], "sorted, each once, no QueueName"
    of_cpu = await discover_values(source, {**asked, "metric": "CPUUtilization"})
    assert of_cpu == INSTANCES
    nothing = await discover_values(source, {**asked, "metric": "NoSuchMetric"})
    assert nothing == []


async def test_listing_stops_at_the_bound(
    moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    namespace = f"Test/{uuid.uuid4().hex[:8]}"
    put_instances(moto_server, namespace, "CPUUtilization")
    monkeypatch.setattr(cloudwatch, "MAX_DISCOVERED", 2)
    source = source_for(moto_server.url)
    found = await discover_values(
        source, {"namespace": namespace, "dimension": "InstanceId"}
    )
    assert len(found) == 2 and set(found) <= {*INSTANCES, "i-0disk"}


async def test_a_failed_listing_is_one_line_naming_the_region() -> None:
    # Nothing listens on port 9 of loopback: the SDK cannot connect.
    source = source_for("http://127.0.0.1:9")
    with pytest.raises(SourceError) as caught:
        await discover_values(source, {"namespace": "AWS/EC2", "dimension": "Id"})
    reason = caught.value.reason
    assert "\n" not in reason and REGION in reason, reason


async def test_the_selector_offers_dimension_values_and_requeries(
    moto_server: MotoServer,
) -> None:
    namespace = f"Test/{uuid.uuid4().hex[:8]}"
    put_instances(moto_server, namespace, "CPUUtilization")
    discover = f"{{source: aws, namespace: {namespace}, dimension: InstanceId}}"
    loaded = load_profile_text(profile_text(discover, moto_server.url), "cw.yaml")
    app = WatchdeckApp(loaded, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v", "enter")
        deadline = time.monotonic() + 20
        while True:
            await pilot.pause(0.1)
            assert isinstance(app.screen, VariableValueScreen)
            options = app.screen.query_one(OptionList)
            ids = [
                options.get_option_at_index(i).id for i in range(options.option_count)
            ]
            if "i-0ccc" in ids:
                break
            assert time.monotonic() < deadline, f"no values offered: {ids}"
        assert ids == [*INSTANCES, "i-0disk"], "the values ListMetrics found, sorted"
        options.highlighted = ids.index("i-0ccc")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.loaded.variables["instance"] == "i-0ccc"
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.title == "cpu of i-0ccc"

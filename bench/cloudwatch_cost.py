"""CloudWatch API calls and metrics requested per hour for the shipped AWS
operational dashboard, against a naive baseline, on a local moto server.

A moto server is started on 127.0.0.1 (the same way the tests start it), metric data
is put for every metric the dashboard reads, and then one simulated hour is polled:
the poller runs on a manual clock advanced by the dashboard's refresh (60 s), 60
times, with the real `cloudwatch` and `cloudwatch_alarms` sources sending real
requests to moto. The naive baseline, implemented here, sends one
GetMetricStatistics request per metric of every panel at every refresh, which is
what a console that polls panel by panel does. Both are counted by the requests
actually sent. Prices: GetMetricData $0.01 per 1,000 metrics requested;
GetMetricStatistics and DescribeAlarms $0.01 per 1,000 requests (AWS's public
prices, before the free tier).

    .venv/bin/python -m bench.cloudwatch_cost
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from console.clock import ManualClock
from console.cloudwatch_cost import dashboard_cost
from console.poller import Poller
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import LoadedProfile, load_profile_text
from console.session import Session
from console.sources.cloudwatch import CloudWatchSource
from console.sources.cloudwatch_alarms import CloudWatchAlarmsSource
from console.sources.cloudwatch_params import CloudWatchParams
from console.store import Store
from tests.server_moto import REGION, MotoServer, running_moto

HOUR = 3600.0
PRICE = 0.01 / 1000
"""Dollars per metric requested (GetMetricData) or per request (the others)."""

DUMMY = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": "/nonexistent/watchdeck-bench/config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/watchdeck-bench/credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def operations_profile(refresh: str = "60s") -> LoadedProfile:
    """The shipped operational profile, with its percentiles (p50, p99) read as
    Minimum and Maximum: moto answers a whole GetMetricData call with a 500 when
    one query asks for a percentile. The requests keep their number and shape."""
    text = (shipped_profiles_dir() / "aws-operations.yaml").read_text()
    text = text.replace("stat: p50", "stat: Minimum").replace(
        "stat: p99", "stat: Maximum"
    )
    text = text.replace("refresh: 60s", f"refresh: {refresh}")
    return load_profile_text(text, "aws-operations.yaml")


def metric_specs(params: CloudWatchParams) -> list[dict[str, Any]]:
    """Every metric a query reads: itself, or its expression's inputs."""
    if params.names_metric():
        return [params.model_dump()]
    return [
        {**item.model_dump(), "period": item.period or params.period}
        for item in params.metrics
        if item.names_metric()
    ]


def put_data(moto: MotoServer, specs: list[dict[str, Any]], now: float) -> None:
    """A value a minute for the last hour for each metric."""
    client = moto.client("cloudwatch")
    for spec in specs:
        client.put_metric_data(
            Namespace=spec["namespace"],
            MetricData=[
                {
                    "MetricName": spec["metric"],
                    "Dimensions": [
                        {"Name": k, "Value": v} for k, v in spec["dimensions"].items()
                    ],
                    "Timestamp": dt.datetime.fromtimestamp(now - 60 * m, dt.UTC),
                    "Value": float(m % 7),
                }
                for m in range(60)
            ],
        )


def naive_hour(
    moto: MotoServer, panels: list[list[dict[str, Any]]], now: float, refresh: float
) -> int:
    """One GetMetricStatistics per metric of each panel per refresh, for an hour;
    returns the requests sent."""
    client = moto.client("cloudwatch")
    sent = 0
    for cycle in range(int(HOUR / refresh)):
        end = now + cycle * refresh
        for specs in panels:
            for spec in specs:
                stat = spec["stat"]
                arguments: dict[str, Any] = {
                    "Namespace": spec["namespace"],
                    "MetricName": spec["metric"],
                    "Dimensions": [
                        {"Name": k, "Value": v} for k, v in spec["dimensions"].items()
                    ],
                    "StartTime": dt.datetime.fromtimestamp(end - 3 * HOUR, dt.UTC),
                    "EndTime": dt.datetime.fromtimestamp(end, dt.UTC),
                    "Period": spec["period"],
                }
                arguments["Statistics"] = [stat]
                client.get_metric_statistics(**arguments)
                sent += 1
    return sent


async def watchdeck_hour(now: float, refresh: str) -> dict[str, float]:
    """Poll the operational dashboard for an hour on a manual clock."""
    loaded = operations_profile(refresh)
    dashboard = loaded.profile.dashboards[0]
    clock = ManualClock(now)
    session = Session(loaded.profile, clock)
    poller = Poller(
        session.sources,
        Store(),
        clock,
        lambda keys: None,
        min_intervals=session.min_intervals(),
        source_timeouts=session.source_timeouts(),
        batch_sizes=session.batch_sizes(),
    )
    poller.set_demands(session.demands(dashboard))
    estimate = dashboard_cost(session, dashboard)
    try:
        for _ in range(int(HOUR / dashboard.refresh)):
            await asyncio.gather(*poller.poll_due(clock.now()))
            clock.advance(dashboard.refresh)
    finally:
        await poller.close()
        await session.close()
    metrics = [s for s in session.sources.values() if isinstance(s, CloudWatchSource)]
    alarms = [
        s for s in session.sources.values() if isinstance(s, CloudWatchAlarmsSource)
    ]
    return {
        "calls": sum(s.calls for s in metrics),
        "metrics": sum(s.metrics_requested for s in metrics),
        "alarm_calls": sum(s.calls for s in alarms),
        "estimate_metrics": estimate.metrics_per_hour if estimate else 0.0,
        "queries": float(estimate.queries if estimate else 0),
    }


def main() -> None:
    """Start moto, run both at a 60 s and a 10 s refresh, print the figures."""
    os.environ.update(DUMMY)
    with (
        tempfile.TemporaryDirectory() as scratch,
        running_moto(Path(scratch) / "moto.log") as moto,
    ):
        os.environ["AWS_ENDPOINT_URL"] = moto.url
        for refresh in ("60s", "10s"):
            moto.reset()
            run(moto, refresh)


def run(moto: MotoServer, refresh: str) -> None:
    """Both ways for one simulated hour at `refresh`; prints the figures."""
    loaded = operations_profile(refresh)
    dashboard = loaded.profile.dashboards[0]
    session = Session(loaded.profile, ManualClock(0.0))
    panels: list[list[dict[str, Any]]] = []
    for panel in dashboard.panels:
        specs: list[dict[str, Any]] = []
        for planned in session.panel_queries(panel):
            if loaded.profile.sources[planned.source].type == "cloudwatch":
                params = CloudWatchParams.model_validate(dict(planned.params))
                specs += metric_specs(params)
        if specs:
            panels.append(specs)
    now = time.time()
    put_data(moto, [spec for specs in panels for spec in specs], now)
    ours = asyncio.run(watchdeck_hour(now, refresh))
    naive = naive_hour(moto, panels, now, dashboard.refresh)
    print(
        f"AWS operational dashboard: {len(dashboard.panels)} panels, "
        f"{len(panels)} reading CloudWatch metrics, "
        f"{int(ours['queries'])} distinct queries, refresh "
        f"{dashboard.refresh:g}s, one simulated hour against moto {REGION}"
    )
    print(
        f"  watchdeck  GetMetricData calls/h: {ours['calls']:.0f}  metrics "
        f"requested/h: {ours['metrics']:.0f}  cost/h: "
        f"${ours['metrics'] * PRICE:.4f}  (header estimate: "
        f"{ours['estimate_metrics']:.0f} metrics/h)"
    )
    print(
        f"  watchdeck  DescribeAlarms calls/h: {ours['alarm_calls']:.0f}  cost/h: "
        f"${ours['alarm_calls'] * PRICE:.4f}"
    )
    print(
        f"  naive      GetMetricStatistics calls/h: {naive}  metrics "
        f"requested/h: {naive}  cost/h: ${naive * PRICE:.4f}"
    )
    print(
        f"  ratio      API calls naive/watchdeck: "
        f"{naive / max(1, ours['calls']):.1f}x  metrics (cost) naive/watchdeck: "
        f"{naive / max(1, ours['metrics']):.2f}x"
    )


if __name__ == "__main__":
    main()

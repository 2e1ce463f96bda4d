"""What a variable may ask a `cloudwatch` source to list: one dimension's values,
as ListMetrics finds them.

    discover: {source: aws, namespace: AWS/EC2, metric: CPUUtilization,
               dimension: InstanceId}
    discover: {source: aws, namespace: AWS/ApplicationELB, dimension: TargetGroup,
               dimensions: {LoadBalancer: app/web/123}}

ListMetrics is free, pages 500 metrics at a time and may return many metrics for
one value (one per combination of dimensions), so the listing stops once it holds
`MAX_DISCOVERED` distinct values or after `MAX_LIST_PAGES` pages.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from console.sources.base import QueryParams

MAX_DISCOVERED = 500
"""Distinct values one discovery returns at most."""
MAX_LIST_PAGES = 20
"""ListMetrics pages read per discovery at most (500 metrics a page)."""

_NAME = Field(min_length=1, max_length=255)


class CloudWatchDiscovery(QueryParams):
    """The values of one dimension of the metrics that match."""

    namespace: str = _NAME
    """The metrics' namespace, as `AWS/EC2`. Required."""
    dimension: str = _NAME
    """The dimension whose values the variable may take, as `InstanceId`.
    Required."""
    metric: str | None = Field(default=None, min_length=1, max_length=255)
    """Only metrics of this name, as `CPUUtilization`. Left out: any metric of the
    namespace."""
    dimensions: dict[str, str] = Field(default_factory=dict, max_length=9)
    """Only metrics that also carry these dimensions with these values, as
    `{LoadBalancer: app/web/123}`. Left out: no other condition."""
    region: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
    """Another region than the source's, as `eu-west-1`. Left out: the source's."""

    def list_metrics_arguments(self) -> dict[str, Any]:
        """The ListMetrics arguments (without NextToken) that select the metrics."""
        filters: list[dict[str, str]] = [{"Name": self.dimension}]
        filters.extend(
            {"Name": name, "Value": value} for name, value in self.dimensions.items()
        )
        arguments: dict[str, Any] = {
            "Namespace": self.namespace,
            "Dimensions": filters,
        }
        if self.metric is not None:
            arguments["MetricName"] = self.metric
        return arguments


def dimension_values(page: dict[str, Any], dimension: str) -> list[str]:
    """The values `dimension` has on the metrics of one ListMetrics page."""
    values: list[str] = []
    for metric in page.get("Metrics") or []:
        for entry in metric.get("Dimensions") or []:
            if entry.get("Name") == dimension and entry.get("Value") is not None:
                values.append(str(entry["Value"]))
    return values

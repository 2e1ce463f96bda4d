"""What a query may ask of a `cloudwatch` source: one metric, or metric math.

    query: {source: aws, namespace: AWS/ApplicationELB, metric: RequestCount,
            dimensions: {LoadBalancer: app/web/123}, stat: Sum, period: 60}
    query: {source: aws, namespace: AWS/Lambda, metric: Duration,
            dimensions: {FunctionName: checkout}, stat: p99}
    query:
      source: aws
      expression: "100 * errors / requests"
      metrics:                                  # inputs, fetched but not shown
        - {id: errors, namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count,
           dimensions: {LoadBalancer: app/web/123}, stat: Sum}
        - {id: requests, namespace: AWS/ApplicationELB, metric: RequestCount,
           dimensions: {LoadBalancer: app/web/123}, stat: Sum}

A query is never fetched more often than once per `period`: a second fetch within
the same period costs as much and returns nothing new.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from console.sources.base import QueryParams

STANDARD_STATS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum", "IQM")
"""The statistics CloudWatch names in words."""

_EXTENDED_STAT = re.compile(
    r"^(p\d{1,2}(\.\d{1,10})?|p100"
    r"|(tm|wm|tc|ts|TM|WM|TC|TS)\d{1,2}(\.\d{1,10})?"
    r"|(tm|wm|tc|ts|pr|TM|WM|TC|TS|PR)\([^()]{1,40}\))$"
)
"""Percentiles (`p99`, `p99.9`) and the trimmed and windsorized statistics, as
`tm90` or `TM(10%:90%)`."""

_SHORT_PERIODS = (1, 5, 10, 20, 30)
MAX_EXPRESSION = 2048
"""Characters CloudWatch accepts in a metric math expression."""
MAX_INPUTS = 50
"""Hidden inputs one expression may draw on; CloudWatch's own limit is 500 a call."""

Identifier = str


def check_stat(stat: str) -> str:
    """`stat` if CloudWatch knows it, else a ValueError listing what it knows."""
    if stat in STANDARD_STATS or _EXTENDED_STAT.match(stat):
        return stat
    raise ValueError(
        f"unknown statistic {stat!r}: use one of {', '.join(STANDARD_STATS)}, "
        "a percentile such as p99 or p99.9, or tm90, wm90, tc90, ts90"
    )


def check_period(period: int) -> int:
    """`period` if CloudWatch accepts it: 1, 5, 10, 20, 30 or a multiple of 60."""
    if period in _SHORT_PERIODS or (period >= 60 and period % 60 == 0):
        return period
    raise ValueError(
        f"period {period} is not one CloudWatch accepts: 1, 5, 10, 20, 30 or a "
        "multiple of 60 seconds"
    )


class MetricSpec(QueryParams):
    """One metric and how to aggregate it, or an expression: the fields a query and
    its hidden inputs share."""

    namespace: str | None = Field(default=None, min_length=1, max_length=255)
    """The metric's namespace, as `AWS/EC2` or `MyApp`. Required with `metric`."""
    metric: str | None = Field(default=None, min_length=1, max_length=255)
    """The metric's name, as `CPUUtilization`. Give either `metric` (with
    `namespace`) or `expression`."""
    dimensions: dict[str, str] = Field(default_factory=dict, max_length=30)
    """The metric's dimensions, as `{InstanceId: i-0abc}`; all of them must match
    the metric exactly. Left out: the metric without dimensions."""
    stat: str = "Average"
    """The statistic: SampleCount, Average, Sum, Minimum, Maximum, IQM, a
    percentile (`p50`, `p99`, `p99.9`) or a trimmed statistic (`tm90`,
    `TM(10%:90%)`). Default: Average."""
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    """Only data points put with this unit, as `Milliseconds`. Left out: any."""
    expression: str | None = Field(
        default=None, min_length=1, max_length=MAX_EXPRESSION
    )
    """A metric math expression over the inputs' ids, as `100 * errors /
    requests`, or a `SEARCH(...)` expression. Give either `expression` or
    `metric`."""

    _check_stat = field_validator("stat")(lambda cls, v: check_stat(v))

    def names_metric(self) -> bool:
        """True for a metric, False for an expression."""
        return self.expression is None

    def _one_of_metric_or_expression(self) -> None:
        if self.expression is not None:
            if self.metric is not None or self.namespace is not None:
                raise ValueError("give either `expression` or `metric`, not both")
            if self.dimensions:
                raise ValueError("`dimensions` belong to a metric, not an expression")
            return
        if self.metric is None or self.namespace is None:
            raise ValueError(
                "give `namespace` and `metric` (or an `expression` over `metrics`)"
            )


class MetricInput(MetricSpec):
    """A metric (or expression) that an expression draws on; fetched with the
    query but not shown (CloudWatch's `ReturnData: false`)."""

    id: str = Field(pattern=r"^[a-z][a-zA-Z0-9_]{0,99}$")
    """The name the expression uses for this input, as `errors` or `m1`: a
    lowercase letter first, then letters, digits and `_`."""
    period: int | None = Field(default=None, ge=1, le=86400 * 7)
    """Seconds per data point. Left out: the query's period."""

    _check_period = field_validator("period")(
        lambda cls, v: None if v is None else check_period(v)
    )

    @model_validator(mode="after")
    def _shape(self) -> MetricInput:
        self._one_of_metric_or_expression()
        return self


class CloudWatchParams(MetricSpec):
    """A CloudWatch query: one metric's statistic, or metric math over hidden
    inputs, over the panel's range."""

    period: int = Field(default=60, ge=1, le=86400 * 7)
    """Seconds per data point: 1, 5, 10, 20, 30 (high-resolution metrics) or a
    multiple of 60. The query is fetched at most once per period, whatever the
    panel's refresh. Default: 60."""
    metrics: list[MetricInput] = Field(default_factory=list, max_length=MAX_INPUTS)
    """expression only: the metrics (and expressions) it draws on, each with an
    `id` the expression names. They are fetched in the same call and not shown.
    Left out: an expression that names no inputs, as `SEARCH(...)`."""
    region: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
    """Another region than the source's for this query alone, as `eu-west-1`.
    Left out: the source's region."""
    id: str | None = Field(default=None, pattern=r"^[a-z][a-zA-Z0-9_]{0,99}$")
    """The query's id on an imported CloudWatch dashboard, kept so that export
    gives it back. Left out: none."""

    _check_period = field_validator("period")(lambda cls, v: check_period(v))

    @model_validator(mode="after")
    def _shape(self) -> CloudWatchParams:
        self._one_of_metric_or_expression()
        if self.metrics and self.expression is None:
            raise ValueError("`metrics` are inputs of an `expression`")
        seen: set[str] = set()
        for item in self.metrics:
            if item.id in seen:
                raise ValueError(f"two inputs share the id {item.id!r}")
            seen.add(item.id)
        return self

    def metrics_requested(self) -> int:
        """Metrics this query makes CloudWatch read per call, as AWS bills them:
        one per metric, expressions themselves free."""
        own = 1 if self.names_metric() else 0
        return own + sum(1 for item in self.metrics if item.names_metric())

    def entries(self) -> int:
        """Entries this query takes of a call's 500: itself and its inputs."""
        return 1 + len(self.metrics)

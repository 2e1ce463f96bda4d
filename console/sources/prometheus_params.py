"""What a query may ask of a `prometheus` source: a PromQL expression and how to show
its answer.

    promql: rate(prometheus_http_requests_total[1m])    a range query: one series
                                                         per label set, over the
                                                         panel's range
    instant: true                                        only the newest value of
                                                         each series
    legend: "{{handler}} {{code}}"                       series named from labels
    table: true                                          one row per series, a
                                                         column per label
"""

from __future__ import annotations

from pydantic import Field, model_validator

from console.sources.base import QueryParams

MAX_PROMQL = 10_000
"""Characters an expression may take; longer ones are refused as a likely mistake."""


class PrometheusParams(QueryParams):
    """A PromQL query, as a range of samples, the newest values, or a label table."""

    promql: str = Field(min_length=1, max_length=MAX_PROMQL)
    """The PromQL expression to evaluate, such as
    `sum by (job) (rate(prometheus_http_requests_total[5m]))`. Required."""
    instant: bool = False
    """True: ask only for the value at the present moment (`/api/v1/query`), one
    sample per series per refresh, for single values, gauges and bars. Left out
    (false): a range query (`/api/v1/query_range`) over the panel's range, with a
    step to suit the panel's width."""
    legend: str | None = Field(default=None, min_length=1, max_length=200)
    """How to name each series, with `{{label}}` standing for that label's value,
    such as `"{{instance}} {{job}}"`; a missing label reads as empty. Two series
    that end up with one name are told apart by their labels. Left out: each
    series is named by its metric name and labels, such as
    `up{instance=127.0.0.1:9090,job=prometheus}`."""
    table: bool = False
    """True: answer with a table of the series at the present moment, one row per
    series, a column per label (metric name first) and the value last; always an
    instant query. Left out (false): series for a chart."""

    @model_validator(mode="after")
    def _legend_names_series(self) -> PrometheusParams:
        if self.table and self.legend is not None:
            raise ValueError(
                "`legend` names series on a chart; a table shows every label as "
                "a column instead"
            )
        return self

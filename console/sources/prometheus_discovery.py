"""What a variable may ask a `prometheus` source to list: one label's values.

discover: {source: prom, label: job}
discover: {source: prom, label: instance, match: 'up{job="node"}'}
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from console.sources.base import QueryParams


class PrometheusDiscovery(QueryParams):
    """The values of one label, as `/api/v1/label/<name>/values` lists them."""

    label: str = Field(min_length=1, max_length=200)
    """The label whose values the variable may take, such as `job`. Required."""
    match: str | None = Field(default=None, min_length=1, max_length=2000)
    """A series selector that limits the values to those series, such as
    `up{job="node"}`. Left out: every series the server holds."""

    @field_validator("label")
    @classmethod
    def _is_a_label_name(cls, label: str) -> str:
        if not _LABEL_NAME.fullmatch(label):
            raise ValueError(
                f"{label!r} is not a Prometheus label name (letters, digits and "
                "'_', not starting with a digit)"
            )
        return label


_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")

"""What a query may ask of an `alertmanager` source: which alerts to list.

filter: ['severity="critical"', 'team=~"db|web"']   label matchers, all must hold
silenced: false                                      hide silenced alerts
group_by: [cluster, service]                         a "group" column
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from console.sources.base import QueryParams

MATCHER = re.compile(
    r'^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^\s"{},]*)\s*$'
)
"""One label matcher as Alertmanager reads it: `name`, an operator, and a value,
quoted or bare."""

LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
"""A label name as Prometheus and Alertmanager allow it."""


class AlertmanagerParams(QueryParams):
    """A query of the Alertmanager source: a filtered list of alerts, as a table."""

    show: Literal["alerts", "silences"] = "alerts"
    """`alerts`: the alerts (filtered as below). `silences`: who silenced what and
    until when: state, created by, comment, matchers, ends and id of every active
    or pending silence. Left out: alerts."""
    filter: list[str] = Field(default_factory=list, max_length=20)
    """Label matchers an alert must all satisfy, as Alertmanager writes them:
    `severity="critical"`, `job!="batch"`, `team=~"db|web"`, `env!~"dev.*"`. Left
    out: every alert."""
    active: bool = True
    """Whether alerts that are neither silenced nor inhibited are listed. Left out:
    true."""
    silenced: bool = True
    """Whether silenced alerts are listed (their state says so). Left out: true."""
    inhibited: bool = True
    """Whether alerts inhibited by another alert are listed. Left out: true."""
    group_by: list[str] = Field(default_factory=list, max_length=10)
    """Label names whose values make up a `group` column, as `name=value, ...`;
    the table is then ordered by group first. Left out: no group column."""

    @field_validator("filter")
    @classmethod
    def _matchers(cls, matchers: list[str]) -> list[str]:
        for matcher in matchers:
            if not MATCHER.match(matcher):
                raise ValueError(
                    f"{matcher!r} is not a label matcher; write it as "
                    'name="value" (or with !=, =~, !~)'
                )
        return matchers

    @field_validator("group_by")
    @classmethod
    def _label_names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not LABEL_NAME.match(name):
                raise ValueError(f"{name!r} is not a label name")
        return names

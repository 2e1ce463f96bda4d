"""The profile schema: what a role profile may say, and what each field means.

This is the contract for profile YAML. Every model refuses unknown keys. Every field
carries a docstring saying what it does and what happens when it is left out; `watchdeck
lint` and the loader report problems against these models with file, line and column.

Durations are held as seconds (floats) once parsed; in YAML they are written `30s`,
`5m`, `3h`, `7d`, and refresh rates may also be one of the names real_time, fast,
normal and slow.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from console.alerting_schema import EscalationStep, IncidentPolicy
from console.durations import parse_duration, parse_refresh

GRID_COLUMNS = 12
"""Panels are placed on a grid this many columns wide."""

Duration = Annotated[float, BeforeValidator(parse_duration)]
Refresh = Annotated[float, BeforeValidator(parse_refresh)]
Level = Annotated[float, Field(allow_inf_nan=False)]
"""A threshold or axis end: a finite number, since NaN compares false with every
value (a NaN level would never breach) and an infinite one cannot be drawn."""
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]

PanelType = Literal[
    "line_chart",
    "bar_chart",
    "pie_chart",
    "gauge",
    "single_value",
    "table",
    "heatmap",
    "alert_status",
    "status_board",
    "health_score",
    "text",
]
DashboardKind = Literal["executive", "operational", "technical", "incident", "business"]
Role = Literal[
    "executives", "operators", "engineers", "incident_responders", "business_owners"
]


class Schema(BaseModel):
    """Base of every profile model: unknown keys refused, field docstrings kept."""

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True
    )


class Position(Schema):
    """Where a panel sits on the dashboard's 12-column grid."""

    x: int = Field(ge=0, lt=GRID_COLUMNS)
    """Column of the panel's left edge, 0 to 11."""
    y: int = Field(ge=0)
    """Row of the panel's top edge, from 0. A row is one terminal line at the least;
    rows stretch when the terminal has room to spare."""
    w: int = Field(ge=1, le=GRID_COLUMNS)
    """Width in columns, 1 to 12; x + w may not pass 12."""
    h: int = Field(ge=1, le=200)
    """Height in rows."""

    @model_validator(mode="after")
    def _fits_grid(self) -> Position:
        if self.x + self.w > GRID_COLUMNS:
            raise ValueError(
                f"panel runs off the {GRID_COLUMNS}-column grid: "
                f"x {self.x} + w {self.w} = {self.x + self.w}"
            )
        return self


class Thresholds(Schema):
    """Levels at which a value turns warning or critical.

    Left out, a panel has no levels: it is ok whenever it has fresh data.
    """

    warning: Level | None = None
    """The warning level. Left out: the panel never turns warning."""
    critical: Level | None = None
    """The critical level. Left out: the panel never turns critical."""
    direction: Literal["above", "below"] = "above"
    """`above`: values at or over a level breach it (errors, latency). `below`: values
    at or under a level breach it (free disk, success rate). Default: above."""
    for_: Duration | None = Field(default=None, alias="for")
    """How long a level must stay breached before its alert fires, for example
    `2m`; until then the alert is pending. Left out: it fires at once."""

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.warning is None or self.critical is None:
            return self
        if self.direction == "above" and self.warning > self.critical:
            raise ValueError(
                f"thresholds are inverted: warning {self.warning:g} is above "
                f"critical {self.critical:g} (direction above)"
            )
        if self.direction == "below" and self.warning < self.critical:
            raise ValueError(
                f"thresholds are inverted: warning {self.warning:g} is below "
                f"critical {self.critical:g} (direction below)"
            )
        return self


class DrillLink(Schema):
    """Where Enter on a panel leads, beyond its own drill-down."""

    dashboard: Identifier
    """The id of the dashboard to open, in the same profile."""
    with_: dict[str, str] = Field(default_factory=dict, alias="with")
    """Variables to set on the way, for example `{service: checkout}`. Left out, the
    linked dashboard opens with the variables as they are."""


class HealthWeights(Schema):
    """How a `health_score` panel weighs the other panels of its dashboard."""

    panels: dict[Identifier, float] = Field(min_length=1)
    """Panel id to weight (a positive number): each panel scores 100 when OK, 50
    on warning and 0 on critical, and the health score is the weighted mean. A
    panel with no data, stale data or a failing source is left out of the mean
    and shown as unknown. The ids must be other panels of the same dashboard."""
    trend: Duration = 3600.0
    """How far back the score's change is measured and its sparkline reaches,
    for example `30m`; the history is kept in memory for this long. Default: 1h."""
    worst: int = Field(default=3, ge=1, le=10)
    """How many of the worst contributors the panel names. Default: 3."""

    @field_validator("panels")
    @classmethod
    def _weights_are_positive(cls, panels: dict[str, float]) -> dict[str, float]:
        for panel_id, weight in panels.items():
            if not weight > 0 or weight == float("inf"):
                raise ValueError(
                    f"the weight of '{panel_id}' must be a positive number"
                )
        return panels


class Query(BaseModel):
    """What a panel asks of a source: `source:` names a source of the profile, and
    the other keys are that source type's own parameters (checked against it)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    source: Identifier
    """The name of a source declared under `sources:`."""
    label: str | None = None
    """A name for this query's series in legends; left out, the source names them."""

    def params(self) -> dict[str, Any]:
        """The source-specific parameters, without `source` and `label`."""
        return dict(self.model_extra or {})


class Panel(Schema):
    """One tile of a dashboard."""

    id: Identifier
    """Unique within the dashboard; used by drill links, views and `--panel`."""
    title: str = Field(min_length=1, max_length=120)
    """Shown in the panel's top border."""
    type: PanelType
    """How the data is drawn: line_chart, bar_chart, pie_chart, gauge, single_value,
    table, heatmap, alert_status, status_board, health_score (a score from other
    panels' states, see `health`) or text."""
    at: Position
    """Where the panel sits on the 12-column grid."""
    description: str = ""
    """A sentence on what the panel shows; shown in the drill-down."""
    query: Query | None = None
    """The one query behind the panel. Use `queries` for several."""
    queries: list[Query] = Field(default_factory=list)
    """Several queries whose series are drawn together. Left out with `query` also
    left out, only a text panel is allowed."""
    range: Duration | None = None
    """How far back the panel looks. Left out: the dashboard's range."""
    refresh: Refresh | None = None
    """How often the panel's data is fetched. Left out: the dashboard's refresh."""
    thresholds: Thresholds | None = None
    """Warning and critical levels that colour the panel and raise alerts."""
    unit: str = Field(default="", max_length=16)
    """Shown after values: `%`, `ms`, `req/s`, `$`. Left out: no unit."""
    decimals: int | None = Field(default=None, ge=0, le=6)
    """Digits after the point. Left out: chosen from the value's size."""
    min: Level | None = None
    """Lower end of a gauge or chart axis. Left out: 0 for gauges, fitted for charts."""
    max: Level | None = None
    """Upper end of a gauge or chart axis. Left out: 100 for gauges, fitted for
    charts."""
    stat: Literal["last", "mean", "max", "min", "sum"] = "last"
    """How a series becomes one number (single value, gauge, bars, pie, tiles).
    Default: the last sample."""
    drill: DrillLink | None = None
    """A dashboard to open from this panel's drill-down with `g`."""
    text: str | None = None
    """Markdown shown by a text panel; required for `type: text`."""
    columns: list[str] = Field(default_factory=list)
    """Table columns to show, in order. Left out: every column the source returns."""
    sort_by: str | None = None
    """Table column sorted on first. Left out: the source's order."""
    sort_descending: bool = True
    """Sort the table from largest to smallest. Default: true."""
    runbook: str | None = Field(default=None, max_length=500)
    """A link or a line on what to do when this panel alerts; shown on the alert's
    tile, in the alerts list and in the drill-down. Left out: no runbook."""
    forecast: Duration | None = None
    """How far ahead to look for a threshold crossing, for example `30m`: the panel
    then says "critical in ~23m" when a straight-line fit of its window crosses a
    level within that time, and "no forecast" when the fit is too poor to trust.
    Needs `thresholds`. Left out: no forecast."""
    compare: Duration | None = Field(default=None, gt=0, le=31 * 86400)
    """For line charts: also draw the same window this long ago, dimmed, behind the
    live lines, for example `1d` (yesterday) or `7d` (last week), where the source
    keeps that much history. Left out: no comparison."""

    health: HealthWeights | None = None
    """For `type: health_score` only, and required there: the panels of the
    dashboard the score is made of, and their weights. The panel's `thresholds`
    (usually `direction: below`) then judge the score. Left out: no score."""

    @model_validator(mode="after")
    def _has_what_its_type_needs(self) -> Panel:
        if self.query is not None and self.queries:
            raise ValueError("give either `query` or `queries`, not both")
        if (self.health is not None) != (self.type == "health_score"):
            raise ValueError("`health` goes with `type: health_score`, and only there")
        if self.type == "health_score":
            if self.query is not None or self.queries:
                raise ValueError("a health_score panel reads panels, not queries")
        elif self.type == "text":
            if self.text is None:
                raise ValueError("a text panel needs `text`")
        elif self.query is None and not self.queries:
            raise ValueError(f"a {self.type} panel needs a `query` or `queries`")
        return self

    def all_queries(self) -> list[Query]:
        """Every query of the panel, whichever way it was written."""
        return [self.query] if self.query is not None else list(self.queries)


class Dashboard(Schema):
    """A page of panels for one audience."""

    id: Identifier
    """Unique within the profile; chosen with `--dashboard` and by drill links."""
    title: str = Field(min_length=1, max_length=120)
    """Shown in the header; may use `${variables}`."""
    kind: DashboardKind = "operational"
    """The audience: executive, operational, technical, incident or business."""
    description: str = ""
    """What the dashboard is for; shown in the dashboard list."""
    owner: str = ""
    """Who keeps the dashboard up to date (a team or a person)."""
    refresh: Refresh = 30.0
    """How often panels fetch data unless they say otherwise. Default: 30s (fast)."""
    range: Duration = 3600.0
    """How far back charts look unless a panel says otherwise. Default: 1h."""
    panels: list[Panel] = Field(min_length=1)
    """The panels, placed on the 12-column grid; at least one."""
    roles: list[Role] = Field(default_factory=list)
    """Who may open this dashboard (see the profile's `roles`). Left out: everyone
    who may open the profile."""


class VariableDiscovery(BaseModel):
    """Where the variable selector finds a variable's values: `source:` names a
    source of the profile, and the other keys are what that source type lists
    (a Prometheus source takes `label:` and an optional `match:`; a CloudWatch
    source `namespace:`, `dimension:` and optional `metric:`, `dimensions:`)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    source: Identifier
    """The name of a source declared under `sources:`."""

    def params(self) -> dict[str, Any]:
        """The source-specific parameters, without `source`."""
        return dict(self.model_extra or {})


class Variable(Schema):
    """A value a profile substitutes wherever it writes `${name}`."""

    default: str
    """The value used unless `--var name=value` or a drill link sets another."""
    choices: list[str] = Field(default_factory=list)
    """Allowed values. Left out: any value is allowed."""
    description: str = ""
    """What the variable selects; shown in the variable selector."""
    discover: VariableDiscovery | None = None
    """Ask a source for the values to offer in the selector, such as
    `{source: prom, label: job}`. Left out: the selector offers `choices`, or a
    field to type a value into."""

    @model_validator(mode="after")
    def _default_is_a_choice(self) -> Variable:
        if self.choices and self.default not in self.choices:
            raise ValueError(
                f"default {self.default!r} is not one of the choices "
                f"{', '.join(self.choices)}"
            )
        return self


class SourceSpec(BaseModel):
    """A source block: `type:` picks the kind; the other keys are that kind's
    options, checked against it."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str
    """The kind of source: testdata, host, cloudwatch, prometheus, and so on."""

    def options(self) -> dict[str, Any]:
        """The kind-specific options, without `type`."""
        return dict(self.model_extra or {})


class Profile(Schema):
    """A role profile: the dashboards one audience works from."""

    profile: Identifier
    """The profile's name, as `--profile` takes it."""
    extends: str | None = None
    """Another profile this one builds on: a profile name (the user's own first,
    then the shipped ones) or a path beside this file. Its variables, sources,
    dashboards and panels are kept unless this file names them (by key or `id`);
    what this file names replaces or adds to them. Left out: a profile of its own."""
    title: str = Field(min_length=1, max_length=120)
    """Shown in the header."""
    description: str = ""
    """What the profile is for."""
    roles: list[Role] = Field(default_factory=list)
    """Who the profile is for: executives, operators, engineers,
    incident_responders, business_owners. Left out: everyone."""
    variables: dict[Identifier, Variable] = Field(default_factory=dict)
    """Named values substituted for `${name}` anywhere below."""
    sources: dict[Identifier, SourceSpec] = Field(default_factory=dict)
    """Named sources the panels' queries refer to."""
    dashboards: list[Dashboard] = Field(min_length=1)
    """The dashboards, in the order the number keys select them; at least one."""
    escalation: list[EscalationStep] = Field(default_factory=list)
    """Steps taken while a critical alert stays unacknowledged, for example
    `[{after: 5m, action: bell_invert}, {after: 15m, action: banner}]`. Escalation
    stops when the alert is acknowledged or resolves. Left out: no escalation."""
    incident: IncidentPolicy = Field(default_factory=IncidentPolicy)
    """The incident dashboard and whether to switch to it when a critical alert
    fires. Left out: the header alone shows a critical alert."""

    def dashboard(self, dashboard_id: str) -> Dashboard | None:
        """The dashboard with this id, if there is one."""
        return next((d for d in self.dashboards if d.id == dashboard_id), None)

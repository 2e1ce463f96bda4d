"""What a query may ask of the synthetic `testdata` source, and its defaults by shape.

Defaults by shape (base, daily amplitude, noise; the value at the height of the
incident):

    shape      base   amplitude  noise  incident peak       what it looks like
    wave       50     20         0.05   base + 4 x ampl.    a daily cycle
    noise      50     10         0      base + 4 x ampl.    jitter around base
    spikes     10     40         0.10   base + 4 x ampl.    calm, with sudden spikes
    steps      50     20         0.02   base + 4 x ampl.    levels that change
    counter    1200   400        0.03   85 % of base        a rate, e.g. requests/s
    percent    45     20         0.05   base + 2.5 x ampl.  0..100, e.g. utilisation
    latency    180    15         0.05   1100                p99 latency in ms
    errors     0.3    0.08       0.10   7.5                 error rate in %
    histogram  1000   300        0.05   (buckets shift)     requests/s per latency
                                                            bucket, for heatmaps

`latency`, `errors` and `histogram` follow the scripted incident unless told not to;
the other shapes do only when `incident` says so. See `incident_script` for timings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from console.sources.base import QueryParams

Shape = Literal[
    "wave",
    "noise",
    "spikes",
    "steps",
    "counter",
    "percent",
    "latency",
    "errors",
    "histogram",
]
TableName = Literal["endpoints", "services", "regions"]

DEFAULT_SERIES = "value"
"""The series name when neither `series` nor `metric` is given."""


@dataclass(frozen=True, slots=True)
class ShapeDefaults:
    """The numbers a shape uses for whatever the query leaves out."""

    base: float
    amplitude: float
    noise: float
    incident_peak: float | None
    """None: the peak is worked out from base and amplitude (see the table above)."""
    follows_incident: bool
    non_negative: bool


SHAPE_DEFAULTS: dict[Shape, ShapeDefaults] = {
    "wave": ShapeDefaults(50.0, 20.0, 0.05, None, False, False),
    "noise": ShapeDefaults(50.0, 10.0, 0.0, None, False, False),
    "spikes": ShapeDefaults(10.0, 40.0, 0.10, None, False, False),
    "steps": ShapeDefaults(50.0, 20.0, 0.02, None, False, False),
    "counter": ShapeDefaults(1200.0, 400.0, 0.03, None, False, True),
    "percent": ShapeDefaults(45.0, 20.0, 0.05, None, False, True),
    "latency": ShapeDefaults(180.0, 15.0, 0.05, 1100.0, True, True),
    "errors": ShapeDefaults(0.3, 0.08, 0.10, 7.5, True, True),
    "histogram": ShapeDefaults(1000.0, 300.0, 0.05, None, True, True),
}

TABLE_NOISE = 0.05
"""How much table cells wobble when the query leaves out `noise`."""


class TestdataParams(QueryParams):
    """A query of the synthetic source: a shape (or a table) and its numbers."""

    # The name starts with "Test", which pytest would otherwise try to collect.
    __test__ = False

    metric: str | None = Field(default=None, min_length=1, max_length=80)
    """What the query pretends to measure. It names the one series when `series` is
    left out, and feeds the noise so that two metrics never wobble together. Left
    out: the series is called "value"."""
    shape: Shape | None = None
    """How the values move: wave, noise, spikes, steps, counter, percent, latency,
    errors or histogram (see the module's table). Left out: wave, or nothing when
    `table` is given."""
    table: TableName | None = None
    """Return a table instead of series: `endpoints` (endpoint, requests/s, errors %,
    p99 ms), `services` (service, status, instances, cpu %, p99 ms, errors %) or
    `regions` (region, requests/s, errors %, p99 ms, availability %). Left out: the
    query returns series of the chosen shape."""
    base: float | None = None
    """The normal level the series sits at. Left out: the shape's default."""
    amplitude: float | None = None
    """How far the daily cycle (or the spikes, steps or jitter) moves the value from
    base. Left out: the shape's default."""
    noise: float | None = Field(default=None, ge=0.0, le=1.0)
    """Random wobble as a fraction of the value: 0.05 moves each sample by up to 5 %.
    Left out: the shape's default."""
    series: list[str] | None = Field(default=None, min_length=1, max_length=50)
    """Names of the series to return, each with its own noise; the second and later
    ones sit up to 25 % above or below the first. With the latency shape, names like
    p50, p90 or p99.9 sit where those percentiles would, `base` being p99. Left out:
    one series, named after `metric`."""
    seed: int | None = None
    """Picks a different but equally repeatable set of values. Left out: the source's
    own `seed`."""
    min: float | None = None
    """No value goes below this. Left out: no floor, except 0 for shapes that cannot
    be negative (counter, percent, latency, errors, histogram)."""
    max: float | None = None
    """No value goes above this. Left out: no ceiling, except 100 for percent."""
    incident: bool | list[str] | None = None
    """Whether the series follow the scripted incident: true, false, or the names of
    the series that do (the others stay calm). Left out: on for latency, errors,
    histogram and tables, off for the other shapes."""
    incident_peak: float | None = None
    """The level the series reaches at the height of the incident. Left out: the
    shape's default (see the module's table)."""

    @model_validator(mode="after")
    def _consistent(self) -> TestdataParams:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}")
        if self.table is not None:
            self._refuse_with_table()
        elif self.shape == "histogram":
            for name in ("series", "incident_peak"):
                if getattr(self, name) is not None:
                    raise ValueError(
                        f"`{name}` does not apply to the histogram shape, whose "
                        "series are its latency buckets"
                    )
            if isinstance(self.incident, list):
                raise ValueError("with the histogram shape, incident is true or false")
        if isinstance(self.incident, list):
            unknown = sorted(set(self.incident) - set(self.series_names()))
            if unknown:
                raise ValueError(
                    f"incident names series that the query does not return: "
                    f"{', '.join(unknown)}"
                )
        return self

    def _refuse_with_table(self) -> None:
        # Checked by value, not by which keys were written: the session hands the
        # source a full dump of the model, defaults included.
        ignored = ("shape", "base", "amplitude", "series", "min", "max")
        given = [
            name
            for name in (*ignored, "incident_peak")
            if getattr(self, name) is not None
        ]
        if given:
            raise ValueError(
                f"{', '.join(given)} cannot be combined with `table`; a table "
                "takes only metric, seed, noise and incident (true or false)"
            )
        if isinstance(self.incident, list):
            raise ValueError("with `table`, incident is true or false")

    @property
    def drawn_shape(self) -> Shape:
        """The shape the series follow, with the default filled in."""
        return self.shape or "wave"

    def series_names(self) -> list[str]:
        """The series a shape query returns, in order (histograms name their own)."""
        if self.series is not None:
            return list(self.series)
        return [self.metric or DEFAULT_SERIES]

    def follows_incident(self, series_name: str) -> bool:
        """Whether `series_name` (or a table query) follows the incident script."""
        if isinstance(self.incident, list):
            return series_name in self.incident
        if self.incident is not None:
            return self.incident
        if self.table is not None:
            return True
        return SHAPE_DEFAULTS[self.drawn_shape].follows_incident

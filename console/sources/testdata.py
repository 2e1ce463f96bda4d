"""The synthetic source (`type: testdata`): seeded, repeatable data with real shapes.

It feeds the built-in demo and the tests. Every value is a pure function of the seed,
the query, the series name and the timestamp, so a backfill and the polls after it
agree, two runs with the same seed draw the same picture, and snapshot tests are
stable. Samples sit on multiples of the request's step since the epoch.

A scripted incident, timed from the moment the source is created, gives the demo a
warning and then a critical alert within its first minute and a recovery a few
minutes later; see `incident_script` for the timeline and `testdata_params` for what
a query may ask.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from typing import Annotated

from pydantic import BeforeValidator, Field, ValidationError

from console.clock import Clock
from console.durations import parse_duration
from console.results import (
    FetchBatch,
    FetchFailure,
    FetchRequest,
    Point,
    QueryResult,
    SeriesResult,
)
from console.sources.base import Source, SourceKind, SourceOptions
from console.sources.incident_script import (
    DEFAULT_INCIDENT_LENGTH,
    DEFAULT_INCIDENT_START,
    incident_intensity,
)
from console.sources.testdata_params import TABLE_NOISE, TestdataParams
from console.sources.testdata_shapes import (
    HISTOGRAM_BUCKETS,
    histogram_values,
    recipes,
    series_value,
)
from console.sources.testdata_tables import TableRecipe, table_at
from console.sources.validation_reason import validation_reason

MAX_POINTS = 2000
"""Most samples one series returns for one request; the newest are kept."""

_INLINE_SAMPLES = 4000
"""Above this many values a fetch is computed in a thread (at about 5 us a value,
anything less is quicker than the hop)."""

_ALIGNMENT_SLACK = 1e-9
"""Tolerance, in steps, for window edges that fall on a sample but miss it in floats."""


def _seconds(value: object) -> object:
    """Durations may be written as a number of seconds or as `30s`, `5m`, ..."""
    if isinstance(value, str):
        return parse_duration(value)
    return value


Seconds = Annotated[float, BeforeValidator(_seconds)]


class TestdataOptions(SourceOptions):
    """Options of a `type: testdata` source block."""

    # The name starts with "Test", which pytest would otherwise try to collect.
    __test__ = False

    seed: int = 0
    """Picks a different but equally repeatable set of values for every query of the
    source; a query's own `seed` overrides it. Default: 0."""
    incident_start: Seconds = Field(default=DEFAULT_INCIDENT_START, ge=0.0)
    """How long after the source is created the scripted incident begins, in seconds
    or as a duration (`20s`, `5m`). Default: 20 s, so that the demo turns warning
    within about half a minute and critical within the first minute."""
    incident_length: Seconds = Field(default=DEFAULT_INCIDENT_LENGTH, gt=0.0)
    """How long the incident lasts from its start until all is normal again, ramp and
    recovery included. Default: 240 s (critical for about three minutes)."""


class TestdataSource:
    """Synthetic series and tables computed on demand, never stored."""

    # The name starts with "Test", which pytest would otherwise try to collect.
    __test__ = False

    def __init__(self, name: str, options: TestdataOptions, clock: Clock) -> None:
        self.name = name
        self.options = options
        self._clock = clock
        self.started_at = clock.now()
        """When the source was created; the incident is timed from here."""

    def intensity_at(self, timestamp: float) -> float:
        """How intense the scripted incident is at `timestamp`, from 0 to 1."""
        return incident_intensity(
            timestamp - self.started_at,
            self.options.incident_start,
            self.options.incident_length,
        )

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Compute every request; a request with bad parameters fails alone.

        Windows are cut off at the clock's present, as a real source's would be: a
        synthetic future would show on charts and then never be revised. A large
        backfill is computed in a thread so that the keyboard stays responsive.
        """
        now = self._clock.now()
        batch = FetchBatch()
        wanted: list[tuple[TestdataParams, FetchRequest]] = []
        for request in requests:
            try:
                params = TestdataParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                continue
            if not (request.step > 0 and math.isfinite(request.step)):
                reason = (
                    f"step must be a positive number of seconds, not {request.step}"
                )
                batch.failures[request.key] = FetchFailure(reason)
                continue
            wanted.append((params, request))
        if _sample_count(wanted, now) > _INLINE_SAMPLES:
            answers = await asyncio.to_thread(self._answer_all, wanted, now)
        else:
            answers = self._answer_all(wanted, now)
        batch.results.update(answers)
        return batch

    def _answer_all(
        self, wanted: list[tuple[TestdataParams, FetchRequest]], now: float
    ) -> dict[str, QueryResult]:
        return {
            request.key: self.answer(params, request, now) for params, request in wanted
        }

    def answer(
        self, params: TestdataParams, request: FetchRequest, now: float
    ) -> QueryResult:
        """The result of one validated request, with the present at `now`."""
        seed = self.options.seed if params.seed is None else params.seed
        first, last = _aligned_range(request.start, min(request.end, now), request.step)
        if params.table is not None:
            recipe = TableRecipe(
                table=params.table,
                seed=seed,
                metric=params.metric or "",
                noise=TABLE_NOISE if params.noise is None else params.noise,
                follows_incident=params.follows_incident(params.table),
            )
            # A table is a picture of one moment: the newest sample of the window.
            timestamp = float(last * request.step)
            return table_at(recipe, timestamp, self.intensity_at(timestamp))
        stamps = [float(index * request.step) for index in range(first, last + 1)]
        return self._series(params, seed, stamps)

    def _series(
        self, params: TestdataParams, seed: int, stamps: list[float]
    ) -> SeriesResult:
        timeline = [(stamp, self.intensity_at(stamp)) for stamp in stamps]
        series: dict[str, list[Point]] = {}
        for recipe in recipes(params, seed):
            if params.drawn_shape != "histogram":
                series[recipe.name] = [
                    (stamp, series_value(recipe, stamp, intensity))
                    for stamp, intensity in timeline
                ]
                continue
            for name, _upper in HISTOGRAM_BUCKETS:
                series[name] = []
            for stamp, intensity in timeline:
                buckets = histogram_values(recipe, stamp, intensity)
                for name, value in buckets.items():
                    series[name].append((stamp, value))
        return SeriesResult(series=series, replace=False)

    async def close(self) -> None:
        """Nothing to release: the source holds no connections."""


def _sample_count(wanted: list[tuple[TestdataParams, FetchRequest]], now: float) -> int:
    """Roughly how many values computing `wanted` takes, to decide where to do it."""
    count = 0
    for params, request in wanted:
        first, last = _aligned_range(request.start, min(request.end, now), request.step)
        width = len(HISTOGRAM_BUCKETS) if params.drawn_shape == "histogram" else 1
        count += max(last - first + 1, 0) * len(params.series_names()) * width
    return count


def _aligned_range(start: float, end: float, step: float) -> tuple[int, int]:
    """Indexes (multiples of `step`) of the first and last samples in [start, end].

    At most `MAX_POINTS` samples, the newest; the range is empty when the first index
    passes the last.
    """
    first = math.ceil(start / step - _ALIGNMENT_SLACK)
    last = math.floor(end / step + _ALIGNMENT_SLACK)
    return max(first, last - MAX_POINTS + 1), last


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, TestdataOptions):
        options = TestdataOptions.model_validate(options.model_dump())
    return TestdataSource(name, options, clock)


KIND = SourceKind(
    type_name="testdata",
    options_model=TestdataOptions,
    params_model=TestdataParams,
    create=_create,
    min_interval=1.0,
    # A query may carry 50 series of 1900 samples, all computed in Python on the
    # first fetch; ten at a time keeps each call well inside the poller's deadline.
    max_batch=10,
)
"""The synthetic source, as the registry knows it."""

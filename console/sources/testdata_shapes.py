"""Synthetic shapes, each a pure function of its recipe, a timestamp and the incident.

Nothing here remembers anything between calls, so any sample can be computed alone and
comes out the same however often, and in whatever order, it is asked for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from statistics import NormalDist

from console.sources.seeded_noise import NoiseStream, signed_noise
from console.sources.testdata_params import SHAPE_DEFAULTS, Shape, TestdataParams

DAY = 86400.0
_BUSIEST_HOUR = 16.0
"""Traffic peaks at 16:00 UTC and is quietest at 04:00."""

_SPIKE_SLOT = 600.0
"""At most one spike starts in each slot of this many seconds."""
_SPIKE_CHANCE = 0.5
_SPIKE_RISE = 15.0
_SPIKE_DECAY = 90.0
"""Spikes rise and decay over these time constants (seconds). The decay is slow
enough that a chart sampled once a minute still catches most of a spike's height."""

_STEP_SLOT = 1200.0
"""A `steps` series may change level at each multiple of this many seconds."""

_COUNTER_INCIDENT_DROP = 0.15
"""Share of traffic lost at the height of the incident."""

_SPREAD = 0.25
"""Series after the first sit up to this share above or below it."""

_PERCENTILE_NAME = re.compile(r"p(\d{1,2}(?:\.\d+)?)")
"""Latency series named like p50, p95 or p99.9 are placed as those percentiles."""

HISTOGRAM_BUCKETS: tuple[tuple[str, float], ...] = (
    ("0-50ms", 50.0),
    ("50-100ms", 100.0),
    ("100-200ms", 200.0),
    ("200-400ms", 400.0),
    ("400-800ms", 800.0),
    ("800-1600ms", 1600.0),
    ("1600ms+", math.inf),
)
"""Latency buckets of the histogram shape, fastest first, with their upper bounds."""

_MEDIAN_CALM_MS = 60.0
_MEDIAN_WORST_MS = 450.0
_SPREAD_CALM = 0.55
_SPREAD_WORST = 0.7
"""The histogram's latencies are log-normal: the median moves from calm to worst as
the incident grows, and the spread (sigma of the log) widens a little."""

_Z_P99 = NormalDist().inv_cdf(0.99)


@dataclass(frozen=True, slots=True)
class SeriesRecipe:
    """Everything needed to compute one synthetic series at any timestamp."""

    shape: Shape
    seed: int
    metric: str
    name: str
    base: float
    amplitude: float
    noise: float
    peak: float
    floor: float | None
    ceiling: float | None
    follows_incident: bool
    stream: NoiseStream = field(compare=False)
    """The series' own noise, keyed by seed, shape, metric and name."""


def recipes(params: TestdataParams, source_seed: int) -> list[SeriesRecipe]:
    """One recipe per series a shape query returns, in order.

    The histogram shape gets a single recipe; its buckets come from
    `histogram_values`.
    """
    defaults = SHAPE_DEFAULTS[params.drawn_shape]
    seed = source_seed if params.seed is None else params.seed
    metric = params.metric or ""
    base = defaults.base if params.base is None else params.base
    amplitude = defaults.amplitude if params.amplitude is None else params.amplitude
    noise = defaults.noise if params.noise is None else params.noise
    peak = _peak(params, base, amplitude)
    floor = params.min
    if floor is None and defaults.non_negative:
        floor = 0.0
    ceiling = params.max
    if params.drawn_shape == "percent":
        ceiling = 100.0 if ceiling is None else min(ceiling, 100.0)
    names = (
        ["histogram"] if params.drawn_shape == "histogram" else params.series_names()
    )
    made = []
    for index, name in enumerate(names):
        scale = _series_scale(params, seed, index, name)
        made.append(
            SeriesRecipe(
                shape=params.drawn_shape,
                seed=seed,
                metric=metric,
                name=name,
                base=base * scale,
                amplitude=amplitude * scale,
                noise=noise,
                peak=peak * scale,
                floor=floor,
                ceiling=ceiling,
                follows_incident=params.follows_incident(name),
                stream=NoiseStream(seed, params.drawn_shape, metric, name),
            )
        )
    return made


def _series_scale(params: TestdataParams, seed: int, index: int, name: str) -> float:
    """How far series `name` sits from the numbers as written (1: exactly on them)."""
    if params.drawn_shape == "latency":
        percentile = _PERCENTILE_NAME.fullmatch(name)
        if percentile is not None and 0.0 < float(percentile.group(1)) < 100.0:
            # Base is p99: other percentiles of a log-normal latency sit at fixed
            # ratios to it, so p50 < p90 < p99 on a chart as in real life.
            z = NormalDist().inv_cdf(float(percentile.group(1)) / 100.0)
            return math.exp(_SPREAD_CALM * (z - _Z_P99))
    if index == 0:
        return 1.0
    # The first series keeps the numbers as written; the others are spread so that
    # several lines on one chart can be told apart.
    return 1.0 + _SPREAD * signed_noise(seed, "scale", params.metric or "", name)


def _peak(params: TestdataParams, base: float, amplitude: float) -> float:
    if params.incident_peak is not None:
        return params.incident_peak
    written = SHAPE_DEFAULTS[params.drawn_shape].incident_peak
    if written is not None:
        return written
    if params.drawn_shape == "counter":
        return base * (1.0 - _COUNTER_INCIDENT_DROP)
    if params.drawn_shape == "percent":
        return base + 2.5 * amplitude
    return base + 4.0 * amplitude


def daily_cycle(timestamp: float) -> float:
    """-1 at the quietest hour of the day (UTC), +1 at the busiest."""
    phase = (timestamp - (_BUSIEST_HOUR - 6.0) * 3600.0) / DAY
    return math.sin(2.0 * math.pi * phase)


def series_value(recipe: SeriesRecipe, timestamp: float, intensity: float) -> float:
    """The value of `recipe` at `timestamp`, when the incident is at `intensity`."""
    level = _calm_level(recipe, timestamp)
    if recipe.follows_incident:
        level += intensity * (recipe.peak - recipe.base)
    if recipe.noise:
        level *= 1.0 + recipe.noise * recipe.stream.signed_at(timestamp)
    return round(_clamp(level, recipe), 4)


def _calm_level(recipe: SeriesRecipe, timestamp: float) -> float:
    if recipe.shape == "noise":
        # The mean of two uniform draws piles up near the middle, as jitter does.
        first = recipe.stream.signed_at(timestamp, "a")
        second = recipe.stream.signed_at(timestamp, "b")
        return recipe.base + recipe.amplitude * (first + second) / 2.0
    if recipe.shape == "spikes":
        return recipe.base + _spike_height(recipe, timestamp)
    if recipe.shape == "steps":
        return recipe.base + recipe.amplitude * _step_level(recipe, timestamp)
    return recipe.base + recipe.amplitude * daily_cycle(timestamp)


def _spike_height(recipe: SeriesRecipe, timestamp: float) -> float:
    slot = math.floor(timestamp / _SPIKE_SLOT)
    height = 0.0
    # A spike reaches into the slots beside its own: its rise into the one before,
    # its decay into the one after.
    for index in (slot - 1, slot, slot + 1):
        key = f"spike {index}"
        if recipe.stream.unit_remembered(key) >= _SPIKE_CHANCE:
            continue
        peak_at = (index + recipe.stream.unit_remembered(key, "at")) * _SPIKE_SLOT
        size = recipe.amplitude * (0.5 + recipe.stream.unit_remembered(key, "size"))
        offset = timestamp - peak_at
        if offset >= 0.0:
            height += size * math.exp(-offset / _SPIKE_DECAY)
        else:
            height += size * math.exp(offset / _SPIKE_RISE)
    return height


def _step_level(recipe: SeriesRecipe, timestamp: float) -> float:
    slot = f"step {math.floor(timestamp / _STEP_SLOT)}"
    draw = 2.0 * recipe.stream.unit_remembered(slot) - 1.0
    # Five levels, -1 to +1 in halves, so changes read as steps and not as noise.
    return round(2.0 * draw) / 2.0


def _clamp(value: float, recipe: SeriesRecipe) -> float:
    if recipe.floor is not None:
        value = max(value, recipe.floor)
    if recipe.ceiling is not None:
        value = min(value, recipe.ceiling)
    return value


def histogram_values(
    recipe: SeriesRecipe, timestamp: float, intensity: float
) -> dict[str, float]:
    """Requests per second in each latency bucket at `timestamp`.

    The total follows the daily cycle around `base` and drops a little during the
    incident, while the latencies shift into the slower buckets.
    """
    total = recipe.base + recipe.amplitude * daily_cycle(timestamp)
    if not recipe.follows_incident:
        intensity = 0.0
    total *= 1.0 - _COUNTER_INCIDENT_DROP * intensity
    median = _MEDIAN_CALM_MS * (_MEDIAN_WORST_MS / _MEDIAN_CALM_MS) ** intensity
    sigma = _SPREAD_CALM + (_SPREAD_WORST - _SPREAD_CALM) * intensity
    values: dict[str, float] = {}
    below = 0.0
    for name, upper in HISTOGRAM_BUCKETS:
        up_to = _lognormal_cdf(upper, median, sigma)
        wobble = recipe.stream.signed_at(timestamp, name)
        count = total * (up_to - below) * (1.0 + recipe.noise * wobble)
        values[name] = round(_clamp(count, recipe), 4)
        below = up_to
    return values


def _lognormal_cdf(value: float, median: float, sigma: float) -> float:
    if math.isinf(value):
        return 1.0
    z = (math.log(value) - math.log(median)) / sigma
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))

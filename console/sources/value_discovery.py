"""Finding the values a variable may take, by asking its source.

A source kind that can list values (Prometheus label values; CloudWatch dimension
values through ListMetrics) names the parameters it takes in
`SourceKind.discovery_model`, and its sources implement `DiscoversValues`. The
variable selector calls `discover_values`; nothing else polls for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from console.sources.base import Source, SourceError

MAX_VALUES = 1000
"""Values a selector lists at most; a source that returns more is cut short."""


@runtime_checkable
class DiscoversValues(Protocol):
    """A source that can list the values a variable may take."""

    async def discover_values(self, params: Mapping[str, object]) -> list[str]:
        """The values `params` select, sorted; raises `SourceError` on failure."""
        ...


async def discover_values(source: Source, params: Mapping[str, object]) -> list[str]:
    """The values a variable may take, as `source` lists them (at most
    `MAX_VALUES`, without repeats). Raises `SourceError` when the source cannot
    list values or the call failed."""
    if not isinstance(source, DiscoversValues):
        raise SourceError(f"source {source.name!r} cannot list variable values")
    found = await source.discover_values(params)
    unique = list(dict.fromkeys(str(value) for value in found))
    return unique[:MAX_VALUES]

"""The contract every source keeps with the poller."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from console.clock import Clock
from console.results import FetchBatch, FetchRequest


class SourceOptions(BaseModel):
    """Options of a source block in a profile, beyond its `type`.

    Each source type subclasses this; unknown keys are refused.
    """

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True
    )


class QueryParams(BaseModel):
    """What a panel's query asks of its source, beyond `source` itself.

    Each source type subclasses this; unknown keys are refused.
    """

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True
    )


class SourceError(Exception):
    """A whole call to a source failed; the message is one line, fit for a panel."""

    def __init__(self, reason: str, *, throttled: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.throttled = throttled


class Source(Protocol):
    """A place data comes from.

    `fetch` receives every due query of one group at once, so that a source which can
    batch (one CloudWatch call carries up to 500 queries) does so. It must not block
    the event loop: blocking SDKs run in a thread. It raises `SourceError` when the
    whole call failed, and reports per-query failures in the batch otherwise.
    """

    name: str

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch: ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class SourceKind:
    """A kind of source a profile can name in `type:`, and how to build one."""

    type_name: str
    options_model: type[SourceOptions]
    params_model: type[QueryParams]
    create: Callable[[str, SourceOptions, Clock], Source]
    min_interval: float = 1.0
    """Polling faster than this (seconds) gains nothing from this kind of source."""
    discovery_model: type[QueryParams] | None = None
    """What a variable's `discover:` block may ask of this kind of source, when its
    sources can list values (see `value_discovery`). None: they cannot."""
    max_batch: int = 50
    """Queries one call may carry. A bigger group is fetched in several calls, one
    after another, each answered (and shown) as it completes, so that one slow
    batch cannot make the whole group miss its deadline."""

"""The host source (`type: host`): this machine's own CPU, memory, disks and network.

Everything is read with psutil in a worker thread, one hop per fetch whatever the
number of queries, so the event loop never waits on /proc. The source keeps no
history: each fetch answers with the newest sample only, stamped with the clock's
present, and the store builds the history. See `host_params` for the metrics.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from pydantic import ValidationError

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest
from console.sources.base import Source, SourceKind, SourceOptions
from console.sources.host_metrics import HostSampler
from console.sources.host_params import HostParams
from console.sources.validation_reason import validation_reason


class HostOptions(SourceOptions):
    """Options of a `type: host` source block: there are none; it reads the machine
    the console runs on."""


class HostSource:
    """This machine, read through psutil."""

    def __init__(self, name: str, clock: Clock) -> None:
        self.name = name
        self._clock = clock
        self._sampler = HostSampler()
        # Two overlapping fetches would interleave readings of the same counters
        # and halve each other's rate intervals; they take turns instead.
        self._turn = asyncio.Lock()

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Read every requested metric once, in one worker-thread hop.

        A query with bad parameters, or one this machine cannot answer (an unknown
        interface, no disk counters), fails alone with a one-line reason.
        """
        batch = FetchBatch()
        wanted: dict[str, HostParams] = {}
        for request in requests:
            try:
                wanted[request.key] = HostParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
        if not wanted:
            return batch
        async with self._turn:
            timestamp = self._clock.now()
            answers = await asyncio.to_thread(self._sampler.sample, wanted, timestamp)
        for key, answer in answers.items():
            if isinstance(answer, FetchFailure):
                batch.failures[key] = answer
            else:
                batch.results[key] = answer
        return batch

    async def close(self) -> None:
        """Forget remembered processes and counters."""
        async with self._turn:
            self._sampler.forget()


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    return HostSource(name, clock)


KIND = SourceKind(
    type_name="host",
    options_model=HostOptions,
    params_model=HostParams,
    create=_create,
    min_interval=1.0,
)
"""The host source, as the registry knows it."""

"""The command source (`type: command`): numbers and tables from local programs.

Off unless the person running the console turns it on. A profile can be shared or
downloaded, and running the programs it names is the user's call, never the
profile's: the command line's `--allow-commands` (or the user's own config) calls
`allow_commands()` once at start-up, before the first poll. Until then every fetch
fails with a reason that says how to turn commands on.

Programs run without a shell, in their own process group, with a small environment;
see `command_runner` for how they are bounded and ended, and `command_params` for
what a query may ask.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest, QueryResult
from console.sources.base import Source, SourceError, SourceKind, SourceOptions
from console.sources.command_output import read_output
from console.sources.command_params import CommandParams
from console.sources.command_runner import CommandFailed, environment, run_program
from console.sources.json_reading import ReadingError
from console.sources.validation_reason import validation_reason

log = logging.getLogger(__name__)

COMMANDS_OFF = "commands are off; start watchdeck with --allow-commands to run them"
"""Why every query of a command source fails while commands are off."""

CONCURRENT_PROGRAMS = 2
"""Programs of one poll running at once: a bastion is shared."""


@dataclass(slots=True)
class _Switch:
    allowed: bool = False


_SWITCH = _Switch()
"""Whether this process may run commands; see `allow_commands`."""


def allow_commands(allowed: bool = True) -> None:
    """Let command sources run their programs (or stop them again).

    For the command line to call from `--allow-commands` or the user's config,
    never from anything a profile says. Takes effect from the next poll.
    """
    _SWITCH.allowed = allowed
    log.info("commands %s", "allowed" if allowed else "off")


def commands_allowed() -> bool:
    """Whether command sources may run their programs in this process."""
    return _SWITCH.allowed


class CommandOptions(SourceOptions):
    """Options of a `type: command` source block: there are none; each query names
    its own program."""


class CommandSource:
    """Local programs, run on each poll."""

    def __init__(self, name: str, clock: Clock, *, allowed: bool | None = None) -> None:
        """`allowed` overrides the process-wide switch for this source alone (for
        tests). Left out: `allow_commands()` decides, at each fetch."""
        self.name = name
        self._clock = clock
        self._allowed = allowed

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Run every requested program, a few at a time, each bounded by its own
        timeout and output cap. Raises SourceError while commands are off."""
        allowed = self._allowed if self._allowed is not None else commands_allowed()
        if not allowed:
            raise SourceError(COMMANDS_OFF)
        batch = FetchBatch()
        turns = asyncio.Semaphore(CONCURRENT_PROGRAMS)

        async def answer(request: FetchRequest) -> None:
            try:
                params = CommandParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                return
            async with turns:
                outcome = await _run(params, request.end)
            if isinstance(outcome, FetchFailure):
                log.debug(
                    "%s: %s failed: %s", self.name, params.argv[0], outcome.reason
                )
                batch.failures[request.key] = outcome
            else:
                batch.results[request.key] = outcome

        await asyncio.gather(*(answer(request) for request in requests))
        return batch

    async def close(self) -> None:
        """Nothing to release: no program outlives the poll that ran it."""


async def _run(params: CommandParams, end: float) -> QueryResult | FetchFailure:
    try:
        output = await run_program(
            params.argv,
            timeout=params.timeout,
            max_bytes=params.max_bytes,
            env=environment(params.env),
        )
        return read_output(output, params, end)
    except (CommandFailed, ReadingError) as error:
        return FetchFailure(str(error))


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    return CommandSource(name, clock)


KIND = SourceKind(
    type_name="command",
    options_model=CommandOptions,
    params_model=CommandParams,
    create=_create,
    min_interval=2.0,
)
"""The command source, as the registry knows it."""

"""Running one program for the `command` source, and making sure it ends.

The program runs without a shell, in a process group of its own, with stdin from
/dev/null and a small environment. Whatever happens (it finishes, overruns its
time, prints too much, or the poll is cancelled) the whole group is ended and the
program reaped, so a hung script cannot leave children behind on a shared host.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Sequence

from console.sources.reason_text import clipped, size_label

log = logging.getLogger(__name__)

BASE_ENVIRONMENT = ("PATH", "LANG", "HOME")
"""Variables every program gets from the console's environment, when set."""

FALLBACK_PATH = "/usr/local/bin:/usr/bin:/bin"
"""PATH for programs when the console itself has none."""

GRACE = 1.0
"""Seconds between asking a process group to stop (SIGTERM) and forcing it."""

STDERR_KEPT = 4096
"""Bytes of stderr kept to explain a failure; the rest is read and dropped."""

CHUNK = 64 * 1024

_cleanups: set[asyncio.Task[None]] = set()
"""Group shutdowns still running after their poll was cancelled; held so that the
event loop does not drop them half done."""


class CommandFailed(Exception):
    """A program could not run or did not succeed; the message is one line fit for
    a panel."""


class _TooMuchOutput(Exception):
    pass


def environment(extra: Sequence[str]) -> dict[str, str]:
    """The environment a program gets: PATH, LANG and HOME, plus the variables
    named in `extra`, each only when the console's environment has it."""
    passed = {
        name: os.environ[name]
        for name in (*BASE_ENVIRONMENT, *extra)
        if name in os.environ
    }
    passed.setdefault("PATH", FALLBACK_PATH)
    return passed


async def run_program(
    argv: Sequence[str], *, timeout: float, max_bytes: int, env: dict[str, str]
) -> bytes:
    """Run `argv` and return its standard output.

    Raises CommandFailed when the program cannot start, runs past `timeout`
    seconds, prints more than `max_bytes`, or exits other than 0.
    """
    program = argv[0]
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise CommandFailed(f"no program {clipped(program, 100)!r} on PATH") from None
    except PermissionError:
        raise CommandFailed(f"{clipped(program, 100)} is not executable") from None
    except OSError as error:
        cause = error.strerror or type(error).__name__
        raise CommandFailed(f"cannot start {clipped(program, 100)}: {cause}") from None
    try:
        async with asyncio.timeout(timeout):
            stdout, stderr = await _output(process, max_bytes)
            code = await process.wait()
    except TimeoutError:
        raise CommandFailed(f"timed out after {timeout:g}s") from None
    except _TooMuchOutput:
        raise CommandFailed(f"output over {size_label(max_bytes)}") from None
    finally:
        await _end_group_surely(process)
    if code != 0:
        raise CommandFailed(_exit_reason(code, stderr))
    return stdout


async def _output(
    process: asyncio.subprocess.Process, limit: int
) -> tuple[bytes, bytes]:
    assert process.stdout is not None and process.stderr is not None
    # stderr is drained alongside stdout: a program blocked writing to a full
    # stderr pipe would otherwise never finish its stdout.
    stderr_task = asyncio.create_task(_head(process.stderr, STDERR_KEPT))
    try:
        chunks: list[bytes] = []
        size = 0
        while chunk := await process.stdout.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _TooMuchOutput
            chunks.append(chunk)
        return b"".join(chunks), await stderr_task
    finally:
        stderr_task.cancel()


async def _head(stream: asyncio.StreamReader, keep: int) -> bytes:
    kept = b""
    while chunk := await stream.read(CHUNK):
        if len(kept) < keep:
            kept += chunk[: keep - len(kept)]
    return kept


async def _end_group_surely(process: asyncio.subprocess.Process) -> None:
    """End the program's process group, even when the poll is being cancelled."""
    cleanup = asyncio.create_task(_end_group(process))
    _cleanups.add(cleanup)
    cleanup.add_done_callback(_cleanups.discard)
    # Shielded: a second cancellation of the poll must not stop the shutdown
    # halfway and leave the group running.
    await asyncio.shield(cleanup)


async def _end_group(process: asyncio.subprocess.Process) -> None:
    """SIGTERM to the whole group, SIGKILL after the grace period, then reap.

    The group's id is the program's pid (a new session makes it the leader). After
    the program is reaped, its children keep the group, so its id cannot be handed
    to a new process while any of them lives; once none does, killpg finds no one.
    """
    group = process.pid
    if not _signal_group(group, signal.SIGTERM):
        await process.wait()
        return
    log.debug("ending process group %d of %d", group, process.pid)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GRACE
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(GRACE):
            await process.wait()
    while loop.time() < deadline and _signal_group(group, 0):
        await asyncio.sleep(0.02)
    _signal_group(group, signal.SIGKILL)
    await process.wait()


def _signal_group(group: int, signum: int) -> bool:
    """Send `signum` to the group; False when no process is left in it."""
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        return False
    except PermissionError:
        # A member changed its user (a setuid program); it is out of reach, and
        # the rest of the group has been signalled.
        return True
    return True


def _exit_reason(code: int, stderr: bytes) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    lines = stderr.decode("utf-8", errors="replace").splitlines()
    first = next((line for line in lines if line.strip()), "")
    return f"exited {code}: {clipped(first, 100)}" if first else f"exited {code}"

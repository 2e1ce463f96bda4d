"""Readings of this machine through psutil, taken in the host source's worker thread.

Percentages of CPU and rates of bytes are differences between two readings of the
machine's counters. The sampler keeps the previous reading of each, so a rate is over
the time since that metric was last read, whoever asked for it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

import psutil

from console.results import FetchFailure, QueryResult, SeriesResult
from console.sources.host_params import DEFAULT_LIMIT, HostMetric, HostParams
from console.sources.host_processes import ProcessScanner

PSEUDO_FILESYSTEMS = frozenset(
    {
        "autofs",
        "binfmt_misc",
        "bpf",
        "cgroup",
        "cgroup2",
        "configfs",
        "debugfs",
        "devfs",
        "devpts",
        "devtmpfs",
        "efivarfs",
        "fuse.lxcfs",
        "fuse.snapfuse",
        "fusectl",
        "hugetlbfs",
        "mqueue",
        "nsfs",
        "overlay",
        "proc",
        "pstore",
        "ramfs",
        "rpc_pipefs",
        "securityfs",
        "squashfs",
        "sysfs",
        "tmpfs",
        "tracefs",
    }
)
"""Filesystem types that hold no data of their own worth a disk-usage bar."""

_SYSTEM_TREES = ("/proc/", "/sys/", "/dev/", "/snap/")
"""Mount points under these are the system's plumbing, not disks."""

MIN_RATE_SPAN = 0.25
"""Seconds a rate or a CPU figure must span at the least; over less, the counters'
granularity (CPU time moves in ticks of 10 ms) would show as noise, so a read that
soon after the previous one gives no point."""

Reading = dict[str, float | None]
"""Series name to its newest value; None when there is no value this time (the first
reading of a rate, or a counter that went backwards)."""


_Held = TypeVar("_Held")


class CounterMemory(Generic[_Held]):
    """The previous reading of each counter, and when it was taken.

    Readings are timed with the monotonic clock, not the console's clock: counters
    move in real time even when a test holds the console's clock still.
    """

    def __init__(self) -> None:
        self._held: dict[str, tuple[float, _Held]] = {}

    def keep(self, key: str, reading: _Held) -> None:
        """Hold `reading` as the previous reading of `key`."""
        self._held[key] = (time.monotonic(), reading)

    def exchange(self, key: str, reading: _Held) -> tuple[float, _Held] | None:
        """The seconds since the previous reading of `key`, and that reading; the
        new `reading` takes its place.

        None when there is no previous reading, or it is younger than
        `MIN_RATE_SPAN`; a reading that young is kept, so that the next exchange
        spans long enough.
        """
        now = time.monotonic()
        previous = self._held.get(key)
        if previous is not None and now - previous[0] < MIN_RATE_SPAN:
            return None
        self._held[key] = (now, reading)
        if previous is None:
            return None
        return now - previous[0], previous[1]

    def clear(self) -> None:
        """Forget every reading."""
        self._held.clear()


class Unavailable(Exception):
    """One query cannot be answered on this machine; the reason is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HostSampler:
    """Takes readings of this machine and remembers what rates need.

    Not safe to call from two threads at once; the host source serialises calls.
    """

    def __init__(self) -> None:
        # CPU use is measured against the times read here, so the first poll after
        # start already has a figure, as psutil.cpu_percent(interval=None) would.
        self._cpu_times: CounterMemory[list[Sequence[float]]] = CounterMemory()
        self._cpu_times.keep("total", [psutil.cpu_times()])
        self._cpu_times.keep("cores", list(psutil.cpu_times(percpu=True)))
        self._primed_at = time.monotonic()
        self._counters: CounterMemory[tuple[float, ...]] = CounterMemory()
        self._processes = ProcessScanner()
        self._readers: dict[HostMetric, Callable[[HostParams], Reading]] = {
            "cpu": self._cpu,
            "cpu_per_core": self._cpu_per_core,
            "load": self._load,
            "memory": self._memory,
            "swap": self._swap,
            "disk_usage": self._disk_usage,
            "disk_io": self._disk_io,
            "net_io": self._net_io,
            "processes": self._process_count,
        }

    def sample(
        self, wanted: Mapping[str, HostParams], timestamp: float
    ) -> dict[str, QueryResult | FetchFailure]:
        """Answer every query in `wanted` (by request key), stamped `timestamp`.

        Equal queries under different keys share one reading: reading a counter twice
        in a row would leave the second with a rate over almost no time.
        """
        answers: dict[str, QueryResult | FetchFailure] = {}
        by_query: dict[str, QueryResult | FetchFailure] = {}
        # The process table goes first: its first scan pauses, and that pause also
        # ages the CPU priming read, so that CPU figures need not wait on their own.
        ordered = sorted(
            wanted.items(), key=lambda item: item[1].metric != "top_processes"
        )
        for key, params in ordered:
            identity = params.model_dump_json()
            if identity not in by_query:
                by_query[identity] = self._answer(params, timestamp)
            answers[key] = by_query[identity]
        return answers

    def forget(self) -> None:
        """Drop remembered processes and counters, as when the source closes."""
        self._processes.forget()
        self._counters.clear()

    def _answer(
        self, params: HostParams, timestamp: float
    ) -> QueryResult | FetchFailure:
        try:
            if params.metric == "top_processes":
                return self._processes.top(params.limit or DEFAULT_LIMIT)
            reading = self._readers[params.metric](params)
        except Unavailable as error:
            return FetchFailure(error.reason)
        except (OSError, psutil.Error) as error:
            return FetchFailure(f"could not read {params.metric}: {error}")
        series = {
            name: [] if value is None else [(timestamp, value)]
            for name, value in reading.items()
        }
        return SeriesResult(series=series, replace=False)

    def _wait_out_priming(self) -> None:
        """Sleep (in the worker thread) until the priming read is old enough.

        The first poll usually comes within moments of start, too soon after the
        priming read for an honest figure; waiting here costs the keyboard nothing.
        """
        time.sleep(max(0.0, self._primed_at + MIN_RATE_SPAN - time.monotonic()))

    def _cpu(self, params: HostParams) -> Reading:
        self._wait_out_priming()
        times = psutil.cpu_times()
        previous = self._cpu_times.exchange("total", [times])
        if previous is None:
            return {"cpu": None}
        return {"cpu": busy_percent(previous[1][0], times)}

    def _cpu_per_core(self, params: HostParams) -> Reading:
        self._wait_out_priming()
        cores: list[Sequence[float]] = list(psutil.cpu_times(percpu=True))
        names = [f"core {index}" for index in range(len(cores))]
        previous = self._cpu_times.exchange("cores", cores)
        # A core that came or went leaves the old times belonging to other cores.
        if previous is None or len(previous[1]) != len(cores):
            return dict.fromkeys(names)
        return {
            name: busy_percent(old, new)
            for name, old, new in zip(names, previous[1], cores, strict=True)
        }

    def _load(self, params: HostParams) -> Reading:
        one, five, fifteen = psutil.getloadavg()
        return {"1m": round(one, 2), "5m": round(five, 2), "15m": round(fifteen, 2)}

    def _memory(self, params: HostParams) -> Reading:
        memory = psutil.virtual_memory()
        if not params.in_bytes:
            return {"used %": memory.percent}
        # "used" is what the percentage counts (all but what is available), so the
        # two units agree; psutil's own `used` leaves out caches and differs.
        return {
            "used": float(memory.total - memory.available),
            "available": float(memory.available),
        }

    def _swap(self, params: HostParams) -> Reading:
        swap = psutil.swap_memory()
        if not params.in_bytes:
            return {"used %": swap.percent}
        return {"used": float(swap.used), "free": float(swap.free)}

    def _disk_usage(self, params: HostParams) -> Reading:
        reading: Reading = {}
        for path in params.mounts or real_mounts():
            try:
                usage = psutil.disk_usage(path)
            except OSError as error:
                if params.mounts:
                    raise Unavailable(
                        f"cannot read disk usage of {path}: {error.strerror or error}"
                    ) from error
                # A discovered mount we may not read (or one just unmounted) is
                # left off the chart rather than failing the whole panel.
                continue
            reading[path] = float(usage.used) if params.in_bytes else usage.percent
        return reading

    def _disk_io(self, params: HostParams) -> Reading:
        if params.disk is None:
            total = psutil.disk_io_counters()
            if total is None:
                raise Unavailable("this machine reports no disk I/O counters")
            counters = total
        else:
            disks = psutil.disk_io_counters(perdisk=True) or {}
            if params.disk not in disks:
                raise Unavailable(_missing("disk", params.disk, disks))
            counters = disks[params.disk]
        values = (float(counters.read_bytes), float(counters.write_bytes))
        return self._rates(f"disk_io {params.disk}", ("read", "write"), values)

    def _net_io(self, params: HostParams) -> Reading:
        nics = psutil.net_io_counters(pernic=True)
        if params.interface is not None:
            if params.interface not in nics:
                raise Unavailable(_missing("network interface", params.interface, nics))
            chosen = [nics[params.interface]]
        else:
            loopback = loopback_interfaces()
            chosen = [nic for name, nic in nics.items() if name not in loopback]
        sent = float(sum(nic.bytes_sent for nic in chosen))
        received = float(sum(nic.bytes_recv for nic in chosen))
        key = f"net_io {params.interface}"
        return self._rates(key, ("sent", "received"), (sent, received))

    def _process_count(self, params: HostParams) -> Reading:
        return {"processes": float(len(psutil.pids()))}

    def _rates(
        self, key: str, names: Sequence[str], values: tuple[float, ...]
    ) -> Reading:
        """Per-second rates of the counters `values` since they were last read."""
        previous = self._counters.exchange(key, values)
        if previous is None:
            return dict.fromkeys(names)
        elapsed, before = previous
        reading: Reading = {}
        for name, old, new in zip(names, before, values, strict=True):
            # A counter that went backwards was reset (a driver reloaded, an
            # interface recreated) or wrapped: there is no honest rate this time.
            reading[name] = None if new < old else round((new - old) / elapsed, 1)
        return reading


def busy_percent(before: Sequence[float], after: Sequence[float]) -> float | None:
    """How busy a CPU was between two `psutil.cpu_times` readings, 0 to 100.

    Counts as psutil.cpu_percent does: idle and iowait are idle time, and guest time
    is already inside user time on Linux. None when no time passed between them.
    """
    total_before, idle_before = _split_cpu_time(before)
    total_after, idle_after = _split_cpu_time(after)
    total = total_after - total_before
    if total <= 0:
        return None
    busy = total - (idle_after - idle_before)
    return round(min(max(100.0 * busy / total, 0.0), 100.0), 1)


def _split_cpu_time(times: Sequence[float]) -> tuple[float, float]:
    """Total and idle seconds of one cpu_times reading."""
    total = sum(times)
    total -= getattr(times, "guest", 0.0) + getattr(times, "guest_nice", 0.0)
    idle = getattr(times, "idle", 0.0) + getattr(times, "iowait", 0.0)
    return total, idle


def real_mounts() -> list[str]:
    """Mount points of real filesystems, one per device, sorted; "/" at the least.

    Containers bind-mount single files (/etc/hosts) from the host's disk; those,
    pseudo filesystems and second mounts of a device are left out.
    """
    devices: set[str] = set()
    mounts: list[str] = []
    # Shortest mount point first, so a device seen twice is listed at its top.
    partitions = sorted(
        psutil.disk_partitions(all=False),
        key=lambda partition: (len(partition.mountpoint), partition.mountpoint),
    )
    for partition in partitions:
        point = partition.mountpoint
        if partition.fstype in PSEUDO_FILESYSTEMS or point.startswith(_SYSTEM_TREES):
            continue
        if partition.device in devices or not os.path.isdir(point):
            continue
        devices.add(partition.device)
        mounts.append(point)
    return sorted(mounts) or ["/"]


def loopback_interfaces() -> set[str]:
    """Names of the loopback interfaces, whose traffic never leaves the machine."""
    stats = psutil.net_if_stats()
    return {
        name
        for name, stat in stats.items()
        if "loopback" in stat.flags.split(",") or name == "lo"
    }


def _missing(what: str, name: str, present: Mapping[str, object]) -> str:
    names = sorted(present)
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"no {what} named {name!r}; this machine has {shown or 'none'}"

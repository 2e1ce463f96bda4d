"""What a query may ask of the `host` source: one metric of this machine.

    metric         series (or table)                        unit
    cpu            cpu                                      % of all cores
    cpu_per_core   core 0, core 1, ...                      % of one core
    load           1m, 5m, 15m                              load average
    memory         used %  (unit: bytes -> used, available) % or bytes
    swap           used %  (unit: bytes -> used, free)      % or bytes
    disk_usage     one per mount point, e.g. /, /home        % or bytes used
    disk_io        read, write                              bytes/s
    net_io         sent, received                           bytes/s
    processes      processes                                count
    top_processes  table: pid, name, user, cpu %, memory %, rss MB

Rates (disk_io, net_io) come from the change in the machine's counters since the
previous poll, so the first poll after start has no point for them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from console.sources.base import QueryParams

HostMetric = Literal[
    "cpu",
    "cpu_per_core",
    "load",
    "memory",
    "swap",
    "disk_usage",
    "disk_io",
    "net_io",
    "processes",
    "top_processes",
]

DEFAULT_LIMIT = 10
"""Processes listed by top_processes when the query does not say."""

_ONLY_FOR: dict[str, tuple[HostMetric, ...]] = {
    "unit": ("memory", "swap", "disk_usage"),
    "interface": ("net_io",),
    "disk": ("disk_io",),
    "mounts": ("disk_usage",),
    "limit": ("top_processes",),
}
"""Parameters that mean something for some metrics only."""


class HostParams(QueryParams):
    """A query of the host source: which metric of this machine to read."""

    metric: HostMetric
    """What to read: cpu, cpu_per_core, load, memory, swap, disk_usage, disk_io,
    net_io, processes or top_processes (see the module's table). Required."""
    unit: Literal["percent", "bytes"] | None = None
    """memory, swap and disk_usage only. `percent` gives one "used %" series (one per
    mount point for disk_usage); `bytes` gives used and available bytes (memory),
    used and free (swap), or used bytes per mount point. Left out: percent."""
    interface: str | None = Field(default=None, min_length=1)
    """net_io only: the network interface to read, such as eth0. Left out: every
    interface except loopback, added together."""
    disk: str | None = Field(default=None, min_length=1)
    """disk_io only: the disk to read, such as sda or nvme0n1. Left out: every disk,
    added together."""
    mounts: list[str] | None = Field(default=None, min_length=1, max_length=50)
    """disk_usage only: the paths to report, each its own series. Left out: every
    mounted disk, skipping pseudo filesystems (tmpfs, proc, overlay, squashfs and
    the like) and listing a device mounted twice only once."""
    limit: int | None = Field(default=None, ge=1, le=200)
    """top_processes only: how many processes to list, busiest first. Left out: 10."""

    @model_validator(mode="after")
    def _parameters_fit_metric(self) -> HostParams:
        # Checked by value, not by which keys were written: the session hands the
        # source a full dump of the model, defaults included.
        for name, metrics in _ONLY_FOR.items():
            if getattr(self, name) is not None and self.metric not in metrics:
                raise ValueError(
                    f"`{name}` applies only to {' and '.join(metrics)}, "
                    f"not to {self.metric}"
                )
        return self

    @property
    def in_bytes(self) -> bool:
        """Whether memory, swap or disk_usage are wanted in bytes, not percent."""
        return self.unit == "bytes"

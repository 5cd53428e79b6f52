"""Time and memory budgets of one load, checked from inside the read loops.

The job timeout (an hour) is the worker's last resort, and a work-horse
that swaps or is OOM-killed says nothing useful.  A load gets a deadline
and a ceiling on the resident memory of its process; the loops that read a
file (CSV lines, workbook parts as they inflate, shared strings, rows) call
`check()`, which fails the load with a clear message within a fraction of a
second of the budget being passed.  Resident memory is read from
/proc/self/statm (a counter of what is really in use now, unlike
getrusage's peak), at most every PROBE_SECONDS so the hot loops stay fast.

`RLIMIT_AS` would also stop allocations done inside Rust or C (calamine),
but it caps address space, not memory: pyarrow's thread pools and glibc
arenas reserve gigabytes they never touch, so it fails good loads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import resource
import time
from collections.abc import Iterator

# The module, not the name: readers imports this module at its top.
from ckanext.opendata_th.ingest import readers

PROBE_SECONDS = 0.1
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

TIME_MESSAGE = "The load took longer than its budget of %(limit)s seconds and was stopped"
MEMORY_MESSAGE = "Reading the file needed more than %(limit)s MB of memory and was stopped"


def resident_bytes() -> int:
    """Memory this process uses now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclasses.dataclass
class Budget:
    seconds: float
    memory_bytes: int
    started: float = dataclasses.field(default_factory=time.monotonic)
    _next_probe: float = 0.0

    @property
    def deadline(self) -> float:
        return self.started + self.seconds

    def check(self) -> None:
        """Raise IngestError once the load is past its time or memory budget (cheap between probes)."""
        now = time.monotonic()
        if now < self._next_probe:
            return
        self._next_probe = now + PROBE_SECONDS
        if now > self.deadline:
            raise readers.IngestError(TIME_MESSAGE, limit=round(self.seconds))
        if resident_bytes() > self.memory_bytes:
            raise readers.IngestError(MEMORY_MESSAGE, limit=self.memory_bytes // 2**20)

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


_active: Budget | None = None


@contextlib.contextmanager
def active(budget: Budget) -> Iterator[Budget]:
    """Make `budget` the one `check()` enforces while the block runs (one load per work-horse)."""
    global _active
    previous, _active = _active, budget
    try:
        yield budget
    finally:
        _active = previous


def check() -> None:
    """Check the active load's budget; nothing when no load is running (tests, scripts)."""
    if _active is not None:
        _active.check()

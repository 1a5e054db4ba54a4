"""The memory ceiling of an engine step: while a step runs, the process may map at most MAX_MEMORY more bytes than
it had when the step began (RLIMIT_AS, Linux). An allocation past it fails with MemoryError, which the sandbox turns
into a ScriptBudgetError naming the ceiling; the limit is lifted when the last running step ends.

The budget's size guards (budget.py) bound each object a script makes; this bounds what many of them add up to
(100,000 strings of a million characters each would be 100 GB). It is process-wide: in a threaded server another
thread's allocations count against the same ceiling while a step runs, so keep the default well above what a request
needs. Without `resource` (not Linux) the ceiling is not applied.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import resource
except ImportError:  # pragma: no cover - not on Linux
    resource = None

MAX_MEMORY = int(os.environ.get("MINYI_SCRIPT_MEMORY_MB", "256")) * 1024 * 1024

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int] | None = None
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def mapped_bytes() -> int:
    """The process's address space now (what RLIMIT_AS limits)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * _PAGE


@contextmanager
def memory_ceiling(extra: int = MAX_MEMORY) -> Iterator[None]:
    """Within the block the process may map at most `extra` more bytes (nested blocks share the outermost one)."""
    global _depth, _saved
    if resource is None or extra <= 0:
        yield
        return
    with _lock:
        if _depth == 0:
            try:
                soft, hard = resource.getrlimit(resource.RLIMIT_AS)
                limit = mapped_bytes() + extra
                if hard != resource.RLIM_INFINITY:
                    limit = min(limit, hard)
                if soft == resource.RLIM_INFINITY or soft > limit:
                    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
                    _saved = (soft, hard)
            except (OSError, ValueError):
                _saved = None  # no /proc, or not allowed: run without a ceiling
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                resource.setrlimit(resource.RLIMIT_AS, _saved)
                _saved = None

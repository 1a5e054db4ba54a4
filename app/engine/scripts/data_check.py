"""Task data holds JSON values only: what a script leaves behind must survive the save.

A generator, bytes, a set, a function or an int too long to print would otherwise fail later, in
the serializer, without naming the script that made it. Allowed: str, int (at most
MAX_INT_DIGITS digits), finite float, bool, None, list, tuple (saved as a list), dict with str
keys, and the types the serializer registers and the engine itself hands in (datetime, date,
time, timedelta, Decimal, UUID; helpers return ISO strings, so scripts rarely see them).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from ..errors import ScriptDataError

MAX_INT_DIGITS = 4_300  # Python refuses to print longer ints (sys.int_max_str_digits)
MAX_NODES = 1_000_000  # values in one task's data, counted with repetitions (a shared list counts each time)
_SCALARS = (str, bool, type(None))
_REGISTERED = (datetime, date, time, timedelta, Decimal, UUID)
_JSON = "task data holds JSON values only (str, int, float, bool, None, list, dict)"
_BIG = 10**MAX_INT_DIGITS


def check_task_data(data: dict[str, Any]) -> None:
    """Raise ScriptDataError naming the first variable whose value is not JSON."""
    budget = [MAX_NODES]
    for name, value in data.items():
        if isinstance(value, _SCALARS):
            continue
        problem = _problem(value, budget)
        if problem is not None:
            raise ScriptDataError(f"left '{name}' as {problem}; {_JSON}")


def _problem(value: Any, budget: list[int]) -> str | None:
    budget[0] -= 1
    if budget[0] < 0:
        return f"a value of more than {MAX_NODES} items"
    if isinstance(value, _SCALARS):
        return None
    if isinstance(value, int):
        return f"an integer of more than {MAX_INT_DIGITS} digits" if abs(value) >= _BIG else None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"the float {value!r}"
    if isinstance(value, list | tuple):
        for item in value:
            problem = _problem(item, budget)
            if problem is not None:
                return problem
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"a dict with the {type(key).__name__} key {key!r:.40}"
            problem = _problem(item, budget)
            if problem is not None:
                return problem
        return None
    if isinstance(value, _REGISTERED):
        return None
    return _article(type(value).__name__)


def _article(kind: str) -> str:
    if kind == "bytes":
        return "bytes"
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"

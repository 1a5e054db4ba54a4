"""How much a container holds, nested: what printing or comparing it walks in one C call, shared parts once per
reference (2,000 references to one list of a million elements is two billion steps)."""

from __future__ import annotations

from typing import Any

CONTAINERS = (dict, list, tuple, set, frozenset)
_SCALARS = frozenset({int, float, bool, type(None)})


def nested_within(value: Any, limit: int) -> bool:
    """Whether `value` holds at most `limit` elements and characters in all. Each container's size is counted before
    its elements are looked at, so the check itself stays within the limit; a container of numbers only is counted
    by its length (its types are read in C)."""
    left, stack = limit, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str | bytes):
            left -= len(item)
        elif isinstance(item, CONTAINERS):
            left -= len(item)
            if left < 0:
                return False
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif not set(map(type, item)) <= _SCALARS:
                stack.extend(item)
        if left < 0:
            return False
    return True

"""The builtins and methods scripts call, guarded by the step's budget (see budget.py).

Builtins that consume iterables in C (sum, sorted, list, min, max, any, all, ...) charge the length
of a sized argument against the iteration budget; the lazy ones (map, filter, enumerate, reversed)
hand out counting iterators; `range` refuses more than MAX_ITEMS elements and `pow` big results.
str methods that pad or multiply (ljust, rjust, center, zfill, expandtabs, replace, join) and
list.extend refuse results longer than MAX_ITEMS.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import Any

from .budget import (
    MAX_ITEMS,
    SEQUENCES,
    SIZED,
    active_budget,
    check_compared,
    check_length,
    check_printable,
    counted,
    guarded_pow,
)


def bounded_range(*args: int) -> range:
    result = range(*args)
    try:
        length = len(result)
    except OverflowError:
        length = MAX_ITEMS + 1
    if length > MAX_ITEMS:
        active_budget().refuse(f"a range of more than {MAX_ITEMS} elements")
    return result


def _charging(function: Callable[..., Any], compares: bool = False) -> Callable[..., Any]:
    """A builtin that consumes its iterable arguments in C: sized ones cost their length up front,
    iterators made in the sandbox tick as they go; one that compares (sorted, min, max) checks what its
    arguments hold in all, as a comparison does."""

    def charged(*args: Any, **kwargs: Any) -> Any:
        budget = active_budget()
        if len(args) == 1 and isinstance(args[0], SIZED):  # max(a, b) compares two values, iterates none
            budget.spend(len(args[0]))
        if compares:
            for argument in args:
                check_compared(argument)
        return function(*args, **kwargs)

    charged.__name__ = function.__name__
    return charged


def _counting(function: Callable[..., Any]) -> Callable[..., Any]:
    """A lazy builtin (map, zip, ...) whose result ticks for every element it yields."""

    def counting(*args: Any, **kwargs: Any) -> Iterator[Any]:
        return counted(function(*args, **kwargs), active_budget())

    counting.__name__ = function.__name__
    return counting


def _sum(iterable: Any, /, start: Any = 0) -> Any:
    budget = active_budget()
    if isinstance(start, SEQUENCES):  # sum(lists, []) concatenates: check the length first
        items = list(counted(iter(iterable), budget))
        check_length(len(start) + sum(len(i) if isinstance(i, SIZED) else 0 for i in items))
        iterable = items
    elif isinstance(iterable, SIZED):
        budget.spend(len(iterable))
    return sum(iterable, start)


def guarded_builtins() -> dict[str, Any]:
    """Replacements for the builtins scripts may call. The types (list, dict, set, ...) stay themselves,
    so that isinstance() keeps working: copying a bounded container is bounded work, and loops around
    it tick; only `str`, which prints containers of any depth, is guarded (and stays a type)."""
    charged = {fn.__name__: _charging(fn) for fn in (any, all)}
    charged |= {fn.__name__: _charging(fn, compares=True) for fn in (min, max, sorted, hash)}
    lazy = {fn.__name__: _counting(fn) for fn in (map, filter, enumerate, reversed)}
    return {**charged, **lazy, "str": GuardedStr, "repr": _guarded_repr, "sum": _sum, "range": bounded_range,
            "pow": guarded_pow}


def _guarded_repr(value: Any) -> str:
    check_printable(value)
    return repr(value)


class _StrType(type):
    """isinstance(x, str) and issubclass(k, str) answer for the real str."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, str)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, str)


class GuardedStr(str, metaclass=_StrType):
    """`str(x)`: refused when x is a container whose text would be too long; returns a real str."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if args:
            check_printable(args[0])
        return str(*args, **kwargs)


def _padding(method: Callable[..., Any]) -> Callable[..., Any]:
    def padded(width: Any, *args: Any) -> Any:
        check_length(operator.index(width), "characters")
        return method(width, *args)

    return padded


def _join(text: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    def joined(iterable: Any) -> Any:
        items = iterable if isinstance(iterable, list | tuple) else list(counted(iter(iterable), active_budget()))
        active_budget().spend(len(items))
        check_length(sum(len(i) for i in items if isinstance(i, str | bytes)) + len(text) * max(len(items) - 1, 0),
                  "characters")
        return method(items)

    return joined


def _replace(text: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    def replaced(old: Any, new: Any, count: int = -1) -> Any:
        if len(new) > len(old):
            found = text.count(old) if count < 0 else min(count, text.count(old))
            check_length(len(text) + found * (len(new) - len(old)), "characters")
        return method(old, new, count)

    return replaced


def _expandtabs(text: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    def expanded(tabsize: int = 8) -> Any:
        check_length(len(text) + text.count("\t" if isinstance(text, str) else b"\t") * max(operator.index(tabsize), 0),
                  "characters")
        return method(tabsize)

    return expanded


def _translate(text: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    def translated(table: Any) -> Any:
        if isinstance(table, dict):  # str.translate: each character may become a long string
            active_budget().spend(len(table))
            longest = max((len(v) for v in table.values() if isinstance(v, str | bytes)), default=1)
            check_length(len(text) * max(longest, 1), "characters")
        return method(table)

    return translated


_STR_METHODS: dict[str, Callable[[Any, Callable[..., Any]], Callable[..., Any]]] = {
    "ljust": lambda _text, m: _padding(m),
    "rjust": lambda _text, m: _padding(m),
    "center": lambda _text, m: _padding(m),
    "zfill": lambda _text, m: _padding(m),
    "join": _join,
    "replace": _replace,
    "expandtabs": _expandtabs,
    "translate": _translate,
}


def _extend(items: list, method: Callable[..., Any]) -> Callable[..., Any]:
    def extended(iterable: Any) -> Any:
        if isinstance(iterable, SIZED):
            check_length(len(items) + len(iterable))
        return method(iterable)

    return extended


_GUARDED_NAMES = frozenset({*_STR_METHODS, "extend"})


def guard_method(ob: Any, name: str, value: Any) -> Any:
    """Wrap the str/bytes/list methods whose result size the arguments decide."""
    if name not in _GUARDED_NAMES:
        return value
    if isinstance(ob, str | bytes):
        wrap = _STR_METHODS.get(name)
        if wrap is not None:
            return wrap(ob, value)
    elif isinstance(ob, list) and name == "extend":
        return _extend(ob, value)
    return value

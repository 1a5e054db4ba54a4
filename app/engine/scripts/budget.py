"""A budget for every script, condition and expression: loop iterations, wall-clock time and sizes.

RestrictedPython blocks escapes but limits no resources. The sandbox's policy (sandbox.py) rewrites
the code it compiles so that the guards here run where resources are spent:

- every `for` iteration and comprehension iteration goes through `_getiter_` (a counting iterator),
  every `while` body, function body and lambda starts with `_budget_tick_()`; a tick costs one
  counter decrement and one `time.monotonic()`;
- `*`, `**`, `<<`, `+`, `%` (and `*=`, `+=`) become calls that refuse a result that would be too big
  *before* computing it (a str/bytes/list/tuple longer than MAX_ITEMS, an int wider than MAX_INT_BITS);
- builtins and str/list methods are replaced or wrapped (guarded_calls.py): consumers of iterables
  charge their length, lazy ones count, `range` and padding refuse sizes over MAX_ITEMS;
- f-string parts, `str()`, `repr()` and %-formats refuse widths over MAX_ITEMS and containers whose
  text would pass MAX_ITEMS characters (str.format is refused by RestrictedPython altogether);
- each script run and each expression evaluation costs one tick as well.

The budget is per engine *step*: runtime.py opens one (`step_budget()`) around each public entry
point, lint around each evaluation. Code run with no budget open gets a fresh one per evaluation.
Once exceeded a budget stays exceeded, so a script that catches the error still fails.

Comparisons (`==`, `<`, `in`, ...) and sorted/min/max/hash check that their container operands hold at most
MAX_ITEMS elements in all, nested and shared parts counted (nested.py): one C call cannot walk billions of shared
references. str.translate refuses results past MAX_ITEMS. The step runs under a memory ceiling (memory.py, 256 MB
more than the process had): many medium objects kept alive fail there.

Not bounded (see tests/unit/test_budget.py for what is): `list(x)`, `dict(x)`, `set(x)` copy up to MAX_ITEMS
elements uncharged; recursion is left to Python's recursion limit (a RecursionError, not a budget error).
"""

from __future__ import annotations

import operator
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..errors import ScriptBudgetError, ScriptError
from .memory import memory_ceiling
from .nested import nested_within

MAX_ITERATIONS = 100_000  # loop iterations (and elements consumed by builtins) per engine step
MAX_SECONDS = 2.0  # wall-clock time per engine step, checked at every tick
LINT_ITERATIONS = 10_000  # per lint evaluation
LINT_SECONDS = 0.5
MAX_ITEMS = 1_000_000  # length of a str/bytes/list/tuple made by an operator, elements of a range, a width
MAX_INT_BITS = 10_000  # an int made by *, ** or << (about 3,000 decimal digits)

SIZED = (str, bytes, list, tuple, dict, set, frozenset, range, type({}.keys()), type({}.values()), type({}.items()))
SEQUENCES = (str, bytes, list, tuple)
_monotonic = time.monotonic


class Budget:
    """What one engine step may still spend."""

    __slots__ = ("deadline", "exceeded", "iterations", "left", "seconds")

    def __init__(self, iterations: int = MAX_ITERATIONS, seconds: float = MAX_SECONDS):
        self.iterations, self.seconds = iterations, seconds
        self.left = iterations
        self.deadline = _monotonic() + seconds
        self.exceeded: str | None = None

    def tick(self) -> None:
        self.left -= 1
        if self.left < 0 or _monotonic() > self.deadline:
            self._exhausted()

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0 or _monotonic() > self.deadline:
            self._exhausted()

    def refuse(self, what: str) -> None:
        """Fail the step: `what` (e.g. "a string of more than 1000000 characters") was asked for."""
        self.exceeded = self.exceeded or what
        raise ScriptBudgetError(self.exceeded)

    def check(self) -> None:
        """Raise when the budget was exceeded, even if a script caught the error."""
        if self.exceeded is not None:
            raise ScriptBudgetError(self.exceeded)

    def _exhausted(self) -> None:
        if self.exceeded is None:
            self.exceeded = (f"more than {self.iterations} loop iterations" if self.left < 0
                             else f"more than {self.seconds:g} s of run time")
        raise ScriptBudgetError(self.exceeded)


_current: ContextVar[Budget | None] = ContextVar("minyi_script_budget", default=None)


@contextmanager
def step_budget(iterations: int = MAX_ITERATIONS, seconds: float = MAX_SECONDS) -> Iterator[Budget]:
    """A fresh budget for the code run inside the block (this thread/context only), under the memory ceiling."""
    budget = Budget(iterations, seconds)
    token = _current.set(budget)
    try:
        with memory_ceiling():
            yield budget
    finally:
        _current.reset(token)


def current_budget() -> Budget | None:
    return _current.get()


def active_budget() -> Budget:
    budget = _current.get()
    if budget is None:  # the sandbox opens one around each evaluation; this is a safety net
        raise ScriptBudgetError("script guard called outside a budget")
    return budget


# -- guards the rewritten code calls ------------------------------------------------------------


def budget_tick() -> None:
    active_budget().tick()


def counted(iterator: Iterator[Any], budget: Budget) -> Iterator[Any]:
    monotonic = _monotonic
    for item in iterator:
        budget.left -= 1  # Budget.tick, inlined: this runs for every element
        if budget.left < 0 or monotonic() > budget.deadline:
            budget._exhausted()
        yield item


SMALL = 16  # a loop over this few elements is charged up front (each element's own work is bounded)
_SMALL_KINDS = frozenset({list, tuple, dict, str, range, set, frozenset})


def getiter(ob: Any) -> Iterator[Any]:
    """`_getiter_`: every element of a for loop or comprehension costs one tick."""
    budget = active_budget()
    if type(ob) in _SMALL_KINDS and len(ob) <= SMALL:
        budget.spend(len(ob))
        return iter(ob)
    return counted(iter(ob), budget)


def check_length(length: int, what: str = "items") -> None:
    if length > MAX_ITEMS:
        active_budget().refuse(f"a result of more than {MAX_ITEMS} {what}")


def _int_too_wide(bits: int) -> None:
    if bits > MAX_INT_BITS:
        active_budget().refuse(f"an integer of more than {MAX_INT_BITS} bits")


def _repeat(sequence: Any, times: Any) -> None:
    count = operator.index(times)
    if count > 1:
        check_length(len(sequence) * count)
        if isinstance(sequence, list | tuple):  # [[0] * 10**6] * 10**5: the copies share, printing does not
            check_length(count * sum(len(item) for item in sequence if isinstance(item, SIZED)))


def guarded_mul(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:  # the common case first
        if a.bit_length() + b.bit_length() > MAX_INT_BITS:
            _int_too_wide(a.bit_length() + b.bit_length())
        return a * b
    if isinstance(a, SEQUENCES):
        _repeat(a, b)
    elif isinstance(b, SEQUENCES):
        _repeat(b, a)
    elif isinstance(a, int) and isinstance(b, int):
        _int_too_wide(a.bit_length() + b.bit_length())
    return a * b


def guarded_pow(a: Any, b: Any, modulo: Any = None) -> Any:
    if modulo is not None:
        return pow(a, b, modulo)  # modular exponentiation stays small
    if isinstance(a, int) and isinstance(b, int) and b > 0 and a not in (0, 1, -1):
        if b > MAX_INT_BITS:
            _int_too_wide(b)
        _int_too_wide(a.bit_length() * b)
    return a**b


def guarded_lshift(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and a and b > 0:
        if b > MAX_INT_BITS:
            _int_too_wide(b)
        _int_too_wide(a.bit_length() + b)
    return a << b


def guarded_add(a: Any, b: Any) -> Any:
    if type(a) is int or type(a) is float:
        return a + b
    if isinstance(a, SEQUENCES) and isinstance(b, SEQUENCES):
        check_length(len(a) + len(b))
    return a + b


_WIDTH = re.compile(r"\d+")


def _check_format_text(text: str) -> None:
    """Widths and precisions written in a format spec or a %-format."""
    for digits in _WIDTH.findall(text):
        if len(digits) > 7 or int(digits) > MAX_ITEMS:
            active_budget().refuse(f"a format width of more than {MAX_ITEMS}")


def guarded_mod(a: Any, b: Any) -> Any:
    if type(a) is int:
        return a % b
    if isinstance(a, str | bytes):
        text = a if isinstance(a, str) else a.decode("latin-1")
        if "%" in text:  # '%1000000000d' % 1, '%*d' % (10**9, 1), '%s' % (a_huge_nested_list,)
            _check_format_text("".join(re.findall(r"%[^a-zA-Z%]*", text)))
            check_printable(b)
            if "*" in text:
                for value in b if isinstance(b, tuple) else (b,):
                    if isinstance(value, int) and abs(value) > MAX_ITEMS:
                        active_budget().refuse(f"a format width of more than {MAX_ITEMS}")
    return a % b


_CONVERSIONS: dict[int, Callable[[Any], str]] = {115: str, 114: repr, 97: ascii}


def formatted(value: Any, conversion: int, spec: str) -> str:
    """An f-string part: `f'{x}'`, `f'{x!r}'`, `f'{x:>{width}}'`."""
    if type(value) is str and not spec:
        return value
    _check_format_text(spec)
    check_printable(value)
    if conversion in _CONVERSIONS:
        value = _CONVERSIONS[conversion](value)
    return format(value, spec)


def check_printable(value: Any) -> None:
    """Refuse to print a container whose text would be longer than MAX_ITEMS (shared parts count each time)."""
    if isinstance(value, list | tuple | dict | set | frozenset) and not nested_within(value, MAX_ITEMS):
        active_budget().refuse(f"a text of more than {MAX_ITEMS} characters")


def check_compared(value: Any) -> Any:
    """`_compared_`: an operand of ==, <, in, ... or of sorted/min/max/hash. Comparing containers walks everything
    they hold, shared parts once per reference (2,000 references to one list of a million is two billion steps in
    one C call): refused past MAX_ITEMS elements in all."""
    if isinstance(value, list | tuple | dict | set | frozenset) and len(value) > 0 and not nested_within(value, MAX_ITEMS):
        active_budget().refuse(f"comparing containers of more than {MAX_ITEMS} elements in all")
    return value



def inplace(op: str, x: Any, y: Any) -> Any:
    """`_inplacevar_`: `n += 1` and friends (RestrictedPython rewrites them to this call)."""
    if op == "+=":
        return guarded_add(x, y)
    if op == "*=":
        return guarded_mul(x, y)
    if op in _INPLACE:
        return _INPLACE[op](x, y)
    raise ScriptError(f"operator {op} is not allowed")


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "-=": operator.sub,
    "/=": operator.truediv,
    "//=": operator.floordiv,
    "%=": guarded_mod,
    "|=": operator.or_,
    "&=": operator.and_,
}

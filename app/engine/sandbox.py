"""The script environment: BPMN expressions and scripts compiled by RestrictedPython.

Refuses imports, file access, eval/exec and attribute escapes such as
`().__class__.__base__.__subclasses__()`; keeps ordinary Python conditions,
comprehensions, f-strings and the helper functions handed in by the caller.
Compiled code is cached per source text. It does not cap CPU or memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .errors import ScriptError
from .steps import set_case

_ISO_LITERAL = re.compile(
    r"^\s*(R\d*/)?(P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
    r"|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)\s*$"
)

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("min", "max", "sum", "any", "all", "sorted", "enumerate", "list", "dict", "set", "reversed", "map", "filter")
}


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+=": lambda a, b: a + b,
        "-=": lambda a, b: a - b,
        "*=": lambda a, b: a * b,
        "/=": lambda a, b: a / b,
        "//=": lambda a, b: a // b,
        "%=": lambda a, b: a % b,
        "|=": lambda a, b: a | b,
        "&=": lambda a, b: a & b,
    }
    if op not in ops:
        raise ScriptError(f"operator {op} is not allowed")
    return ops[op](x, y)


RESTRICTED_GLOBALS: dict[str, Any] = {
    "__builtins__": {**safe_builtins, **_EXTRA_BUILTINS},
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
}


class CompileError(ScriptError):
    pass


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's policy, plus: no imports at all (refused when compiling, not when running)."""

    def visit_Import(self, node):
        self.error(node, "import is not allowed in process scripts")
        return node

    visit_ImportFrom = visit_Import


@lru_cache(maxsize=4096)
def compile_expression(source: str):
    """Compile an expression under RestrictedPython; raise CompileError with its messages."""
    return _checked(compile_restricted_eval(source, "<expression>", policy=_Policy))


@lru_cache(maxsize=1024)
def compile_script(source: str):
    """Compile a script (statements) under RestrictedPython; raise CompileError with its messages."""
    return _checked(compile_restricted_exec(source, "<script>", policy=_Policy))


def _checked(result):
    if result.errors or result.code is None:
        raise CompileError("; ".join(result.errors) or "does not compile")
    return result.code


def is_iso_literal(text: str) -> bool:
    return bool(_ISO_LITERAL.match(text or ""))


class RestrictedEnvironment(TaskDataEnvironment):
    """A TaskDataEnvironment that only runs RestrictedPython-compiled code."""

    def __init__(self, helpers: Mapping[str, Callable[..., Any]] | None = None):
        super().__init__({**RESTRICTED_GLOBALS, **(helpers or {})})

    def evaluate(self, expression, context, external_context=None):
        if is_iso_literal(expression):
            return expression.strip()
        code = compile_expression(expression)
        scope = dict(self.globals)
        if external_context:
            scope.update(external_context)
        scope.update(context)
        return eval(code, scope)

    def execute(self, script, context, external_context=None):
        code = compile_script(script)
        self.check_for_overwrite(context, external_context or {})
        context.update(self.globals)
        if external_context:
            context.update(external_context)
        try:
            exec(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True


class MinyiScriptEngine(PythonScriptEngine):
    """Keeps the unit of a deadline a timer expression computed (working or calendar days) on the task,
    so that pausing a case can move it by the right kind of days."""

    def evaluate(self, task, expression, external_context=None):
        result = super().evaluate(task, expression, external_context)
        unit = getattr(result, "unit", None)
        if unit is not None:
            task.internal_data["unit"] = unit
        return result


def make_script_engine(helpers: Mapping[str, Callable[..., Any]] | None = None) -> PythonScriptEngine:
    """A script engine for running instances: the sandbox, the given helpers and `set_case`."""
    return MinyiScriptEngine(environment=RestrictedEnvironment({"set_case": set_case, **(helpers or {})}))

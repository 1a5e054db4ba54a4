"""The script environment: BPMN expressions and scripts compiled by RestrictedPython.

Refuses imports, file access, eval/exec and attribute escapes such as
`().__class__.__base__.__subclasses__()`; keeps ordinary Python conditions,
comprehensions, f-strings and the helper functions handed in by the caller.
Compiled code is cached per source text. Every loop, comprehension, function call and
size-making operator is rewritten to spend from a budget (see budget.py): a step that loops
forever, builds a 10 GB string or a billion-bit integer fails with a ScriptBudgetError instead.
A script's task data is checked to hold JSON values only (see data_check.py).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from ..errors import ScriptBudgetError, ScriptDataError, ScriptError
from ..steps import set_case
from . import budget, guarded_calls
from .data_check import check_task_data
from .memory import MAX_MEMORY

_ISO_LITERAL = re.compile(
    r"^\s*(R\d*/)?(P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
    r"|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)\s*$"
)

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("min", "max", "sum", "any", "all", "sorted", "enumerate", "list", "dict", "set", "reversed", "map", "filter")
}


RESTRICTED_GLOBALS: dict[str, Any] = {
    "__builtins__": {**safe_builtins, **_EXTRA_BUILTINS,
                     **{k: v for k, v in guarded_calls.guarded_builtins().items() if k in safe_builtins or k in _EXTRA_BUILTINS}},
    "_getattr_": lambda ob, name, *default: guarded_calls.guard_method(ob, name, safer_getattr(ob, name, *default)),
    "_getitem_": default_guarded_getitem,
    "_getiter_": budget.getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": budget.inplace,
    "_budget_tick_": budget.budget_tick,
    "_mul_": budget.guarded_mul,
    "_pow_": budget.guarded_pow,
    "_lshift_": budget.guarded_lshift,
    "_add_": budget.guarded_add,
    "_mod_": budget.guarded_mod,
    "_compared_": budget.check_compared,
    "_formatted_": budget.formatted,
}
_BINOP_GUARDS = {ast.Mult: "_mul_", ast.Pow: "_pow_", ast.LShift: "_lshift_", ast.Add: "_add_", ast.Mod: "_mod_"}


class CompileError(ScriptError):
    pass


def _call(name: str, args: list[ast.expr], where: ast.AST) -> ast.Call:
    return _located(ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[]), where)


def _located(node, where: ast.AST):
    return ast.fix_missing_locations(ast.copy_location(node, where))


def _tick(where: ast.AST) -> ast.Expr:
    return _located(ast.Expr(_call("_budget_tick_", [], where)), where)


def _small_number(node: ast.expr) -> bool:
    """A literal number too small for any operator to blow up: `60 * 60`, `2 ** 10`."""
    return (isinstance(node, ast.Constant) and type(node.value) in (int, float) and abs(node.value) <= 1000)


def _compared(node: ast.expr) -> ast.expr:
    """An operand of a comparison, checked by `_compared_` unless it is a literal number or string."""
    if isinstance(node, ast.Constant):
        return node
    return _call("_compared_", [node], node)


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's policy, plus: no imports at all (refused when compiling, not when running),
    and the budget's guards: a tick at the top of every while body, function body and lambda (for
    loops and comprehensions tick through `_getiter_`), and size checks on *, **, <<, + and %."""

    def visit_Import(self, node):
        self.error(node, "import is not allowed in process scripts")
        return node

    visit_ImportFrom = visit_Import

    def visit_While(self, node):
        node = super().visit_While(node)
        node.body.insert(0, _tick(node))
        return node

    def visit_FunctionDef(self, node):
        node = super().visit_FunctionDef(node)
        node.body.insert(0, _tick(node))
        return node

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        # `_budget_tick_()` returns None, so `None or body` is the body's value.
        node.body = _located(ast.BoolOp(op=ast.Or(), values=[_call("_budget_tick_", [], node), node.body]), node)
        return node

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        guard = _BINOP_GUARDS.get(type(node.op))
        if guard is None or (_small_number(node.left) and _small_number(node.right)):
            return node
        if isinstance(node.op, ast.Add | ast.Mod) and _small_number(node.left):
            return node  # a number plus or modulo anything is no bigger than its operands
        return _call(guard, [node.left, node.right], node)

    def visit_Compare(self, node):
        node = super().visit_Compare(node)
        node.left = _compared(node.left)
        node.comparators = [_compared(c) for c in node.comparators]
        return node

    def visit_FormattedValue(self, node):
        node = super().visit_FormattedValue(node)
        spec = node.format_spec if node.format_spec is not None else ast.Constant("")
        call = _call("_formatted_", [node.value, ast.Constant(node.conversion), spec], node)
        return _located(ast.FormattedValue(value=call, conversion=-1, format_spec=None), node)


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
        spending = budget.current_budget()
        try:
            if spending is None:  # evaluated outside an engine step: a budget of its own
                with budget.step_budget() as spending:
                    result = eval(code, scope)
            else:
                spending.tick()  # each evaluation counts: a process looping through gateways ends too
                result = eval(code, scope)
        except MemoryError:
            _out_of_memory(spending)
        spending.check()
        return result

    def execute(self, script, context, external_context=None):
        code = compile_script(script)
        self.check_for_overwrite(context, external_context or {})
        context.update(self.globals)
        if external_context:
            context.update(external_context)
        spending = budget.current_budget()
        try:
            if spending is None:
                with budget.step_budget() as spending:
                    exec(code, context)
            else:
                spending.tick()
                exec(code, context)
        except MemoryError:
            _out_of_memory(spending)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        spending.check()
        check_task_data(context)
        return True


def _out_of_memory(spending) -> None:
    message = f"more than {MAX_MEMORY // 2**20} MB of memory"
    if spending is None:
        raise ScriptBudgetError(message)
    spending.refuse(message)


class MinyiScriptEngine(PythonScriptEngine):
    """Keeps the unit of a deadline a timer expression computed (working or calendar days) on the task,
    so that pausing a case can move it by the right kind of days."""

    def evaluate(self, task, expression, external_context=None):
        try:
            result = self.environment.evaluate(expression, task.data, external_context)
        except ScriptError as exc:  # a budget or data error: name the element, keep the message
            raise located(exc, task.task_spec) from exc
        except SpiffWorkflowException as exc:
            exc.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as exc:
            raise WorkflowTaskException(f"Error evaluating expression '{expression}'", task=task, exception=exc) from exc
        unit = getattr(result, "unit", None)
        if unit is not None:
            task.internal_data["unit"] = unit
        return result

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except ScriptError as exc:
            raise located(exc, task.task_spec) from exc
        except Exception as exc:
            raise self.create_task_exec_exception(task, script, exc) from exc


def located(exc: ScriptError, task_spec) -> ScriptError:
    """The same error, its message starting with the element: "script task 'plan': more than ..."."""
    separator = " " if isinstance(exc, ScriptDataError) else ": "
    return type(exc)(f"{element_of(task_spec)}{separator}{exc}")


def element_of(task_spec) -> str:
    """How an error names a BPMN element: "script task 'plan'", "exclusive gateway 'gw'"."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", type(task_spec).__name__).lower()
    name = getattr(task_spec, "bpmn_id", None) or task_spec.name.removesuffix(" [child]")
    return f"{kind} '{name}'"


def make_script_engine(helpers: Mapping[str, Callable[..., Any]] | None = None) -> PythonScriptEngine:
    """A script engine for running instances: the sandbox, the given helpers and `set_case`."""
    return MinyiScriptEngine(environment=RestrictedEnvironment({"set_case": set_case, **(helpers or {})}))

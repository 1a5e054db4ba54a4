"""Expressions run under RestrictedPython: ordinary conditions work, escapes are refused."""

import pytest

from app.engine.scripts.sandbox import CompileError, RestrictedEnvironment, compile_expression, is_iso_literal

ESCAPES = [
    "__import__('os').system('true')",
    "().__class__.__base__.__subclasses__()",
    "[c for c in ().__class__.__mro__[1].__subclasses__()]",
    "open('/etc/passwd').read()",
    "eval('1+1')",
    "exec('x=1')",
    "getattr((), '__class__')",
    "globals()",
    "compile('1', 'x', 'eval')",
    "(lambda: 0).__code__",
    "category.__class__",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_escape_vectors_are_refused(source):
    with pytest.raises((CompileError, NameError, AttributeError, TypeError)):
        RestrictedEnvironment().evaluate(source, {"category": "complaint"})


@pytest.mark.parametrize("script", ["import os", "from os import path", "import subprocess as s"])
def test_import_statements_do_not_compile(script):
    env = RestrictedEnvironment()
    with pytest.raises(CompileError):
        env.execute(script, {})


def test_ordinary_conditions_comprehensions_and_fstrings_work():
    env = RestrictedEnvironment()
    data = {"category": "complaint", "severity": 4, "items": [1, 2, 3], "d": {"k": "v"}}
    assert env.evaluate("category == 'complaint' and severity >= 3", data) is True
    assert env.evaluate("[x * 2 for x in items if x > 1]", data) == [4, 6]
    assert env.evaluate("f'{category}-{severity}'", data) == "complaint-4"
    assert env.evaluate("d['k'] + d.get('missing', '!')", data) == "v!"
    assert env.evaluate("max(items) + len(items) + sum(items)", data) == 12


def test_scripts_assign_task_data_and_in_place_operators_work():
    env = RestrictedEnvironment()
    data = {"n": 1}
    env.execute("n += 2\nlabels = sorted({'b', 'a'})\nfirst, second = labels", data)
    assert data == {"n": 3, "labels": ["a", "b"], "first": "a", "second": "b"}


def test_helper_functions_are_callable_and_cannot_be_overwritten():
    env = RestrictedEnvironment({"double": lambda x: x * 2})
    assert env.evaluate("double(21)", {}) == 42
    with pytest.raises(ValueError):
        env.execute("x = 1", {"double": 3})


def test_compiled_code_is_cached_per_source():
    compile_expression.cache_clear()
    compile_expression("a + 1")
    compile_expression("a + 1")
    assert compile_expression.cache_info().hits == 1


@pytest.mark.parametrize("literal", ["P5D", "PT4H", "R3/P2D", "2030-01-01T09:00:00Z", "2030-01-01T09:00:00+08:00", "2030-01-01"])
def test_bare_iso_literals_evaluate_to_themselves(literal):
    assert is_iso_literal(literal)
    assert RestrictedEnvironment().evaluate(literal, {}) == literal


@pytest.mark.parametrize("text", ["P", "days", "P5X", "'P5D'"])
def test_non_literals_are_evaluated_as_python(text):
    assert not is_iso_literal(text)

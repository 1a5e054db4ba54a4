"""Camunda's JUEL conditions read as Python where they mean the same, and left alone where they do not."""

import pytest

from app.engine.juel import as_python
from app.engine.scripts.sandbox import RestrictedEnvironment


@pytest.mark.parametrize(("juel", "python"), [
    ("${approved}", "approved"),
    ("${!approved}", "not approved"),
    ("#{amount > 1000 && !approved}", "amount > 1000 and not approved"),
    ("${level eq 'I' || level == \"II\"}", "level == 'I' or level == \"II\""),
    ("${amount ge 10 and amount le 20}", "amount >= 10 and amount <= 20"),
    ("${empty comment}", "not comment"),
    ("${not (a and b)}", "not ( a and b )"),
    ("${reason != null}", "reason != None"),
    ("${days div 2 > 3 mod 2}", "days / 2 > 3 % 2"),
    ("${items[0] == 'x'}", "items [ 0 ] == 'x'"),
])
def test_what_means_the_same_in_python_is_read_as_python(juel, python):
    assert as_python(juel) == python
    RestrictedEnvironment().evaluate(python, {"approved": True, "amount": 1, "level": "I", "comment": "",
                                              "a": 1, "b": 0, "reason": None, "days": 4, "items": ["x"]})


@pytest.mark.parametrize("juel", [
    "${execution.getVariable('approved')}",  # a method call
    "${order.total > 5}",  # a property
    "${check(amount)}",  # a function
    "${approved ? 'yes' : 'no'}",  # the conditional operator
    "approved",  # not JUEL at all
    "${}",
])
def test_what_python_reads_otherwise_is_left_alone(juel):
    assert as_python(juel) is None

"""Camunda's JUEL conditions read as Python where they surely mean the same, and left alone where they may not."""

import pytest

from app.engine.juel import as_python
from app.engine.scripts.sandbox import RestrictedEnvironment

DATA = {"approved": True, "amount": 1, "level": "I", "a": 1, "b": 0, "reason": None, "items": ["x"], "p": "C:\\new"}


@pytest.mark.parametrize(("juel", "python"), [
    ("${approved}", "approved"),
    ("${!approved}", "(not approved)"),
    ("#{amount > 1000 && !approved}", "amount > 1000 and (not approved)"),
    ("${level eq 'I' || level == \"II\"}", "level == 'I' or level == 'II'"),
    ("${amount ge 10 and amount le 20}", "amount >= 10 and amount <= 20"),
    ("${not (a and b)}", "(not (a and b))"),
    ("${!a == b}", "(not a) == b"),  # JUEL's ! binds tighter than ==: kept to its operand
    ("${reason != null}", "reason != None"),
    ("${items[0] == 'x'}", "items[0] == 'x'"),
    ("${amount >= -1.5}", "amount >= -1.5"),
    ("${(a > 1) == (b > 2)}", "(a > 1) == (b > 2)"),
    ("${p == 'C:\\new'}", "p == 'C:\\\\new'"),  # JUEL escapes only \\ \' \": the backslash stays one
    ("${approved == true}", "approved == True"),
])
def test_what_means_the_same_in_python_is_read_as_python(juel, python):
    assert as_python(juel) == python
    RestrictedEnvironment().evaluate(python, dict(DATA))


@pytest.mark.parametrize("juel", [
    "${execution.getVariable('approved')}",  # a method call
    "${order.total > 5}",  # a property
    "${check(amount)}",  # a function
    "${approved ? 'yes' : 'no'}",  # the conditional operator
    "${empty comment}",  # JUEL's empty is not Python's not: 0 and false are not empty
    "${amount > 1000 == true}",  # (amount > 1000) == true in JUEL, a chain in Python
    "${count == 0}", "${level != 2}",  # JUEL converts the other side first: '0' == 0 holds there
    "${approved == 'true'}",  # a flag compared with text
    "${a + b > 3}", "${n % 2 == 1}", "${n mod 2 == 1}", "${days div 2 > 3}",  # arithmetic converts text first
    "${a &&}", "${(a}", "${a b}",
    "approved",  # not JUEL at all
    "${}",
])
def test_what_python_may_read_otherwise_is_left_alone(juel):
    assert as_python(juel) is None

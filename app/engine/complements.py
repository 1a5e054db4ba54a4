"""Whether a gateway's conditions hold for every case without a default flow: when one condition is the other's
opposite -- `x` and `not x`, `x == 1` and `x != 1`, `a in b` and `a not in b`, and an order against a number or a
text, `n < 5` and `n >= 5` -- one of them holds whatever the data. Their sides must be plain data (names, indexes,
literals): a call could answer differently the second time, and orders between values only partly ordered (sets)
or not a number (NaN, which task data cannot hold) may leave both false. A condition that raises fails the step
either way, with or without a default."""

from __future__ import annotations

import ast
from itertools import combinations

_OPPOSITES = {ast.Eq: ast.NotEq, ast.Lt: ast.GtE, ast.Gt: ast.LtE, ast.In: ast.NotIn, ast.Is: ast.IsNot}
_OPPOSITES.update({b: a for a, b in list(_OPPOSITES.items())})


def some_condition_holds(conditions: list[str]) -> bool:
    """Two of these Python conditions are each other's opposite."""
    parsed = []
    for source in conditions:
        try:
            parsed.append(ast.parse(source.strip(), mode="eval").body)
        except SyntaxError:
            return False
    return any(_opposite(a, b) or _opposite(b, a) for a, b in combinations(parsed, 2))


_ORDERS = (ast.Lt, ast.GtE, ast.Gt, ast.LtE)


def _opposite(a: ast.expr, b: ast.expr) -> bool:
    if isinstance(b, ast.UnaryOp) and isinstance(b.op, ast.Not) and ast.dump(b.operand) == ast.dump(a):
        return not any(isinstance(node, ast.Call) for node in ast.walk(a))  # the same answer twice: `not` is its opposite
    if isinstance(a, ast.Compare) and isinstance(b, ast.Compare) and len(a.ops) == len(b.ops) == 1:
        left, right = a.left, a.comparators[0]
        same_sides = ast.dump(left) == ast.dump(b.left) and ast.dump(right) == ast.dump(b.comparators[0])
        if not (same_sides and _OPPOSITES.get(type(a.ops[0])) is type(b.ops[0]) and _plain(left) and _plain(right)):
            return False
        return not isinstance(a.ops[0], _ORDERS) or _literal(left) != _literal(right)  # one side a number or text
    return False


def _plain(node: ast.expr) -> bool:
    """Data as it stands: a name, a literal, an index into data, a negative number -- nothing that calls."""
    if isinstance(node, ast.Name | ast.Constant):
        return True
    if isinstance(node, ast.Subscript):
        return _plain(node.value) and _plain(node.slice)
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float | str) and not isinstance(node.value, bool)

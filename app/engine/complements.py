"""Whether a gateway's conditions hold for every case without a default flow: when one condition is the other's
opposite -- `x` and `not x`, `x == 1` and `x != 1`, `n < 5` and `n >= 5`, `a in b` and `a not in b` -- one of them
holds whatever the data (a condition that raises fails the step either way, with or without a default)."""

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


def _opposite(a: ast.expr, b: ast.expr) -> bool:
    if isinstance(b, ast.UnaryOp) and isinstance(b.op, ast.Not) and ast.dump(b.operand) == ast.dump(a):
        return True
    if isinstance(a, ast.Compare) and isinstance(b, ast.Compare) and len(a.ops) == len(b.ops) == 1:
        same_sides = ast.dump(a.left) == ast.dump(b.left) and ast.dump(a.comparators[0]) == ast.dump(b.comparators[0])
        return same_sides and _OPPOSITES.get(type(a.ops[0])) is type(b.ops[0])
    return False

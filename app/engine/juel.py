"""Camunda 7's expressions (JUEL, `${...}` or `#{...}`) read as Python where they surely mean the same, so that a
Camunda diagram's conditions run as drawn: names (and indexing), numbers, strings, true/false/null, comparisons
(== != < > <= >= and eq ne lt gt le ge), && || ! (and, or, not), parentheses.
Everything else is left as it is, and lint says to write it in Python: a method or bean call
(`${execution.getVariable('x')}`), a property (`${order.total}`), `?:`, `empty` (not Python's `not`: 0 and false
are not empty), arithmetic (JUEL turns text into numbers first: '2' + '3' is 5), two comparisons in a row
(`a > b == c` groups otherwise), and == or != with a number or with 'true'/'false' written as text (JUEL converts
the other side first: '2' == 2 holds there, not in Python; write it in Python as you mean it).

`${amount > 1000 && !approved}` becomes `amount > 1000 and (not approved)`; the stored diagram keeps its JUEL.
"""

from __future__ import annotations

import re

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_WHOLE = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.DOTALL)
_TOKEN = re.compile(r"""\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
                        |(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*/()\[\]]))""", re.VERBOSE)
_WORDS = {"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "div": "/", "and": "and", "or": "or",
          "not": "not", "true": "True", "false": "False", "null": "None"}
_REFUSED_WORDS = {"empty", "mod", "instanceof"}
_OPERATORS = {"&&": "and", "||": "or", "!": "not"}
_COMPARISONS = {"==", "!=", "<", ">", "<=", ">="}
_ESCAPES = {"\\\\": "\\", "\\'": "'", '\\"': '"'}
# The places whose text is an expression the engine evaluates (a timer's text is read as ISO-8601 first: not here).
EXPRESSIONS = ("conditionExpression", "completionCondition", "loopCondition")


def as_python(text: str | None) -> str | None:
    """The Python of a whole JUEL expression, or None when it is not one or may mean something else in Python."""
    found = _WHOLE.match(text or "")
    tokens = _tokens(found.group(1)) if found else None
    if not tokens:
        return None
    try:
        python, rest = _sequence(tokens, 0)
    except ValueError:
        return None
    return python if rest == len(tokens) else None


def rewrite_expressions(tree: etree._Element) -> None:
    """Put the Python of each whole JUEL expression in place of its text, in the tree the engine parses."""
    for tag in EXPRESSIONS:
        for element in tree.iter(f"{{{BPMN_NS}}}{tag}"):
            python = as_python(element.text)
            if python is not None:
                element.text = python


def _tokens(body: str) -> list[tuple[str, str]] | None:
    out, position = [], 0
    while body[position:].strip():
        token = _TOKEN.match(body, position)
        if token is None:
            return None  # `.`, `?:`, `%`, anything else
        position = token.end()
        kind, value = token.lastgroup, token.group(token.lastgroup)
        if kind == "name" and value in _REFUSED_WORDS:
            return None
        if kind == "name" and value in _WORDS:
            kind, value = ("op", _WORDS[value]) if _WORDS[value] in (_COMPARISONS | {"/", "and", "or", "not"}) \
                else ("literal", _WORDS[value])
        elif kind == "op":
            value = _OPERATORS.get(value, value)
        elif kind == "string":
            kind, value = "literal", repr(re.sub(r"\\[\\'\"]", lambda m: _ESCAPES[m.group(0)], value[1:-1]))
        elif kind == "number":
            kind = "literal"
        out.append((kind, value))
    return out


def _sequence(tokens: list[tuple[str, str]], i: int) -> tuple[str, int]:
    """Operands and binary operators up to a closing bracket; at most one comparison between two and/or."""
    parts, comparisons = [], []
    while i < len(tokens) and tokens[i][1] not in (")", "]"):
        operand, i = _operand(tokens, i)
        parts.append(operand)
        if i < len(tokens) and tokens[i][1] not in (")", "]"):
            operator = tokens[i][1]
            if tokens[i][0] != "op" or operator in ("(", "[", "not"):
                raise ValueError("an operand where an operator belongs")
            if operator in ("+", "-", "*", "/"):
                raise ValueError("arithmetic: JUEL turns text into numbers first")
            if operator in ("and", "or"):
                _one_comparison(parts, comparisons)
                comparisons = []
            elif operator in _COMPARISONS:
                comparisons.append((parts[-1], operator))
            parts.append(operator)
            i += 1
    _one_comparison(parts, comparisons)
    if not parts or parts[-1] in _COMPARISONS | {"and", "or"}:
        raise ValueError("nothing after an operator")
    return " ".join(parts), i


def _one_comparison(parts: list[str], comparisons: list[tuple[str, str]]) -> None:
    """At most one comparison between two and/or; no equality that JUEL would decide by converting a side first."""
    if len(comparisons) > 1:
        raise ValueError("two comparisons in a row group otherwise in Python")
    if comparisons and comparisons[0][1] in ("==", "!=") and _converted(comparisons[0][0], parts[-1]):
        raise ValueError("JUEL converts one side first: '2' == 2, 'true' == true")


def _converted(left: str, right: str) -> bool:
    """A side JUEL would convert before comparing: a number, or a flag written as text."""
    return any(re.fullmatch(r"-?\d+(\.\d+)?", side) or side.lower() in ("'true'", "'false'") for side in (left, right))


def _operand(tokens: list[tuple[str, str]], i: int) -> tuple[str, int]:
    kind, value = tokens[i]
    if value == "not":  # binds tighter in JUEL than any comparison: kept to its operand
        inner, i = _operand(tokens, i + 1)
        return f"(not {inner})", i
    if value == "-":
        inner, i = _operand(tokens, i + 1)
        return f"-{inner}", i
    if value == "(":
        inner, i = _sequence(tokens, i + 1)
        if i >= len(tokens) or tokens[i][1] != ")":
            raise ValueError("an unclosed bracket")
        return f"({inner})", i + 1
    if kind not in ("name", "literal"):
        raise ValueError("an operator where an operand belongs")
    text, i = value, i + 1
    if kind == "name" and i < len(tokens) and tokens[i][1] == "(":
        raise ValueError("a function call")
    while i < len(tokens) and tokens[i][1] == "[":
        index, i = _sequence(tokens, i + 1)
        if i >= len(tokens) or tokens[i][1] != "]":
            raise ValueError("an unclosed index")
        text, i = f"{text}[{index}]", i + 1
    return text, i

"""Camunda 7's expressions (JUEL, `${...}` or `#{...}`) read as Python where they mean the same, so that a Camunda
diagram's conditions run as drawn: names, numbers, strings, true/false/null, comparisons (== != < > <= >= and
eq ne lt gt le ge), && || ! (and, or, not), arithmetic (+ - * / % div mod), `empty x`, parentheses and indexing.
What Python would read otherwise -- a method or bean call (`${execution.getVariable('x')}`, `${bean.check()}`), a
property (`${order.total}`), the conditional operator -- is left as it is, and lint says to write it in Python.

`${amount > 1000 && !approved}` becomes `amount > 1000 and not approved`; the stored diagram keeps its JUEL.
"""

from __future__ import annotations

import re

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_WHOLE = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.DOTALL)
_TOKEN = re.compile(r"""\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
                        |(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*/%()\[\]]))""", re.VERBOSE)
_WORDS = {"and": "and", "or": "or", "not": "not", "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=",
          "div": "/", "mod": "%", "true": "True", "false": "False", "null": "None", "empty": "not"}
_OPERATORS = {"&&": "and", "||": "or", "!": "not"}
# The places whose text is an expression the engine evaluates (a timer's text is read as ISO-8601 first: not here).
EXPRESSIONS = ("conditionExpression", "completionCondition", "loopCondition")


def as_python(text: str | None) -> str | None:
    """The Python of a whole JUEL expression, or None when it is not one or means something Python would not."""
    found = _WHOLE.match(text or "")
    if found is None:
        return None
    body, out, position = found.group(1), [], 0
    while body[position:].strip():
        token = _TOKEN.match(body, position)
        if token is None:
            return None  # `.`, `?:`, anything else: not the same in Python
        position = token.end()
        kind, value = token.lastgroup, token.group(token.lastgroup)
        if kind == "name":
            out.append(_WORDS.get(value, value))
        elif kind == "op":
            if value == "(" and out and out[-1] not in _WORDS.values() and re.fullmatch(r"\w+", out[-1]):
                return None  # a function or method call
            out.append(_OPERATORS.get(value, value))
        else:
            out.append(value)
    return " ".join(out) or None


def rewrite_expressions(tree: etree._Element) -> None:
    """Put the Python of each whole JUEL expression in place of its text, in the tree the engine parses."""
    for tag in EXPRESSIONS:
        for element in tree.iter(f"{{{BPMN_NS}}}{tag}"):
            python = as_python(element.text)
            if python is not None:
                element.text = python

"""A message the code gives in English and a page shows in its own language.

`T(template, **params)` is the English text (a str: what the API, the CLI and the logs show) that keeps its template,
a msgid of the translation catalogue, and the parameters that filled it; the web layer translates it where it shows
it (app/web/locale.py). The extraction command marks `T` as a keyword (README, "Translations").
"""

from __future__ import annotations

import json
from typing import Any


class Text(str):
    """A message: the English text, plus its template and parameters (translated where it is shown)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Text:
        obj = super().__new__(cls, template % params if params else template.replace("%%", "%"))
        obj.template, obj.params = template, params
        return obj


T = Text  # the keyword the catalogue's extraction looks for


class Items(tuple):
    """A list in a message: joined by `sep` in English, by the page language's separator where it is shown."""

    sep: str

    def __new__(cls, items, sep: str = ", ") -> Items:
        obj = super().__new__(cls, items)
        obj.sep = sep
        return obj

    def __str__(self) -> str:
        return self.sep.join(map(str, self))


def stored(message: str | None) -> str | None:
    """A message as a text column keeps it: a Text as JSON (its English first), anything else as it is."""
    if not isinstance(message, Text):
        return message
    return json.dumps({"text": str(message), "template": message.template, "params": _dumped(message.params)},
                      ensure_ascii=False)


def restored(value: str | None) -> str | None:
    """The message `stored` kept: a Text again (translated where shown), or the plain text."""
    if not value or not value.startswith('{"text": '):
        return value
    try:
        found = json.loads(value)
        return Text(found["template"], **_loaded(found["params"]))
    except (ValueError, KeyError, TypeError):
        return value


def _dumped(value: Any) -> Any:
    if isinstance(value, Text):
        return {"$text": value.template, "params": _dumped(value.params)}
    if isinstance(value, Items):
        return {"$items": [_dumped(v) for v in value], "sep": value.sep}
    if isinstance(value, dict):
        return {k: _dumped(v) for k, v in value.items()}
    return value if isinstance(value, (int, float, bool)) or value is None else str(value)


def _loaded(value: Any) -> Any:
    if isinstance(value, dict) and "$text" in value:
        return Text(value["$text"], **_loaded(value["params"]))
    if isinstance(value, dict) and "$items" in value:
        return Items([_loaded(v) for v in value["$items"]], value["sep"])
    if isinstance(value, dict):
        return {k: _loaded(v) for k, v in value.items()}
    return value

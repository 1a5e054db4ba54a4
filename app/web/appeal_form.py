"""What the two appeal pages (staff intake and the public form) share: the service's validation messages, nested
as the appeal is ({'petitioner': {'name': [...]}}), flattened to one list per page field ('petitioner.name')."""

from __future__ import annotations


def field_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in (messages.items() if isinstance(messages, dict) else [("_schema", messages)]):
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(field_errors(value, name + "."))
        else:
            out[name] = list(value) if isinstance(value, list) else [value]  # Text objects stay: the page translates them
    return out

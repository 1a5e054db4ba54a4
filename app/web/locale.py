"""The pages' language: Chinese unless the user chose English (kept in the session); and the services' messages
(errors.Text, marshmallow's) in that language."""

from __future__ import annotations

import re
from typing import Any

from flask import session
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from app.text import Items, Text

LANGUAGES = ("zh", "en")
DEFAULT = "zh"


def select_locale() -> str:
    lang = session.get("lang")
    return lang if lang in LANGUAGES else DEFAULT


# The messages marshmallow's fields and validators give (and forms.py's own), as the pages say them.
FIELD_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Must not be blank.": _l("This field must not be blank."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid boolean.": _l("Choose yes or no."),
    "Not a valid date.": _l("Enter a date."),
    "Not a valid datetime.": _l("Enter a date and time."),
    "Not a valid phone number.": _l("Enter a phone number (digits, +, -, spaces)."),
    "Not a valid email address.": _l("Enter an e-mail address."),
    "Field may not be null.": _l("This field is required."),
    "Unknown field.": _l("This field is not part of the form."),
    "must not be in the future": _l("This time must not be in the future."),
    "Use lower-case letters, digits and _ (starting with a letter), as scripts name it.":
        _l("Use lower-case letters, digits and _ (starting with a letter), as scripts name it."),
}
# marshmallow's messages with numbers or choices in them: the pattern, and the page's words for it.
FIELD_PATTERNS = (
    (re.compile(r"Length must be between (?P<min>\d+) and (?P<max>\d+)\."),
     _l("Enter between %(min)s and %(max)s characters.")),
    (re.compile(r"Longer than maximum length (?P<max>\d+)\."), _l("Enter at most %(max)s characters.")),
    (re.compile(r"Shorter than minimum length (?P<min>\d+)\."), _l("Enter at least %(min)s characters.")),
    (re.compile(r"Must be greater than or equal to (?P<min>-?[\d.]+) and less than or equal to (?P<max>-?[\d.]+)\."),
     _l("Enter a number from %(min)s to %(max)s.")),
    (re.compile(r"Must be greater than or equal to (?P<min>-?[\d.]+)\."), _l("Enter a number of at least %(min)s.")),
    (re.compile(r"Must be less than or equal to (?P<max>-?[\d.]+)\."), _l("Enter a number of at most %(max)s.")),
    (re.compile(r"Must be one of: (?P<choices>.*)\."), _l("Choose one of: %(choices)s.")),
)


def translated(message: Any) -> str:
    """A service's message in the page's language: an errors.Text by its template, a known marshmallow message by
    its table; anything else (a script's own words, a library's) as it came. Lists and dicts are joined."""
    if isinstance(message, Text):
        params = {key: _param(key, value) for key, value in message.params.items()}
        return gettext(message.template, **params) if params else gettext(message.template).replace("%%", "%")
    if isinstance(message, Items):  # a list inside a message: 、 between Chinese items, ； for a "; " list
        if str(get_locale() or DEFAULT) != "zh":
            return message.sep.join(translated(item) for item in message)
        return ("；" if message.sep.strip() == ";" else "、").join(translated(item) for item in message)
    if isinstance(message, (list, tuple)):
        return " ".join(translated(item) for item in message)
    if isinstance(message, dict):
        return " ".join(translated(item) for item in message.values())
    text = "" if message is None else str(message)
    if text in FIELD_MESSAGES:
        return str(FIELD_MESSAGES[text])
    for pattern, words in FIELD_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return str(words) % found.groupdict()
    return text


def _param(key: str, value: Any) -> Any:
    """A message's parameter as the page says it: a status, category, task state or review level by its label."""
    from .labels import CATEGORIES, REVIEW_LEVELS, STATUSES, TASK_STATES

    table = {"status": STATUSES, "status2": STATUSES, "category": CATEGORIES, "state": TASK_STATES,
             "level": REVIEW_LEVELS}.get(key)
    if table is not None and value in table:
        return str(table[value])
    return translated(value) if isinstance(value, (str, Items)) else value


def translated_tree(details: Any) -> Any:
    """An error's details with every message translated and the shape kept (a page's script reads them by key)."""
    if isinstance(details, dict):
        return {key: translated_tree(value) for key, value in details.items()}
    if isinstance(details, (list, tuple)):
        return [translated_tree(item) for item in details]
    return translated(details) if isinstance(details, str) else details

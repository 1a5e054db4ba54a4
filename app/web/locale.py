"""The pages' language: Chinese unless the user chose English (kept in the session)."""

from __future__ import annotations

from flask import session

LANGUAGES = ("zh", "en")
DEFAULT = "zh"


def select_locale() -> str:
    lang = session.get("lang")
    return lang if lang in LANGUAGES else DEFAULT

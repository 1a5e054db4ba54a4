"""Every text the code marks for translation has its Chinese in the catalogue: the pages are Chinese by default,
and a message without a translation would show in English on a Chinese page."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None, "T": None}


def _method_map() -> list[tuple[str, str]]:
    """babel.cfg's sections, as the extraction command reads them."""
    found = []
    for line in (ROOT / "babel.cfg").read_text().splitlines():
        line = line.strip()
        if line.startswith("[") and ":" in line:
            method, pattern = line.strip("[]").split(":", 1)
            found.append((pattern.strip(), method.strip()))
    return found


def _marked() -> dict[str, str]:
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), _method_map(), keywords={**KEYWORDS}, options_map={"app/templates/**.html": {}}):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_every_marked_text_has_its_chinese():
    with (ROOT / "app/translations/zh/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    missing, fuzzy = [], []
    for msgid, where in sorted(_marked().items()):
        entry = catalogue.get(msgid)
        text = entry.string if entry is not None else ""
        text = text[0] if isinstance(text, tuple) else text
        if not text:
            missing.append(f"{where}: {msgid!r}")
        elif entry.fuzzy:
            fuzzy.append(f"{where}: {msgid!r} -> {text!r}")
    assert not missing, "no Chinese for:\n" + "\n".join(missing)
    assert not fuzzy, "a guessed (fuzzy) Chinese for:\n" + "\n".join(fuzzy)


def test_the_keywords_match_the_readme():
    """The README's extraction command marks the same keywords this test reads."""
    readme = (ROOT / "README.md").read_text()
    command = next(line for line in readme.splitlines() if "pybabel extract" in line)
    for keyword in ("_l", "N_", "T"):
        assert f"-k {keyword} " in command

"""Which files may be attached: the type is read from the content (magic bytes) and must match the extension.

Allowed: PDF, PNG, JPEG, plain text (UTF-8 or GB18030), Word and Excel documents (DOCX/XLSX, which are zip files
holding `word/` or `xl/` parts). Anything else — an executable named `.pdf`, a macro workbook, a zip — is refused.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from .. import errors
from ..errors import T

PDF, PNG, JPEG, TEXT = "application/pdf", "image/png", "image/jpeg", "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".txt": TEXT, ".docx": DOCX, ".xlsx": XLSX}
ALLOWED = "PDF, PNG, JPEG, TXT, DOCX, XLSX"
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def content_type_of(data: bytes, filename: str) -> str:
    """The stored content type of an allowed file, or ValidationFailedError saying why it is refused."""
    ext = extension(filename)
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise _refused(T("files of type '%(value)s' may not be attached; allowed: %(ALLOWED)s", value=ext or T('none'), ALLOWED=ALLOWED))
    found = _sniff(data)
    if found != expected:
        what = T("a %(kind)s file", kind=_NAMES[found]) if found else T("not a file of an allowed type")
        raise _refused(T("the content does not match the name: '%(ext)s' expected, but the file is %(what)s", ext=ext, what=what))
    if found == TEXT:
        return TEXT + "; charset=" + _text_charset(data)
    return found


def extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return ("." + name.rsplit(".", 1)[1].lower()) if "." in name.strip(".") else ""


def safe_filename(filename: str) -> str:
    """The file name without folders, control or reserved characters, at most 120 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    ext = extension(name)
    stem = name[: len(name) - len(ext)] if ext else name
    stem = stem[: 120 - len(ext)].strip(" .") or "attachment"
    return stem + ext


_NAMES = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", TEXT: T("plain text"), DOCX: "DOCX", XLSX: "XLSX", None: ""}


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return TEXT if _is_text(data) else None


def _office(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None  # not an Office Open XML document, or one with macros
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode(_text_charset(data))
    except (UnicodeDecodeError, LookupError):
        return False
    return not _TEXT_CONTROL.search(text)


def _text_charset(data: bytes) -> str:
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _refused(message: str) -> errors.ValidationFailedError:
    return errors.ValidationFailedError(message, {"file": [message]})

"""The archive file: a gzip-compressed tar that explains itself.

- README.txt      what the file is and how to bring it back (`minyi archive restore FILE`)
- cases.jsonl     one line per case: {"number", "id", "rows": {table: [row, ...]}, "files": [sha256, ...]}
- files/<sha256>  each attachment's bytes once, named by their checksum
- manifest.json   the format and its version, when and by what it was made, the database revision, the cut-off,
                  the number of cases, every table's columns with their types, and the SHA-256 of every member

Everything streams (a year of a city's closed cases is millions of lines): cases go to a temporary file as they
come, and reading checks every member against the manifest before a line is handed out.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.extensions import db

from .. import errors
from ..errors import T
from .rows import case_tables

FORMAT, VERSION = "minyi-archive", 1
CHUNK = 1 << 20
README = """Minyi case archive
==================

Closed cases moved out of the database when their retention period had passed: each case with its petitioner and
parties, its ledger (台账), its tasks and the values every step submitted, its process state, notices,
notifications and attachments (files/, named by their SHA-256).

manifest.json describes the format: the tables and columns of cases.jsonl, and the checksum of every member.
cases.jsonl holds one JSON object per line and per case.

To put the cases back into a Minyi database:  minyi archive restore {name}
"""


class ArchiveWriter:
    """Write cases one by one, then close: the manifest goes last, with every member's checksum."""

    def __init__(self, path: Path, before: datetime, revision: str | None):
        self.path, self.before, self.revision = path, before, revision
        self.cases = tempfile.TemporaryFile(dir=path.parent)
        self.hash = hashlib.sha256()
        self.count = 0
        self.files: dict[str, Path] = {}

    def add(self, number: str, case_id: int, rows: dict[str, list[dict]], files: dict[str, Path]) -> None:
        line = {"number": number, "id": case_id, "rows": rows, "files": sorted(files)}
        data = json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        self.cases.write(data)
        self.hash.update(data)
        self.files.update(files)
        self.count += 1

    def close(self) -> dict[str, Any]:
        checksums = {"cases.jsonl": self.hash.hexdigest()}
        tmp = self.path.with_name(self.path.name + ".partial")
        try:
            with tarfile.open(tmp, "w:gz") as tar:
                _add(tar, "README.txt", io.BytesIO(README.format(name=self.path.name).encode()))
                size = self.cases.tell()
                self.cases.seek(0)
                _add(tar, "cases.jsonl", self.cases, size)
                for digest, source in sorted(self.files.items()):
                    if _checksum(source) != digest:
                        raise errors.ConflictError(T('the file of attachment %(digest)s was changed on disk; nothing '
                                                     'was archived', digest=digest[:12]))
                    with source.open("rb") as data:
                        _add(tar, f"files/{digest}", data, source.stat().st_size)
                    checksums[f"files/{digest}"] = digest
                manifest = {
                    "format": FORMAT, "version": VERSION, "created_at": datetime.now(UTC).isoformat(),
                    "created_by": "minyi archive", "database_revision": self.revision,
                    "before": self.before.isoformat(), "cases": self.count, "tables": _tables(), "checksums": checksums,
                }
                _add(tar, "manifest.json", io.BytesIO(json.dumps(manifest, ensure_ascii=False, indent=2).encode()))
            tmp.replace(self.path)
        finally:
            tmp.unlink(missing_ok=True)
            self.cases.close()
        return manifest


def verified_manifest(path: Path) -> dict[str, Any]:
    """The archive's manifest, once every member has the checksum the manifest gives it."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {m.name: m for m in tar.getmembers() if m.isfile()}
            manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise errors.ValidationFailedError(T('not a Minyi archive of version %(v)s', v=VERSION),
                                                   {"file": [str(path)]})
            for name, digest in manifest["checksums"].items():
                if name not in members or _stream_checksum(tar.extractfile(members[name])) != digest:
                    raise errors.ValidationFailedError(T('the archive is damaged: %(name)s', name=name),
                                                       {"file": [str(path)]})
    except KeyError as exc:
        raise errors.ValidationFailedError(T('not a Minyi archive: no manifest'), {"file": [str(path)]}) from exc
    except (OSError, ValueError, tarfile.TarError) as exc:
        raise errors.ValidationFailedError(T('not a readable archive'), {"file": [str(exc)]}) from exc
    return manifest


def archived_cases(path: Path) -> Iterator[dict[str, Any]]:
    """The cases of a verified archive, one at a time."""
    with tarfile.open(path, "r:gz") as tar:
        for line in tar.extractfile("cases.jsonl"):
            if line.strip():
                yield json.loads(line)


def archived_file(path: Path, digest: str) -> bytes:
    with tarfile.open(path, "r:gz") as tar:
        return tar.extractfile(f"files/{digest}").read()


def _add(tar: tarfile.TarFile, name: str, data, size: int | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.size = size if size is not None else len(data.getbuffer())
    info.mtime, info.mode = int(datetime.now(UTC).timestamp()), 0o644
    tar.addfile(info, data)


def _checksum(path: Path) -> str:
    with path.open("rb") as data:
        return _stream_checksum(data)


def _stream_checksum(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _tables() -> dict[str, Any]:
    dialect = db.engine.dialect
    return {table.name: {"belongs_to": parent.name if parent is not None else None, "by": column,
                         "columns": {c.name: c.type.compile(dialect=dialect) for c in table.c}}
            for table, column, parent in case_tables()}

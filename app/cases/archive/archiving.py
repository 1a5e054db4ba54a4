"""Archive and restore.

`archive_cases` writes every archivable case (retention.py) to a new archive file, reads the file back and checks
each case against the database, and only then removes them, in batches, each batch in one transaction; an
attachment's file leaves the store when no case left in the database uses it. `restore_archive` checks the file,
then puts each case back in its own transaction (a case whose number is in the database already is reported and
left alone), its files back in the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Integer, func, select, text

from app.extensions import db
from app.models import Attachment, Case, utcnow

from .. import errors
from ..errors import T
from ..files.store import store_bytes, stored_path
from ..transaction import transaction
from .files import ArchiveWriter, archived_cases, archived_file, verified_manifest
from .retention import archivable
from .rows import delete_rows, export_rows, insert_rows

BATCH = 200


@dataclass
class Outcome:
    path: Path | None
    cases: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # numbers not restored: in the database already


def archive_cases(before: datetime, path: Path) -> Outcome:
    """Write, verify, then remove every archivable case closed before `before`. Nothing is removed unless the whole
    file was written and read back equal."""
    ids = list(db.session.scalars(archivable(before, utcnow())))
    if not ids:
        return Outcome(None)
    if path.exists():
        raise errors.ConflictError(T('%(path)s exists already; choose another file', path=str(path)))
    writer = ArchiveWriter(path, before, _revision())
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        for case_id, rows in export_rows(batch).items():
            files = {a["sha256"]: stored_path(a["sha256"]) for a in rows.get("attachment", [])}
            writer.add(rows["case"][0]["number"], case_id, rows, files)
        db.session.rollback()  # read-only so far: nothing held between batches
    manifest = writer.close()
    _verify_against_database(path, ids)
    digests = set(manifest["checksums"]) - {"cases.jsonl"}
    for start in range(0, len(ids), BATCH):
        with transaction():
            delete_rows(ids[start:start + BATCH])
    for name in digests:
        digest = name.removeprefix("files/")
        if not db.session.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == digest)):
            stored_path(digest).unlink(missing_ok=True)
    return Outcome(path, len(ids), len(digests))


def restore_archive(path: Path) -> Outcome:
    """Put the archive's cases back (those whose number is free), their files back in the store."""
    verified_manifest(path)
    outcome = Outcome(path)
    restored_files: set[str] = set()
    for line in archived_cases(path):
        if db.session.scalar(select(Case.id).where((Case.number == line["number"]) | (Case.id == line["id"]))):
            outcome.skipped.append(line["number"])
            continue
        for digest in line["files"]:
            if digest not in restored_files and not stored_path(digest).is_file():
                store_bytes(digest, archived_file(path, digest))
            restored_files.add(digest)
        with transaction():
            insert_rows(line["rows"])
        outcome.cases += 1
    outcome.files = len(restored_files)
    _sequences_after_restore()
    return outcome


def _verify_against_database(path: Path, ids: list[int]) -> None:
    """Every case in the file equals the case in the database, row for row; else nothing is removed."""
    verified_manifest(path)
    seen = 0
    lines = archived_cases(path)
    for start in range(0, len(ids), BATCH):
        current = export_rows(ids[start:start + BATCH])
        for case_id in ids[start:start + BATCH]:
            line = next(lines, None)
            if line is None or line["id"] != case_id or _canonical(line["rows"]) != _canonical(current[case_id]):
                raise errors.ConflictError(T('case %(id)s changed while it was archived; nothing was removed '
                                             '(run the archive again)', id=case_id))
            seen += 1
        db.session.rollback()
    if seen != len(ids) or next(lines, None) is not None:
        raise errors.ConflictError(T('the archive does not hold the cases it should; nothing was removed'))


def _canonical(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # a database made by create_all (tests) has no alembic table
        db.session.rollback()
        return None


def _sequences_after_restore() -> None:
    """PostgreSQL: the id sequences stay past the restored ids (SQLite takes the next rowid by itself)."""
    if db.engine.dialect.name != "postgresql":
        return
    from .rows import case_tables

    with transaction():
        for table, _column, _parent in case_tables():
            key = table.primary_key.columns.values()[0]
            if isinstance(key.type, Integer):
                db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{key.name}'), "
                    f"GREATEST((SELECT COALESCE(max({key.name}), 0) FROM \"{table.name}\"), 1))"))

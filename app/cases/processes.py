"""Deploying process versions and loading their specs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, func, select

from app import engine
from app.extensions import db
from app.models import ProcessInstance, ProcessSpec, ProcessVersion

from .errors import NotFoundError, ProcessRejectedError
from .forms import FormRegistry
from .reference import lane_groups
from .scripting import SAMPLE_DATA, script_helpers


@dataclass(frozen=True)
class DeployResult:
    key: str
    version: int
    created: bool


def forms() -> FormRegistry:
    return FormRegistry(current_app.config["MINYI_FORMS_DIR"])


def lint_bpmn(xml: bytes, filename: str) -> engine.ParsedProcess:
    """Parse, validate and lint; raise ProcessRejectedError naming each bad element."""
    try:
        siblings = _sibling_files(filename) if b"callActivity" in xml else {}
        parsed = engine.parse_bpmn(xml, filename, siblings)
    except engine.BpmnRejectedError as exc:
        raise ProcessRejectedError([p.as_dict() for p in exc.problems]) from exc
    problems = engine.lint_process(
        parsed, lane_groups().keys(), forms().ids(), helpers=script_helpers(), sample_data=SAMPLE_DATA
    )
    if problems:
        raise ProcessRejectedError([p.as_dict() for p in problems])
    return parsed


def deploy_bpmn(xml: bytes, filename: str, actor: str | None = None) -> DeployResult:
    """Store a linted BPMN as the next version of its process; the same content twice is one version."""
    parsed = lint_bpmn(xml, filename)
    content_hash = engine.content_hash(xml)
    existing = db.session.scalar(
        select(ProcessVersion).where(ProcessVersion.key == parsed.process_id, ProcessVersion.hash == content_hash)
    )
    if existing is not None:
        return DeployResult(existing.key, existing.version, False)
    spec_json = engine.spec_to_json(parsed.spec, parsed.subprocess_specs)
    spec_hash = engine.content_hash(spec_json)
    if db.session.get(ProcessSpec, spec_hash) is None:
        db.session.add(ProcessSpec(hash=spec_hash, spec_json=spec_json))
    latest = db.session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.key == parsed.process_id))
    version = ProcessVersion(
        key=parsed.process_id,
        version=(latest or 0) + 1,
        name=parsed.name,
        hash=content_hash,
        spec_hash=spec_hash,
        bpmn_xml=xml.decode("utf-8"),
        deployed_by=actor,
    )
    db.session.add(version)
    db.session.commit()
    forget_latest_versions()
    engine.spec_cache.put(spec_hash, parsed.spec, parsed.subprocess_specs)
    return DeployResult(version.key, version.version, True)


def process_files(paths: list[str] | None = None) -> list[Path]:
    folder = Path(current_app.config["MINYI_PROCESSES_DIR"])
    return [Path(p) for p in paths] if paths else sorted(folder.glob("*.bpmn"))


_versions = ProcessVersion.__table__
_LATEST = (
    select(_versions.c.id, _versions.c.key, _versions.c.version, _versions.c.spec_hash)
    .where(_versions.c.key == bindparam("key"))
    .order_by(_versions.c.version.desc())
    .limit(1)
)


_latest: dict[tuple[str, str], tuple[float, Any]] = {}
LATEST_MAX_AGE = 10.0


def latest_version(key: str):
    """The newest version of a process (id, key, version, spec_hash).

    Cached briefly: a deploy in this process is seen at once, one in another within LATEST_MAX_AGE.
    """
    cache_key = (str(db.engine.url), key)
    found = _latest.get(cache_key)
    if found is None or time.monotonic() - found[0] > LATEST_MAX_AGE:
        version = db.session.connection().execute(_LATEST, {"key": key}).first()
        if version is None:
            raise NotFoundError(f"no process '{key}' is deployed")
        found = _latest[cache_key] = (time.monotonic(), version)
    return found[1]


def forget_latest_versions() -> None:
    _latest.clear()


def spec_for(spec_hash: str):
    """The restored spec objects of a stored spec, from the in-process cache."""
    return engine.spec_cache.get(
        spec_hash, lambda: db.session.scalar(select(ProcessSpec.spec_json).where(ProcessSpec.hash == spec_hash))
    )


def running_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(ProcessInstance.process_version_id, func.count())
        .where(ProcessInstance.completed.is_(False))
        .group_by(ProcessInstance.process_version_id)
    )
    return {vid: n for vid, n in rows}


def _sibling_files(filename: str) -> dict[str, bytes]:
    """Other BPMN files of processes/, for call activities."""
    folder = Path(current_app.config["MINYI_PROCESSES_DIR"])
    own = Path(filename).name
    return {p.name: p.read_bytes() for p in folder.glob("*.bpmn") if p.name != own}



def versions_overview() -> list[dict]:
    """Every deployed version, newest first within each key, with its running-case count."""
    running = running_counts()
    rows = db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.key, ProcessVersion.version.desc())).all()
    newest: dict[str, int] = {}
    for row in rows:
        newest.setdefault(row.key, row.version)
    return [
        {
            "key": row.key,
            "version": row.version,
            "name": row.name,
            "hash": row.hash,
            "deployed_at": row.deployed_at.isoformat(),
            "deployed_by": row.deployed_by,
            "active": newest[row.key] == row.version,
            "running_cases": running.get(row.id, 0),
        }
        for row in rows
    ]


def version_xml(key: str, version: int) -> str | None:
    return db.session.scalar(
        select(ProcessVersion.bpmn_xml).where(ProcessVersion.key == key, ProcessVersion.version == version)
    )

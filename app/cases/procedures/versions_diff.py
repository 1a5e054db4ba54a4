"""Comparing two versions of a process, and the dry run of a migration between them (nothing written)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models import Case, ProcessInstance, ProcessVersion, ProcessVersionForm
from app.text import Items

from .. import errors
from ..errors import T
from ..uow.scripting import script_engine
from ..uow.versions import spec_for


def versions_pair(key: str, from_version: int, to_version: int, target_published: bool = False):
    """The two version rows; errors name what is wrong (unknown key or version, same version, a draft target)."""
    rows = {row.version: row for row in db.session.scalars(
        select(ProcessVersion).where(ProcessVersion.key == key, ProcessVersion.version.in_([from_version, to_version])))}
    if not rows and not db.session.scalar(select(ProcessVersion.id).where(ProcessVersion.key == key).limit(1)):
        raise errors.NotFoundError(T("process '%(key)s' does not exist", key=key))
    for number in (from_version, to_version):
        if number not in rows:
            raise errors.NotFoundError(T('version %(number)s of %(key)s does not exist', number=number, key=key))
    if from_version == to_version:
        raise errors.ValidationFailedError(T('from and to are the same version'), {"to": [T("must differ from 'from'")]})
    if target_published and rows[to_version].state == "draft":
        raise errors.ConflictError(T('version %(to_version)s is a draft; publish it first', to_version=to_version))
    return rows[from_version], rows[to_version]


def diff_versions(key: str, from_version: int, to_version: int) -> dict[str, Any]:
    """What changed from one version to the other: elements added, removed and changed (with old and new
    values of each changed attribute), and the bundled forms whose content changed. Layout is no change."""
    old, new = versions_pair(key, from_version, to_version)
    xml = dict(db.session.execute(select(ProcessVersion.id, ProcessVersion.bpmn_xml)
                                  .where(ProcessVersion.id.in_([old.id, new.id]))).all())
    result = {"key": key, "from": from_version, "to": to_version,
              **engine.element_diff(xml[old.id].encode("utf-8"), xml[new.id].encode("utf-8")),
              "forms": _forms_diff(old.id, new.id)}
    db.session.rollback()
    return result


def diff_against_version(key: str, version: int, xml: bytes) -> dict[str, Any]:
    """What a BPMN not yet deployed (a workbench draft) changes compared with a version; layout is no change."""
    row = db.session.scalar(select(ProcessVersion).where(ProcessVersion.key == key, ProcessVersion.version == version))
    if row is None:
        raise errors.NotFoundError(T('version %(version)s of %(key)s does not exist', version=version, key=key))
    old_xml = row.bpmn_xml.encode("utf-8")
    db.session.rollback()
    try:
        elements = engine.element_diff(old_xml, xml)
    except engine.BpmnRejectedError as exc:
        raise errors.ProcessRejectedError([p.as_dict() for p in exc.problems]) from exc
    return {"key": key, "from": version, "to": None, **elements}


def _forms_diff(old_id: int, new_id: int) -> dict[str, list[str]]:
    def sources(version_id):
        return dict(db.session.execute(select(ProcessVersionForm.form_id, ProcessVersionForm.source)
                                       .where(ProcessVersionForm.process_version_id == version_id)).all())

    old, new = sources(old_id), sources(new_id)
    return {"added": sorted(set(new) - set(old)), "removed": sorted(set(old) - set(new)),
            "changed": sorted(f for f in set(old) & set(new) if old[f] != new[f])}


def changed_forms(old_id: int, new_id: int) -> set[str]:
    return set(_forms_diff(old_id, new_id)["changed"])


def form_obstacles(ready_tasks, changed: set[str]) -> dict[str, str]:
    """Ready tasks whose form is different in the new version: the person on it would find other fields
    (and their saved draft would not fit), so the case stays until the task is done."""
    return {t.name: T("'%(task)s' (ready) uses form '%(form)s', which changed", task=t.name, form=t.form)
            for t in ready_tasks if t.form in changed}


def unsafe_reason(check: engine.MigrationCheck, blocked: dict[str, str]) -> str | None:
    """Why a case may not move (the engine's obstacles and the changed forms), or None when it may."""
    parts = [o.text for o in check.obstacles] + list(blocked.values())
    return T("not safe to move: %(obstacles)s", obstacles=Items(parts, "; ")) if parts else None


def running_instances(version_id: int, with_state: bool = False) -> list:
    """(instance id, case id, case number[, state]) of every running instance on a version, oldest first."""
    columns = (ProcessInstance.id, ProcessInstance.case_id, Case.number) + ((ProcessInstance.state,) if with_state else ())
    return db.session.execute(
        select(*columns)
        .join(Case, Case.id == ProcessInstance.case_id)
        .where(ProcessInstance.process_version_id == version_id, ProcessInstance.completed.is_(False))
        .order_by(ProcessInstance.id)
    ).all()


def plan_migration(key: str, from_version: int, to_version: int) -> dict[str, Any]:
    """The dry run: every running case on `from_version`, whether it may move to `to_version`, and why not."""
    old, new = versions_pair(key, from_version, to_version)  # a draft target too: a dry run before publishing
    old_spec, new_spec = spec_for(old.spec_hash), spec_for(new.spec_hash)
    forms = changed_forms(old.id, new.id)
    items = []
    for instance_id, _case_id, number, state in running_instances(old.id, with_state=True):
        workflow = engine.state_from_json(state, *old_spec, script_engine())
        check = engine.check_migration(workflow, *new_spec)
        blocked = form_obstacles(engine.ready_human_tasks(workflow), forms)
        reason = unsafe_reason(check, blocked)
        items.append({"case_number": number, "instance_id": instance_id, "safe": reason is None, "reason": reason,
                      "elements": sorted({*check.elements, *blocked})})
    from_active, to_state = old.active, new.state
    db.session.rollback()
    safe = sum(1 for item in items if item["safe"])
    return {"key": key, "from": from_version, "to": to_version, "dry_run": True, "items": items, "total": len(items),
            "safe": safe, "unsafe": len(items) - safe, "from_active": from_active, "to_state": to_state}

"""The process owners' workbench: working copies of diagrams, checking them, publishing them as versions.

A working copy (ProcessDraft) is saved as it is, problems and all, so nothing an owner draws is lost;
only publishing runs the full deploy (parse, lint, bundle) and makes a version. Publishing never moves
running cases: they stay on their version until migrated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree
from sqlalchemy import select

from app.extensions import db
from app.models import CatalogueEntry, ProcessDraft, ProcessVersion

from ..errors import ConflictError, NotFoundError, ProcessRejectedError, T, ValidationFailedError
from ..groups import parse_group
from ..transaction import transaction
from .lanes import set_default_group
from .processes import DeployResult, deploy_bpmn, lint_bpmn, lint_warnings, running_counts, version_summary
from .saving import saving_copy

MAX_DIAGRAM_BYTES = 2_000_000
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@dataclass(frozen=True)
class WorkingCopy:
    key: str
    xml: str
    base_version: int | None
    saved: bool  # False: nothing saved yet, this is the version it would start from
    updated_by: str | None
    updated_at: datetime | None
    lock_version: int | None


def processes_overview() -> list[dict]:
    """Every process key (deployed or only drafted) with its versions, running cases, bindings and working copy."""
    running = running_counts()
    versions = db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.key, ProcessVersion.version.desc())).all()
    bindings: dict[str, list[str]] = {}
    for entry in db.session.scalars(select(CatalogueEntry).order_by(CatalogueEntry.category)):
        bindings.setdefault(entry.process_key, []).append(entry.category)
    drafts = {d.key: d for d in db.session.scalars(select(ProcessDraft))}
    out: dict[str, dict] = {}
    for row in versions:
        item = out.setdefault(row.key, _empty(row.key, row.name, bindings, drafts))
        item["versions"].append(version_summary(row, running.get(row.id, 0)))
        item["running_cases"] += running.get(row.id, 0)
        if row.active:
            item["active_version"] = row.version
            item["name"] = row.name or item["name"]
    for key in drafts.keys() - out.keys():
        out[key] = _empty(key, None, bindings, drafts)
    return [out[key] for key in sorted(out)]


def _empty(key: str, name: str | None, bindings: dict, drafts: dict) -> dict:
    draft = drafts.get(key)
    return {
        "key": key, "name": name or key, "active_version": None, "versions": [], "running_cases": 0,
        "categories": bindings.get(key, []),
        "draft": None if draft is None else {"updated_by": draft.updated_by, "updated_at": draft.updated_at,
                                             "base_version": draft.base_version},
    }


def process_detail(key: str) -> dict:
    found = [p for p in processes_overview() if p["key"] == key]
    if not found:
        raise NotFoundError(T("no process '%(key)s'", key=key))
    return found[0]


def working_copy(key: str, from_version: int | None = None) -> WorkingCopy:
    """What the editor opens: the saved working copy, else the active (or newest) version; or a given version."""
    draft = db.session.get(ProcessDraft, key)
    if draft is not None and from_version is None:
        return WorkingCopy(key, draft.bpmn_xml, draft.base_version, True, draft.updated_by, draft.updated_at,
                           draft.lock_version)
    query = select(ProcessVersion).where(ProcessVersion.key == key)
    if from_version is not None:
        query = query.where(ProcessVersion.version == from_version)
    else:
        query = query.order_by(ProcessVersion.active.desc(), ProcessVersion.version.desc()).limit(1)
    version = db.session.scalars(query).first()
    if version is None:
        raise NotFoundError(f"no version {from_version} of process '{key}'" if from_version else f"no process '{key}'")
    return WorkingCopy(key, version.bpmn_xml, version.version, False, None, None,
                       draft.lock_version if draft is not None else None)


def diagram_process_id(xml: bytes) -> str:
    """The id of the diagram's executable process; ValidationFailedError for anything that is not a BPMN diagram."""
    if len(xml) > MAX_DIAGRAM_BYTES:
        raise ValidationFailedError(
            T('the diagram is too large'), {"xml": [T('At most %(MAX_DIAGRAM_BYTES)s bytes.',
              MAX_DIAGRAM_BYTES=format(MAX_DIAGRAM_BYTES, ','))]})
    try:
        xml.decode("utf-8")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except (UnicodeDecodeError, etree.XMLSyntaxError, ValueError) as exc:
        raise ValidationFailedError(T('the diagram is not readable XML'), {"xml": [str(exc)]}) from exc
    processes = root.findall(f"{{{BPMN_NS}}}process")
    if root.tag != f"{{{BPMN_NS}}}definitions" or not processes:
        raise ValidationFailedError(T('not a BPMN diagram'), {"xml": [T('Expected bpmn:definitions with a bpmn:process.')]})
    executable = [p for p in processes if p.get("isExecutable", "true") != "false"] or processes
    process_id = executable[0].get("id") or ""
    if not process_id:
        raise ValidationFailedError(T('the process has no id'), {"xml": [T('Give the bpmn:process an id.')]})
    return process_id


def save_working_copy(key: str, xml: bytes, actor: str, lock_version: int | None, base_version: int | None = None) -> ProcessDraft:
    """Save the diagram as it is; `lock_version` is the copy the editor read (None when it started from a version)."""
    found = diagram_process_id(xml)
    if found != key:
        raise ValidationFailedError(T('the diagram belongs to another process'), {
            "xml": [
                T("Its process id is '%(found)s', this is the working copy of '%(key)s'. "
                  "Upload it as a new process instead.", found=found, key=key)]})
    draft = db.session.get(ProcessDraft, key)
    with saving_copy("diagram"):
        if draft is None:
            if lock_version is not None:
                raise ConflictError(T('the working copy was published or discarded meanwhile; reload the editor'))
            draft = ProcessDraft(key=key, bpmn_xml=xml.decode("utf-8"), updated_by=actor, base_version=base_version)
            db.session.add(draft)
        else:
            if lock_version != draft.lock_version:
                raise ConflictError(
                    T('%(updated_by)s saved this diagram meanwhile; reload it and apply your change again', updated_by=draft.updated_by))
            draft.bpmn_xml, draft.updated_by = xml.decode("utf-8"), actor
            if base_version is not None:
                draft.base_version = base_version
    return draft


def upload_diagram(xml: bytes, actor: str, replace: bool = False,
                   default_group: str | None = None) -> tuple[str, ProcessDraft]:
    """A file from Camunda Modeler or bpmn-js becomes the working copy of its process (new or existing), with the
    process's default group when one is given (checked before anything is saved)."""
    if default_group:
        parse_group(default_group, "default_group")
    key = diagram_process_id(xml)
    existing = db.session.get(ProcessDraft, key)
    if existing is not None and not replace:
        raise ConflictError(
            T("process '%(key)s' already has a working copy by %(updated_by)s; open it, or confirm replacing it with the file",
              key=key, updated_by=existing.updated_by))
    draft = save_working_copy(key, xml, actor, existing.lock_version if existing is not None else None)
    if default_group:
        set_default_group(key, default_group, actor)
    return key, draft


def discard_working_copy(key: str) -> None:
    draft = db.session.get(ProcessDraft, key)
    if draft is None:
        raise NotFoundError(T("process '%(key)s' has no working copy", key=key))
    with transaction():
        db.session.delete(draft)


def check_diagram(key: str, xml: bytes) -> tuple[list[dict], list[dict]]:
    """Every problem of the diagram, each naming its element ([] when it would publish), and lint's warnings
    (only once there is no problem: they read the diagram lint accepted)."""
    found = diagram_process_id(xml)
    if found != key:
        return [{"element": found, "message": T("the process id is '%(found)s'; this is the editor of '%(key)s'", found=found,
                                                key=key)}], []
    try:
        parsed = lint_bpmn(xml, f"{key}.bpmn")
    except ProcessRejectedError as exc:
        return list(exc.details["problems"]), []
    return [], lint_warnings(parsed)


def publish_diagram(key: str, xml: bytes, actor: str, activate: bool, lock_version: int | None = None) -> DeployResult:
    """Publish the diagram as a new version (ProcessRejectedError with the problems otherwise).

    The working copy goes when it is what was published, or the copy the publishing editor last saved
    (`lock_version`): the editor's content supersedes it. A copy someone else saved since stays.
    """
    found = diagram_process_id(xml)
    if found != key:
        raise ProcessRejectedError([{"element": found, "message": T("the process id is '%(found)s', not '%(key)s'", found=found,
                                                                    key=key)}])
    result = deploy_bpmn(xml, f"{key}.bpmn", actor, draft=False, activate=activate, new_version=True)
    draft = db.session.get(ProcessDraft, key)
    if draft is not None and (draft.bpmn_xml == xml.decode("utf-8") or draft.lock_version == lock_version):
        with transaction():
            db.session.delete(draft)
    return result

"""Deploying process versions (bundles), their lifecycle (draft -> published, one active), loading specs."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from lxml import etree
from sqlalchemy import func, select, update

from app import engine
from app.extensions import db
from app.models import TRANSITIONS, ProcessInstance, ProcessSpec, ProcessVersion

from .. import reference
from ..errors import ConflictError, InvalidFormDefinitionError, NotFoundError, ProcessRejectedError, T
from ..groups import receivable
from ..reference import lane_groups
from ..sql import RUNNING_INSTANCE
from ..transaction import transaction
from ..uow.scripting import START_DATA, lint_helpers
from ..uow.versions import forget_active_versions
from .bundles import bundle_hash, callable_files, called_files, forget_bundles, forms, process_forms, store_bundle_forms
from .catalogue import bind_own_category
from .forms import lint_fields

__all__ = [
    "DeployResult", "activate_version", "deploy_bpmn", "forget_version_caches", "forms", "lint_bpmn", "lint_warnings",
    "process_files", "process_name", "publish_version", "running_counts", "version_xml", "versions_overview",
]

@dataclass(frozen=True)
class DeployResult:
    key: str
    version: int
    created: bool
    state: str = "published"
    active: bool = True
    diagram_updated: bool = False
    warnings: tuple[dict, ...] = ()


def lint_bpmn(xml: bytes, filename: str) -> engine.ParsedProcess:
    """Parse, validate and lint; raise ProcessRejectedError naming each bad element."""
    return _parse_and_lint(xml, filename)[0]


def lint_warnings(parsed: engine.ParsedProcess) -> list[dict]:
    """What lint says beside its problems, without refusing: ways a case may go unseen (engine/path_checks.py)."""
    return [warning.as_dict() for warning in engine.path_warnings(parsed.tree)]


def _utf8(xml: bytes, filename: str) -> bytes:
    try:
        return engine.as_utf8(xml, filename)
    except engine.BpmnRejectedError as exc:
        raise ProcessRejectedError([p.as_dict() for p in exc.problems]) from exc


def _parse_and_lint(xml: bytes, filename: str) -> tuple[engine.ParsedProcess, dict[str, bytes]]:
    try:
        siblings = callable_files(filename, xml)
        parsed = engine.parse_bpmn(xml, filename, siblings)
    except engine.BpmnRejectedError as exc:
        raise ProcessRejectedError([p.as_dict() for p in exc.problems]) from exc
    registry, form_fields, problems = process_forms(parsed), {}, []
    for form_id in sorted(engine.referenced_forms(parsed)):
        try:
            form = registry.get(form_id)
        except InvalidFormDefinitionError as exc:
            problems.append({"element": f"forms/{form_id}.yaml", "message": exc.message})
            continue
        if form is not None:
            form_fields[form_id] = lint_fields(form)
    problems += [p.as_dict() for p in engine.lint_process(
        parsed, lane_groups().keys(), registry.ids(), helpers=lint_helpers(), start_data=START_DATA,
        form_fields=form_fields, known_statuses=TRANSITIONS.keys(), reject_legacy_case_status=True,
        receivable=receivable,
    )]
    if problems:
        raise ProcessRejectedError(problems)
    return parsed, siblings


def deploy_bpmn(xml: bytes, filename: str, actor: str | None = None, draft: bool = False,
                activate: bool | None = None, new_version: bool = False) -> DeployResult:
    """Store a linted BPMN with its forms as a version of its process; published and active unless `draft`.

    `activate=False` publishes without activating. The same executable content and forms as an existing
    version is that version: its stored XML takes the new layout, and (when activating) it becomes the
    active version again. Running cases never change version here.
    """
    activate = not draft if activate is None else activate and not draft
    xml = _utf8(xml, filename)  # stored and served as UTF-8, whatever encoding the file declared
    parsed, siblings = _parse_and_lint(xml, filename)
    if not new_version:
        refuse_a_stranger(parsed)
    sources = _form_sources(parsed)
    identity = bundle_hash(xml, called_files(parsed, siblings), sources)
    text = xml.decode("utf-8")
    with _writing():
        version = db.session.scalar(
            select(ProcessVersion).where(ProcessVersion.key == parsed.process_id, ProcessVersion.hash == identity)
        )
        created, diagram_updated = version is None, False
        if version is None:
            version = _new_version(parsed, identity, text, actor, sources, draft)
        elif version.bpmn_xml != text:
            version.bpmn_xml, diagram_updated = text, True
        if activate:
            _activate(version)
            bind_own_category(version.key)
        elif not draft and version.state == "draft":
            version.state = "published"
    return DeployResult(version.key, version.version, created, version.state, version.active, diagram_updated,
                        tuple(lint_warnings(parsed)))


def _form_sources(parsed: engine.ParsedProcess) -> dict[str, str]:
    registry, sources = process_forms(parsed), {}
    for form_id in sorted(engine.referenced_forms(parsed)):
        source = registry.source(form_id)
        if source is None:
            raise ProcessRejectedError([{"element": form_id, "message": T(
                "no form '%(form)s' exists: create it among the workbench's forms (or put it in forms/), "
                "or name an existing one", form=form_id)}])
        sources[form_id] = source
    return sources


def _new_version(parsed, identity: str, text: str, actor: str | None, sources: dict[str, str], draft: bool) -> ProcessVersion:
    spec_json = engine.spec_to_json(parsed.spec, parsed.subprocess_specs)
    spec_hash = engine.content_hash(spec_json)
    if db.session.get(ProcessSpec, spec_hash) is None:
        db.session.add(ProcessSpec(hash=spec_hash, spec_json=spec_json))
    latest = db.session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.key == parsed.process_id))
    version = ProcessVersion(
        key=parsed.process_id, version=(latest or 0) + 1, name=parsed.name, hash=identity, spec_hash=spec_hash,
        bpmn_xml=text, deployed_by=actor, state="draft" if draft else "published", active=False,
    )
    db.session.add(version)
    db.session.flush()
    store_bundle_forms(version.id, sources)
    engine.spec_cache.put(spec_hash, parsed.spec, parsed.subprocess_specs)
    return version


def activate_version(key: str, version: int) -> ProcessVersion:
    """Make this version the one new cases of `key` start on (publishing a draft); a rollback or roll forward."""
    with _writing():
        row = _version(key, version)
        _activate(row)
    return row


def publish_version(key: str, version: int) -> ProcessVersion:
    """Publish a draft without activating it."""
    with _writing():
        row = _version(key, version)
        row.state = "published"
    return row


def _version(key: str, version: int) -> ProcessVersion:
    row = db.session.scalar(select(ProcessVersion).where(ProcessVersion.key == key, ProcessVersion.version == version))
    if row is None:
        raise NotFoundError(T("no version %(version)s of process '%(key)s'", version=version, key=key))
    return row


def _activate(version: ProcessVersion) -> None:
    """Publish and activate in the caller's transaction; the key's rows are locked so two switches serialise."""
    db.session.flush()
    db.session.execute(select(ProcessVersion.id).where(ProcessVersion.key == version.key).with_for_update())
    db.session.execute(
        update(ProcessVersion)
        .where(ProcessVersion.key == version.key, ProcessVersion.active.is_(True), ProcessVersion.id != version.id)
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    version.state, version.active = "published", True
    db.session.flush()


@contextmanager
def _writing():
    """One transaction (a concurrent deploy or activation of the same key that won is a conflict); the version
    caches are dropped either way."""
    try:
        with transaction(on_duplicate="the process was changed meanwhile; try again"):
            yield
    finally:
        forget_version_caches()


def forget_version_caches() -> None:
    """Drop this process's caches of active versions, bundled forms and the catalogue (after a deploy or activation)."""
    forget_active_versions()
    forget_bundles()
    reference.forget()


def process_files(paths: list[str] | None = None) -> list[Path]:
    folder = Path(current_app.config["MINYI_PROCESSES_DIR"])
    return [Path(p) for p in paths] if paths else sorted(folder.glob("*.bpmn"))


def running_counts() -> dict[int, int]:
    """Running instances per version, read from the index of running instances (finished ones are most)."""
    rows = db.session.execute(
        select(ProcessInstance.process_version_id, func.count())
        .where(RUNNING_INSTANCE)
        .group_by(ProcessInstance.process_version_id)
    )
    return {vid: n for vid, n in rows}


def process_name(key: str) -> str | None:
    """The name the newest version of a process gives itself (None without a name or a version)."""
    return db.session.scalar(select(ProcessVersion.name).where(ProcessVersion.key == key)
                             .order_by(ProcessVersion.version.desc()).limit(1))


def versions_overview() -> list[dict]:
    """Every deployed version, newest first within each key, with its state, active flag and running cases."""
    running = running_counts()
    rows = db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.key, ProcessVersion.version.desc())).all()
    return [version_summary(row, running.get(row.id, 0)) for row in rows]


def version_summary(row: ProcessVersion, running_cases: int | None = None) -> dict:
    summary = {
        "key": row.key,
        "version": row.version,
        "name": row.name,
        "hash": row.hash,
        "state": row.state,
        "active": row.active,
        "deployed_at": row.deployed_at.isoformat(),
        "deployed_by": row.deployed_by,
    }
    if running_cases is not None:
        summary["running_cases"] = running_cases
    return summary


def version_xml(key: str, version: int) -> str | None:
    return db.session.scalar(
        select(ProcessVersion.bpmn_xml).where(ProcessVersion.key == key, ProcessVersion.version == version)
    )


# Is an uploaded diagram the process stored under its id? Modelers give every new diagram the same process id
# (`Process_1`) and random ids to its elements, so two unrelated diagrams share the process id and little else: an
# upload whose elements are mostly not the stored version's is another process, refused until the owner gives it its
# own id or confirms it is a new version.
SAME_PROCESS = 0.5  # shared elements over all elements of both, at least
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_NODES = ("callActivity", "subProcess", "transaction", "adHocSubProcess")


def refuse_a_stranger(parsed) -> None:
    """ConflictError when the latest stored version of `parsed`'s process id is a different diagram."""
    row = db.session.execute(select(ProcessVersion.version, ProcessVersion.name, ProcessVersion.bpmn_xml)
                             .where(ProcessVersion.key == parsed.process_id)
                             .order_by(ProcessVersion.version.desc()).limit(1)).first()
    if row is None:
        return
    stored = flow_node_ids(etree.fromstring(row.bpmn_xml.encode(), etree.XMLParser(resolve_entities=False,
                                                                                  no_network=True)),
                           parsed.process_id)
    new = flow_node_ids(parsed.tree, parsed.process_id)
    if not stored or not new or len(stored & new) / len(stored | new) >= SAME_PROCESS:
        return
    raise ConflictError(T("process id '%(key)s' is already used by another process ('%(name)s', version %(version)s) "
                          "that shares few of this diagram's elements: give this diagram its own process id, or upload "
                          "it again confirming it is a new version of '%(key)s'",
                          key=parsed.process_id, name=row.name or parsed.process_id, version=row.version),
                        {"process": [T("confirm with new_version=true (API) or --new-version (CLI)")]})


def flow_node_ids(tree, process_id: str) -> set[str]:
    """The ids of the tasks, events, gateways and (sub)processes inside the process `process_id`."""
    found = tree.xpath("//bpmn:process[@id=$id]", namespaces={"bpmn": _BPMN}, id=process_id)
    if not found:
        return set()
    ids = set()
    for element in found[0].iter():
        if not isinstance(element.tag, str) or not element.get("id"):
            continue
        name = etree.QName(element).localname
        if name.endswith(("Task", "Event", "Gateway")) or name in _NODES or name == "task":
            ids.add(element.get("id"))
    return ids

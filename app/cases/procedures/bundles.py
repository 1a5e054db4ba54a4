"""Version bundles: a deployed version is its BPMN plus the forms it references, stored together.

Running cases read their forms from their version's bundle, so editing forms/ changes only
what the next deploy bundles. Bundles never change, so they are cached per version.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import yaml
from flask import current_app
from lxml import etree
from sqlalchemy import bindparam, select

from app import engine
from app.extensions import db
from app.models import ProcessInstance, ProcessVersion, ProcessVersionForm, Task

from ..sql import sql
from .form_definitions import WorkbenchForms
from .forms import Form, form_from_source

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def forms() -> WorkbenchForms:
    """forms/ with the workbench's edited forms over it: read at deploy time (and for versions deployed before bundles)."""
    return WorkbenchForms(current_app.config["MINYI_FORMS_DIR"])


class ProcessForms:
    """The forms a process may name: the workbench's and forms/, and the ones its diagrams declare themselves
    (Camunda 7's camunda:formData, app/engine/inline_forms.py), as forms/*.yaml would hold them."""

    def __init__(self, registry: WorkbenchForms, declared: dict[str, dict]):
        self.registry = registry
        self.declared = {form_id: yaml.safe_dump(form, allow_unicode=True, sort_keys=False)
                         for form_id, form in declared.items()}

    def ids(self) -> list[str]:
        return sorted({*self.registry.ids(), *self.declared})

    def get(self, form_id: str) -> Form | None:
        source = self.source(form_id)
        return None if source is None else self.registry.get(form_id) or form_from_source(form_id, source)

    def source(self, form_id: str) -> str | None:
        """A form made in the workbench or forms/ wins over fields a diagram declares under its name."""
        return self.registry.source(form_id) or self.declared.get(form_id)


def process_forms(parsed: engine.ParsedProcess) -> ProcessForms:
    return ProcessForms(forms(), parsed.inline_forms)


def bundle_hash(xml: bytes, called: dict[str, bytes], form_sources: dict[str, str]) -> str:
    """The identity of a version: the executable BPMN (no layout), the called processes' and the forms' content."""
    digest = hashlib.sha256()
    digest.update(b"bpmn\0" + engine.executable_xml(xml))
    for name in sorted(called):
        digest.update(f"\0called\0{name}\0".encode() + engine.executable_xml(called[name]))
    for form_id in sorted(form_sources):
        digest.update(f"\0form\0{form_id}\0".encode() + form_sources[form_id].encode("utf-8"))
    return digest.hexdigest()


def store_bundle_forms(version_id: int, form_sources: dict[str, str]) -> None:
    """Add the forms of a new version (the caller commits)."""
    for form_id, source in sorted(form_sources.items()):
        db.session.add(ProcessVersionForm(process_version_id=version_id, form_id=form_id, source=source))


_instances, _versions, _bundle_forms = ProcessInstance.__table__, ProcessVersion.__table__, ProcessVersionForm.__table__
_VERSION_OF_INSTANCE = (
    select(_versions.c.id, _versions.c.hash)
    .join(_instances, _instances.c.process_version_id == _versions.c.id)
    .where(_instances.c.id == bindparam("instance_id"))
)
_FORMS_OF_VERSION = select(_bundle_forms.c.form_id, _bundle_forms.c.source).where(
    _bundle_forms.c.process_version_id == bindparam("version_id")
)

_bundles: dict[tuple[str, int, str], dict[str, Form]] = {}
_lock = threading.Lock()
MAX_CACHED_BUNDLES = 256


def form_for_task(task: Task) -> Form | None:
    """The task's form as its case's process version bundled it; None for a task without a form.

    A version deployed before bundles existed may lack a form (see migration 0006): forms/ then answers.
    """
    if task.form is None:
        return None
    row = sql(_VERSION_OF_INSTANCE, {"instance_id": task.instance_id}).first()
    return form_in_version(task.form, row.id, row.hash) if row is not None else forms().get(task.form)


def form_in_version(form_id: str, version_id: int, version_hash: str) -> Form | None:
    """A form as a version bundled it (forms/ for a version from before bundles)."""
    return version_forms(version_id, version_hash).get(form_id) or forms().get(form_id)


def version_forms(version_id: int, version_hash: str) -> dict[str, Form]:
    """Form id -> form of one version's bundle, from the per-process cache."""
    key = (str(db.engine.url), version_id, version_hash)
    found = _bundles.get(key)
    if found is None:
        rows = sql(_FORMS_OF_VERSION, {"version_id": version_id}).all()
        found = {row.form_id: form_from_source(row.form_id, row.source) for row in rows}
        with _lock:
            if len(_bundles) >= MAX_CACHED_BUNDLES:
                _bundles.clear()
            _bundles[key] = found
    return found


def forget_bundles() -> None:
    _bundles.clear()


def callable_files(filename: str, xml: bytes) -> dict[str, bytes]:
    """The BPMN documents a file's call activities may reach, named `<process id>.bpmn`: the other files of processes/
    and the processes uploaded before that only the database holds."""
    if b"callActivity" not in xml:
        return {}
    siblings = _sibling_files(filename)
    siblings.update(_deployed_callees(xml, siblings))
    return siblings


def _sibling_files(filename: str) -> dict[str, bytes]:
    """Other BPMN files of processes/, for call activities."""
    folder = Path(current_app.config["MINYI_PROCESSES_DIR"])
    own = Path(filename).name
    return {p.name: p.read_bytes() for p in folder.glob("*.bpmn") if p.name != own}


def _deployed_callees(xml: bytes, siblings: dict[str, bytes]) -> dict[str, bytes]:
    """The processes the file's call activities reach that only the database holds (uploaded before, not shipped in
    processes/): each one's active version, else its newest, as a file named after it -- and theirs in turn."""
    found: dict[str, bytes] = {}
    wanted, seen = _called_elsewhere(xml), {Path(name).stem for name in siblings}
    while wanted - seen:
        keys = sorted(wanted - seen)
        seen |= set(keys)
        rows = db.session.execute(select(ProcessVersion.key, ProcessVersion.bpmn_xml).where(ProcessVersion.key.in_(keys))
                                  .order_by(ProcessVersion.key, ProcessVersion.active.desc(),
                                            ProcessVersion.version.desc())).all()
        for key, text in rows:
            if f"{key}.bpmn" not in found:
                found[f"{key}.bpmn"] = text.encode("utf-8")
                wanted |= _called_elsewhere(found[f"{key}.bpmn"])
    return found


def _called_elsewhere(xml: bytes) -> set[str]:
    """The process ids a document's call activities name that it does not define itself."""
    if b"callActivity" not in xml:
        return set()
    try:
        tree = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return set()  # the parser says what is wrong with it
    own = {p.get("id") for p in tree.iter(f"{{{BPMN_NS}}}process")}
    return {c.get("calledElement") for c in tree.iter(f"{{{BPMN_NS}}}callActivity") if c.get("calledElement")} - own


def called_files(parsed: engine.ParsedProcess, siblings: dict[str, bytes]) -> dict[str, bytes]:
    """The sibling BPMN files (file name = process id) that the process's call activities reach."""
    return {name: xml for name, xml in siblings.items() if Path(name).stem in parsed.subprocess_specs}

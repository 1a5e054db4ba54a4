"""The work record (办理记录): what every step of a case submitted, as the next person needs to read it — who, when,
every value labelled by its form's labels (a choice by its label, a department by its name), the petitioner's
ratings, mails and the files attached, oldest first. Fields a form marks `personal` are masked for those who may not see
the petitioner (policy.sees_personal_data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Case, LedgerEntry, ProcessInstance, ProcessVersion, Task, User

from .. import ledger, policy, reference
from ..policy import Principal
from ..procedures.bundles import form_in_version

MASK = "***"
RECORDED = ("task.completed", "case.rated", "case.satisfaction_recorded", "attachment.added", "case.petitioner_message",
            "case.repeat_received")


@dataclass(frozen=True)
class RecordValue:
    label: str
    kind: str  # the form field's type: the page formats booleans, moments and long texts by it
    value: Any  # a choice's label, a department's name, or the value as submitted (MASK when masked)


@dataclass(frozen=True)
class RecordItem:
    kind: str  # 'step', 'rating', 'message', 'repeat' or 'attachment'
    at: datetime
    actor: str  # a user's display name, or 'petitioner' / 'system'
    title: str | None = None  # the step's title
    name: str | None = None  # the step's BPMN id
    task_id: str | None = None
    values: list[RecordValue] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # a rating's score and comment; a file's id and name


def work_record(user: Principal, case, locale: str) -> list[RecordItem]:
    """Every completed step of the case with its values, the petitioner's ratings and the files attached, oldest first."""
    entries = ledger.readable(list(db.session.scalars(select(LedgerEntry).where(
        LedgerEntry.case_id == case.id, LedgerEntry.action.in_(RECORDED)).order_by(LedgerEntry.id))))
    forms = _forms_of([e.details.get("task") for e in entries if e.action == "task.completed"])
    names = _display_names({e.actor for e in entries})
    full = policy.sees_personal_data(user, case)
    repeat_titles = _titles([e.details.get("number") for e in entries if e.action == "case.repeat_received"])
    items = []
    for e in entries:
        if e.action == "case.satisfaction_recorded" and e.details.get("source") != "petitioner":
            continue  # a rating taken on the visit is in that step's values
        actor = names.get(e.actor, e.actor)
        if e.action == "task.completed":
            form = forms.get(e.details.get("task"))
            items.append(RecordItem("step", e.at, actor, e.details.get("title"), e.details.get("name"), e.details.get("task"),
                                    _values(form, e.details.get("data") or {}, locale, full)))
        elif e.action == "case.petitioner_message":
            items.append(RecordItem("message", e.at, actor, details={
                "subject": e.details.get("subject"), "body": e.details.get("body"),
                "sender": e.details.get("sender") if full else MASK, "from_petitioner": e.details.get("from_petitioner"),
                "files": e.details.get("files") or []}))
        elif e.action == "case.repeat_received":
            items.append(RecordItem("repeat", e.at, actor, details={
                "number": e.details.get("number"), "channel": e.details.get("channel"),
                "title": repeat_titles.get(e.details.get("number"))}))
        elif e.action in ("case.rated", "case.satisfaction_recorded"):
            items.append(RecordItem("rating", e.at, actor, details={"score": e.details.get("score"),
                                                                    "comment": e.details.get("comment")}))
        else:
            items.append(RecordItem("attachment", e.at, actor, details={"id": e.details.get("attachment"),
                                                                        "filename": e.details.get("filename")}))
    return items


def _values(form, data: dict[str, Any], locale: str, full: bool) -> list[RecordValue]:
    """The submitted values in the form's order, labelled; values no field of the form names come last, by name."""
    if form is None:
        return [RecordValue(name, "string", value) for name, value in data.items() if value not in (None, "", [])]
    departments = {code: ref.name for code, ref in reference.departments().items()}
    out = []
    for f in form.fields:
        value = data.get(f.name)
        if value in (None, "", []):
            continue
        if f.personal and not full:
            out.append(RecordValue(f.label(locale), "string", MASK))
            continue
        choices = {v: labels.get(locale) or labels.get("zh") or str(v) for v, labels in f.choices}
        if f.type == "choice":
            value = choices.get(value, value)
        elif f.type == "multichoice":
            value = "、".join(str(choices.get(v, v)) for v in value)
        elif f.type == "department":
            value = departments.get(str(value), value)
        out.append(RecordValue(f.label(locale), f.type, value))
    return out


def _forms_of(task_ids: list[str | None]) -> dict[str, Any]:
    """Task id -> its form in the bundle of its version (the form it was completed with)."""
    ids = sorted({t for t in task_ids if t})
    if not ids:
        return {}
    rows = db.session.execute(
        select(Task.id, Task.form, ProcessVersion.id, ProcessVersion.hash)
        .join(ProcessInstance, ProcessInstance.id == Task.instance_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
        .where(Task.id.in_(ids))).all()
    return {task_id: form_in_version(form, version_id, version_hash) if form else None
            for task_id, form, version_id, version_hash in rows}


def _titles(numbers: list[str | None]) -> dict[str, str]:
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    return dict(db.session.execute(select(Case.number, Case.title).where(Case.number.in_(wanted))).all())


def _display_names(usernames: set[str]) -> dict[str, str]:
    rows = db.session.execute(select(User.username, User.display_name).where(User.username.in_(sorted(usernames))))
    return {u: n or u for u, n in rows}

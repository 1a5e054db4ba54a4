"""Turning models into API dicts; personal data is masked for roles that do not need it."""

from __future__ import annotations

from typing import Any

from app.cases.people import Principal
from app.models import Case, Task

from .outputs import LedgerOut, TaskOut

_task_out = TaskOut()
_ledger_out = LedgerOut(many=True)
ROLES_SEEING_PERSONAL_DATA = ("intake", "handler", "head", "supervisor", "leader", "mediator", "admin")


def sees_personal_data(user: Principal, case: Case) -> bool:
    if user.has_role("intake", "supervisor", "leader", "admin"):
        return True
    # Department staff see the petitioner of their own department's cases only.
    return user.has_role("handler", "head", "mediator") and case.department_id is not None and case.department_id == user.department_id


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = phone.strip()
    return digits[:3] + "*" * max(0, len(digits) - 7) + digits[-4:] if len(digits) > 7 else "*" * len(digits)


def petitioner(case: Case, full: bool) -> dict[str, Any] | None:
    p = case.petitioner
    if p is None:
        return None
    if p.anonymous:
        return {"anonymous": True, "name": None, "phone": None, "email": None, "address": None} if not full else {
            "anonymous": True, "name": p.name, "phone": p.phone, "email": p.email, "address": p.address}
    if full:
        return {"anonymous": False, "name": p.name, "phone": p.phone, "email": p.email, "address": p.address}
    return {"anonymous": False, "name": mask_name(p.name), "phone": mask_phone(p.phone), "email": None, "address": None,
            "masked": True}


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "category": case.category,
        "channel": case.channel,
        "title": case.title,
        "status": case.status,
        "department": case.department.code if case.department else None,
        "received_at": _iso(case.received_at),
        "due_at": _iso(case.due_at),
        "closed_at": _iso(case.closed_at),
        "satisfaction": case.satisfaction,
        "on_hold": case.held_since is not None,
    }


def case_detail(case: Case, user: Principal, open_tasks: list[Task], process: dict | None) -> dict[str, Any]:
    out = case_summary(case)
    out.update(
        description=case.description,
        location={"address": case.location_address, "lat": case.location_lat, "lon": case.location_lon},
        answer=case.answer,
        satisfaction_comment=case.satisfaction_comment,
        petitioner=petitioner(case, sees_personal_data(user, case)),
        parties=[{"name": p.name, "role": p.role} for p in case.parties],
        open_tasks=[task(t, case.number) for t in open_tasks],
        process=process,
    )
    return out


def task(t: Task, case_number: str) -> dict[str, Any]:
    data = _task_out.dump(t)
    data["case_number"] = case_number
    return data


def ledger(entries) -> list[dict[str, Any]]:
    return _ledger_out.dump(entries)


def _iso(value):
    return value.isoformat() if value is not None else None

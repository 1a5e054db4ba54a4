"""Turning models into API dicts; personal data comes masked per app/cases/policy/rules.py."""

from __future__ import annotations

from typing import Any

from app.cases import reference
from app.models import Case, Task

from .outputs import LedgerOut, TaskOut

_task_out = TaskOut()
_ledger_out = LedgerOut(many=True)


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
        "topic": _code(case.topic_id),
        "area": _code(case.area_id),
        "confidential": case.confidential,
    }


def _code(node_id: int | None) -> str | None:
    return reference.tree_codes().get(node_id, (None,))[0] if node_id is not None else None


def case_detail(case: Case, petitioner: dict | None, open_tasks: list[Task], process: dict | None) -> dict[str, Any]:
    """`petitioner` as the user may see them (app/cases/people/personal_data.petitioner_for)."""
    out = case_summary(case)
    out.update(
        description=case.description,
        location={"address": case.location_address, "lat": case.location_lat, "lon": case.location_lon},
        answer=case.answer,
        satisfaction_comment=case.satisfaction_comment,
        satisfaction_source=case.satisfaction_source,
        follow_up=case.follow_up,
        petitioner=petitioner,
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

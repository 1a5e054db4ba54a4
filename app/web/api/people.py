"""Petitioner records: who is calling (by phone, e-mail or ID number) with their history, a case's petitioner's
other cases, merging two records of one person, and the repeated callers of a period."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify

from app.cases import policy, records
from app.cases.people import petitioners
from app.cases.people.personal_data import person_name_for
from app.models import utcnow

from . import bp, present
from .auth import current_user, require
from .io import load_args, load_body
from .schemas import LookupArgs, MergeIn, RepeatedArgs

_LOOKUP, _MERGE, _REPEATED = LookupArgs(), MergeIn(), RepeatedArgs()


def history_body(found: petitioners.History | None, case=None) -> dict:
    """A person and their cases as the API shows them (the name as the user may see it, as on `case`)."""
    if found is None:
        return {"person": None, "cases": [], "total": 0}
    name = person_name_for(current_user(), found.person.name, case)
    return {"person": {"id": found.person.id, "name": name, "cases": found.total, "open": found.open,
                       "last_30_days": found.last_30_days},
            "cases": [present.case_summary(c) for c in found.cases], "total": found.total}


@bp.get("/people/lookup")
@require("person.lookup")
def lookup_person():
    args = load_args(_LOOKUP)
    return jsonify(history_body(petitioners.lookup(current_user(), **args)))


@bp.get("/people/<id:person_id>")
@require("person.lookup")
def person(person_id: int):
    return jsonify(history_body(petitioners.history(current_user(), person_id)))


@bp.post("/people/<id:person_id>/merge")
@require("person.merge")
def merge_person(person_id: int):
    body = load_body(_MERGE)
    merged = petitioners.merge(current_user(), person_id, body["into"], body["reason"])
    return jsonify(history_body(petitioners.history(current_user(), merged.id)))


@bp.get("/people/repeated")
@require("person.repeated")
def repeated():
    args = load_args(_REPEATED)
    until = utcnow()
    rows = petitioners.repeated_callers(current_user(), until - timedelta(days=args["days"]), until, args["at_least"])
    return jsonify({"items": [{"person": person_id, "cases": n} for person_id, n in rows], "total": len(rows)})


@bp.get("/cases/<number>/petitioner/history")
@require("case.view", "number")
def petitioner_history(number: str):
    case = policy.check_case_access(current_user(), records.case_by_number(number))
    return jsonify(history_body(petitioners.history_of_case(current_user(), case), case))

"""Repeats and duplicates at intake: the candidates a new appeal may repeat (with a score and why), registering it
as a repeat (重复件) of an open case, or refusing it because the claim went through re-review already."""

from __future__ import annotations

from flask import jsonify

from app.cases.intake.appeal import parse_appeal
from app.cases.intake.duplicates import candidates
from app.cases.intake.repeats import refuse_re_reviewed, register_repeat

from . import bp, present
from .auth import current_user, require
from .io import json_object, load_body
from .outputs import CaseCreated
from .schemas import CandidatesIn

_IN, _CREATED = CandidatesIn(), CaseCreated()


def candidate_body(candidate) -> dict:
    return {**present.case_summary(candidate.case), "score": round(candidate.score, 2),
            "reasons": [{"code": r["code"], "text": str(r["text"]), **({"score": r["score"]} if "score" in r else {})}
                        for r in candidate.reasons],
            "re_reviewed_in": candidate.re_reviewed_in}


@bp.post("/candidates")
@require("case.register")
def intake_candidates():
    body = load_body(_IN)
    who = body.get("petitioner") or {}
    found = candidates(current_user(), body["title"], body.get("description"), who.get("phone"), who.get("email"),
                       who.get("id_number"))
    return jsonify({"items": [candidate_body(c) for c in found], "total": len(found)})


@bp.post("/cases/<number>/repeats")
@require("case.register")
def create_repeat(number: str):
    intake = register_repeat(current_user(), number, parse_appeal(json_object()))
    return jsonify({**_CREATED.dump(intake), "repeat_of": number}), 201


@bp.post("/cases/<number>/refusals")
@require("case.register")
def create_refusal(number: str):
    intake = refuse_re_reviewed(current_user(), number, parse_appeal(json_object()))
    return jsonify({**_CREATED.dump(intake), "re_reviewed_in": number}), 201

"""Repeats and duplicates at intake: the candidates a new appeal may repeat (with a score and why), registering it
as a repeat (重复件) of an open case, or refusing it because the claim went through re-review already."""

from __future__ import annotations

from flask import jsonify

from app.cases.intake.appeal import parse_appeal
from app.cases.intake.duplicates import candidates, candidates_of_case
from app.cases.intake.repeats import link_registered_as_repeat, refuse_re_reviewed, register_repeat

from . import bp, present
from .auth import current_user, require
from .io import json_object, load_body
from .outputs import CaseCreated
from .schemas import CandidatesIn, RepeatOfIn

_IN, _CREATED, _REPEAT_OF = CandidatesIn(), CaseCreated(), RepeatOfIn()


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
                       who.get("id_number"), topic=body.get("topic"), area=body.get("area"))
    return jsonify({"items": [candidate_body(c) for c in found], "total": len(found)})


@bp.post("/cases/<number>/repeats")
@require("case.register")
def create_repeat(number: str):
    intake = register_repeat(current_user(), number, parse_appeal(json_object()))
    return jsonify({**_CREATED.dump(intake), "repeat_of": number}), 201


@bp.get("/cases/<number>/candidates")
@require("case.register", "number")
def case_candidates(number: str):
    """The triage check of a case that came in by itself (web form, e-mail, Open311)."""
    found = candidates_of_case(current_user(), number)
    return jsonify({"items": [candidate_body(c) for c in found], "total": len(found)})


@bp.post("/cases/<number>/repeat-of")
@require("case.register", "number")
def link_as_repeat(number: str):
    original = load_body(_REPEAT_OF)["original"]
    case = link_registered_as_repeat(current_user(), number, original)
    return jsonify({**present.case_summary(case), "repeat_of": original})


@bp.post("/cases/<number>/refusals")
@require("case.register")
def create_refusal(number: str):
    intake = refuse_re_reviewed(current_user(), number, parse_appeal(json_object()))
    return jsonify({**_CREATED.dump(intake), "re_reviewed_in": number}), 201

"""Cases: intake, listing, detail, timeline."""

from __future__ import annotations

from flask import jsonify

from app.cases import policy, records
from app.cases.clocks.hold import hold_case, resume_case
from app.cases.clocks.incidents import open_incidents
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.intake.reviews import file_review_for_petitioner, review_links
from app.cases.intake.withdrawal import withdraw_for_petitioner
from app.cases.lists import case_list, queries
from app.cases.people.personal_data import petitioner_for
from app.cases.policy import check_case_access
from app.cases.supervision.notices import case_notices
from app.cases.work.confidentiality import set_confidential

from . import bp, present
from .auth import current_user, require
from .io import json_object, load_args, load_body
from .outputs import CaseCreated
from .schemas import CaseListArgs, ConfidentialityIn, HoldIn, ReasonIn
from .supervision import incident_body, notice_body

# Schema instances are reusable; building one per request costs more than the load.
_CASE_CREATED = CaseCreated()
_HOLD_IN = HoldIn()
_REASON_IN = ReasonIn()
_CASE_LIST_ARGS = CaseListArgs()
_CONFIDENTIALITY_IN = ConfidentialityIn()


@bp.post("/cases")
@require("case.register")
def create_case():
    intake = register_case(parse_appeal(json_object()), current_user().username)
    body = _CASE_CREATED.dump(intake)
    return jsonify(body), 201


@bp.get("/cases")
@require("case.list")
def list_cases():
    args = load_args(_CASE_LIST_ARGS)
    paging = {key: args.pop(key) for key in ("page", "per_page", "after")}
    found = case_list.cases(current_user(), case_list.Filters(**args), **paging)
    return jsonify({"items": [present.case_summary(c) for c in found.items], "total": found.total, "next": found.next})


@bp.get("/cases/<number>")
@require("case.view", "number")
def get_case(number: str):
    case = check_case_access(current_user(), records.case_by_number(number))
    instance = queries.current_instance(case.id)
    process = None
    if instance is not None:
        process = {"key": instance.process_version.key, "version": instance.process_version.version,
                   "completed": instance.completed}
    petitioner = petitioner_for(current_user(), case, "api")  # an unmasked view is logged
    body = present.case_detail(case, petitioner, queries.open_tasks_of_case(case.id), process)
    body["notices"] = [notice_body(n, case.number, state) for n, state in case_notices(case)]
    body["links"] = review_links(case)
    if policy.may(current_user(), "incident.manage"):
        body["incidents"] = [incident_body(i) for i in open_incidents(case_id=case.id)]
    return jsonify(body)


@bp.get("/cases/<number>/timeline")
@require("case.view", "number")
def case_timeline(number: str):
    case = check_case_access(current_user(), records.case_by_number(number))
    entries = present.ledger(queries.timeline(case.id))
    return jsonify({"items": entries, "total": len(entries)})


@bp.post("/cases/<number>/withdraw")
@require("case.withdraw", "number")
def withdraw(number: str):
    case = withdraw_for_petitioner(current_user(), number, load_body(_REASON_IN)["reason"])
    return jsonify(present.case_summary(case))


@bp.post("/cases/<number>/review")
@require("case.review", "number")
def review(number: str):
    intake = file_review_for_petitioner(current_user(), number, load_body(_REASON_IN)["reason"])
    return jsonify(_CASE_CREATED.dump(intake)), 201


@bp.post("/cases/<number>/hold")
@require("case.hold", "number")
def hold(number: str):
    case = hold_case(current_user(), number, load_body(_HOLD_IN)["reason"])
    return jsonify(dict(present.case_summary(case), on_hold=True, held_since=case.held_since.isoformat()))


@bp.post("/cases/<number>/resume")
@require("case.hold", "number")
def resume(number: str):
    case = resume_case(current_user(), number)
    return jsonify(dict(present.case_summary(case), on_hold=False))


@bp.post("/cases/<number>/confidentiality")
@require("case.confidentiality", "number")
def confidentiality(number: str):
    body = load_body(_CONFIDENTIALITY_IN)
    case = set_confidential(current_user(), number, body["confidential"], body["reason"])
    # whoever marked it without clearance sees no more of it than this
    return jsonify({"number": case.number, "confidential": case.confidential})

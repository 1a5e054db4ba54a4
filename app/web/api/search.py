"""One search box for staff: case numbers, persons (phone, e-mail, ID number, name) with their cases, and titles."""

from __future__ import annotations

from flask import jsonify

from app.cases.lists.staff_search import search

from . import bp, present
from .auth import current_user, require
from .io import load_args
from .people import history_body
from .schemas import SearchArgs

_ARGS = SearchArgs()


@bp.get("/search")
@require("case.list")
def staff_search():
    found = search(current_user(), load_args(_ARGS)["q"])
    return jsonify({"numbered": [present.case_summary(c) for c in found.numbered],
                    "people": [history_body(h) for h in found.people],
                    "titles": {"items": [present.case_summary(c) for c in found.titles], "total": found.titles_total}})

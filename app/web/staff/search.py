"""The staff search page: one box over the cases the user may see (numbers, persons, titles)."""

from __future__ import annotations

from flask import render_template, request

from app.cases.errors import ValidationFailedError
from app.cases.lists.staff_search import search
from app.cases.people.personal_data import person_name_for

from . import bp
from .session import me, staff_only


@bp.get("/search")
@staff_only("case.list")
def staff_search():
    q = (request.args.get("q") or "").strip()[:100]
    if not q:
        return render_template("staff/search.html", q="", found=None, problem=None)
    try:
        found = search(me(), q)
    except ValidationFailedError as exc:
        return render_template("staff/search.html", q=q, found=None, problem=exc.details["q"][0]), 422
    names = {h.person.id: person_name_for(me(), h.person.name) for h in found.people}
    return render_template("staff/search.html", q=q, found=found, names=names, problem=None)

"""Server-rendered pages. For now: the front page and the petitioner's case lookup."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.cases.errors import NotFoundError
from app.cases.public import case_for_petitioner, deadline_changes

from .limits import public_lookup

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    return render_template("index.html")


@bp.get("/track")
@public_lookup
def track():
    """Look a case up by number and access code; the same message for a wrong number or code.
    The code is compared exactly as typed (no trimming or case folding)."""
    number = request.args.get("number", "").strip()
    code = request.args.get("access_code", "")
    case, error = None, None
    if number or code:
        try:
            case = case_for_petitioner(number, code)
        except NotFoundError:
            error = "未找到该诉求，请核对编号和查询码。 No case with this number and access code."
    extensions = deadline_changes(case.id) if case else []
    return render_template("track.html", case=case, error=error, number=number, extensions=extensions), (404 if error else 200)

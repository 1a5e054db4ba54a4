"""The case workspace: details, petitioner (masked per policy), timeline, links, notices and the diagram."""

from __future__ import annotations

from flask import render_template

from app.cases.workspace import case_workspace

from . import bp
from .session import me, staff_only

STAFF = ("intake", "handler", "head", "supervisor", "leader", "mediator", "admin", "analyst", "owner")


@bp.get("/cases/<number>")
@staff_only(*STAFF)
def case(number: str):
    return render_template("staff/case.html", ws=case_workspace(me(), number[:32]))

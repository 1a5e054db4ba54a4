"""The administrators' system page: whether a scheduler is running (its heartbeat and last sweep) and how many cases
wait on an incident."""

from __future__ import annotations

from flask import current_app, render_template

from app.cases.clocks.heartbeat import scheduler_status
from app.cases.clocks.incidents import open_incidents

from . import bp
from .session import me, staff_only


@bp.get("/system")
@staff_only("system.view")
def system():
    status = scheduler_status(current_app.config["MINYI_READY_SCHEDULER_SECONDS"])
    return render_template("staff/system.html", status=status, incidents=len(open_incidents(me())))

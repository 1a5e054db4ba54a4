"""The workbench's what-if pages: a version tried on the cases of the last weeks -- the newest few hundred replayed
while the page waits, or all of them as a run the scheduler does, whose page follows it until it is done."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from app.cases.errors import MinyiError, T, ValidationFailedError
from app.cases.procedures.whatif import DEFAULT_WEEKS, MAX_WEEKS, get_run, page_limit, request_run, run_view, what_if

from ..locale import translated
from . import bp
from .session import me, staff_only
from .workbench import KEY_MAX


@bp.get("/workbench/processes/<key>/what-if")
@staff_only("workbench.use")
def workbench_what_if(key: str):
    """What a version would have done to the cases of the last weeks, beside what the active version does."""
    try:
        version, weeks = _request(request.args)
        result = what_if(key[:KEY_MAX], version, weeks, limit=page_limit())
    except ValidationFailedError as exc:
        flash(translated(exc.message), "error")
        return redirect(url_for("staff.workbench_process", key=key[:KEY_MAX]))
    return render_template("staff/workbench_what_if.html", key=key[:KEY_MAX], result=result, run=None)


@bp.post("/workbench/processes/<key>/what-if/runs")
@staff_only("workbench.use")
def workbench_what_if_run_request(key: str):
    """Replay every case of the weeks: the scheduler does it, this page's next one follows it."""
    try:
        version, weeks = _request(request.form)
        run = request_run(key[:KEY_MAX], version, weeks, me().username)
    except MinyiError as exc:
        flash(translated(exc.message), "error")
        return redirect(url_for("staff.workbench_process", key=key[:KEY_MAX]))
    return redirect(url_for("staff.workbench_what_if_run", run_id=run.id))


@bp.get("/workbench/what-if/runs/<id:run_id>")
@staff_only("workbench.use")
def workbench_what_if_run(run_id: int):
    run = run_view(get_run(run_id))
    return render_template("staff/workbench_what_if.html", key=run["key"], result=run["result"], run=run)


def _request(args) -> tuple[int, int]:
    version, weeks = args.get("version", ""), args.get("weeks", str(DEFAULT_WEEKS))
    if not version.isdigit() or len(version) > 9:
        raise ValidationFailedError(T("'%(name)s' must be a version number", name="version"),
                                    {"version": [T("Must be a version number.")]})
    if not weeks.isdigit() or len(weeks) > 3:
        raise ValidationFailedError(T("weeks must be a whole number from 1 to %(max)s", max=MAX_WEEKS),
                                    {"weeks": [T("from 1 to %(max)s", max=MAX_WEEKS)]})
    return int(version), int(weeks)

"""The public disclosure page (/disclosure): the office's published figures of a period, as GET /api/v1/public/stats
serves them (no personal data, no confidential case, small counts as "<5")."""

from __future__ import annotations

from flask import render_template, request

from app.cases.errors import ValidationFailedError
from app.cases.reference import local_today
from app.cases.reports.disclosure import last_twelve_months, published

from ..access import public
from ..figures import period_from
from ..locale import translated
from . import bp


@bp.get("/disclosure")
@public
def disclosure():
    raw = {key: request.args.get(key, "").strip()[:10] for key in ("from", "to")}
    try:
        period = period_from(request.args, last_twelve_months(local_today()))
    except ValueError as exc:
        return _page(None, raw, str(exc), 422)
    try:
        figures = published(period)
    except ValidationFailedError as exc:
        return _page(None, raw, translated(exc.message), 422)
    return _page(figures, {"from": period.first.isoformat(), "to": period.last.isoformat()}, None)


def _page(figures, values: dict, error: str | None, status: int = 200):
    return render_template("disclosure.html", figures=figures, values=values, error=error), status

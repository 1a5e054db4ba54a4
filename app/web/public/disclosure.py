"""The public disclosure page (/disclosure): the office's published figures of a period, as GET /api/v1/public/stats
serves them (no personal data, no confidential case, small counts as "<5")."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _

from app.cases.errors import ValidationFailedError
from app.cases.reference import local_today
from app.cases.reports.disclosure import last_twelve_months, published
from app.cases.reports.summary import Period

from ..access import public
from ..locale import translated
from . import bp


@bp.get("/disclosure")
@public
def disclosure():
    default = last_twelve_months(local_today())
    raw = {key: request.args.get(key, "").strip()[:10] for key in ("from", "to")}
    try:
        first = date.fromisoformat(raw["from"]) if raw["from"] else default.first
        last = date.fromisoformat(raw["to"]) if raw["to"] else default.last
    except ValueError:
        return _page(None, raw, _("Give the dates as YYYY-MM-DD."), 422)
    if not (date(2000, 1, 1) <= first <= date(2099, 12, 31) and date(2000, 1, 1) <= last <= date(2099, 12, 31)):
        return _page(None, raw, _("Give dates between 2000 and 2099."), 422)
    try:
        figures = published(Period(first, last))
    except ValidationFailedError as exc:
        return _page(None, raw, translated(exc.message), 422)
    return _page(figures, {"from": first.isoformat(), "to": last.isoformat()}, None)


def _page(figures, values: dict, error: str | None, status: int = 200):
    return render_template("disclosure.html", figures=figures, values=values, error=error), status

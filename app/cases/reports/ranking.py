"""Departments ranked on the rates (docs/statistics.md, "Rankings"): each department's on-time, response, resolution
and satisfaction rates over the period, a score weighting them (MINYI_RANKING_WEIGHTS), its rank, and its rank in the
period of the same length just before."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import NO_DEPARTMENT, User

from .. import errors, policy, reference
from ..errors import T
from ..policy import Principal
from .contribution import COUNTS, RATES, contribution, figures, summed
from .rollups import Rollups
from .summary import Filters, Period, checked_period, recount_facts


def weights() -> dict[str, float]:
    """{rate: weight} from MINYI_RANKING_WEIGHTS ("on_time:0.25,response:0.25,…"), summing to 1."""
    raw = current_app.config["MINYI_RANKING_WEIGHTS"]
    try:
        found = {name.strip(): float(value) for name, value in (part.split(":") for part in raw.split(",") if part.strip())}
    except ValueError as exc:
        raise errors.ValidationFailedError(T('MINYI_RANKING_WEIGHTS is not rate:weight,…'), {}) from exc
    if set(found) - set(RATES) or not found or sum(found.values()) <= 0:
        raise errors.ValidationFailedError(T('MINYI_RANKING_WEIGHTS is not rate:weight,…'), {})
    total = sum(found.values())
    return {name: found.get(name, 0.0) / total for name in RATES}


def ranking(user: Principal, period: Period) -> dict:
    """Every department with cases in the period, best score first; a rate without cases counts as its weight's
    share of the other rates (the score is over the rates it has). A head gets the handlers of their department
    instead (`of`: "handlers"), each over the cases they gave the first answer to."""
    policy.require(user, "stats.read")
    share = weights()
    if policy.may_everywhere(user, "stats.read"):
        of, key, rows = "departments", "department", lambda p: _rows(p, share)
    else:
        of, key, rows = "handlers", "handler", lambda p: _handler_rows(p, user.department_code, share)
    now_rows = rows(period)
    before = period.before()
    earlier = {row[key]: row["rank"] for row in rows(before)}
    for row in now_rows:
        previous = earlier.get(row[key])
        row["previous_rank"] = previous
        row["change"] = previous - row["rank"] if previous is not None else None
    return {"period": period.span(), "previous": before.span(), "of": of, "weights": share, "items": now_rows}


def _rows(period: Period, share: dict[str, float]) -> list[dict]:
    checked_period(period)
    read = Rollups().read(period.first, period.last, {}, by="department", at_end=False)  # rates and counts only
    rows = []
    for department_id, (sums, histogram) in read.groups.items():
        counted = figures(sums, histogram)
        if department_id == NO_DEPARTMENT or not any(counted["counts"][name] for name in COUNTS):
            continue
        department = reference.department_by_id(department_id)
        rows.append({"department": department.code if department else str(department_id),
                     "name": department.name if department else None, **_scored(counted, share)})
    return _ranked(rows, "department")


def _handler_rows(period: Period, department: str, share: dict[str, float]) -> list[dict]:
    """The department's handlers, each over the cases of the department they gave the first answer to (recounted:
    the rollups do not keep handlers)."""
    checked_period(period)
    by_handler: dict[str, list[dict]] = {}
    for facts in recount_facts(period, Filters(department=department)):
        if facts.handler is not None:
            by_handler.setdefault(facts.handler, []).append(contribution(facts))
    names = dict(db.session.execute(select(User.username, User.display_name)
                                    .where(User.username.in_(list(by_handler)))).all()) if by_handler else {}
    rows = []
    for handler, contributions in by_handler.items():
        counted = figures(*summed(contributions, period.first, period.last))
        if any(counted["counts"][name] for name in COUNTS):
            rows.append({"handler": handler, "name": names.get(handler), **_scored(counted, share)})
    return _ranked(rows, "handler")


def _scored(counted: dict, share: dict[str, float]) -> dict:
    rates = counted["rates"]
    known = {name: rates[name]["rate"] for name in RATES if rates[name]["rate"] is not None}
    weight = sum(share[name] for name in known)
    score = round(sum(share[name] * rate for name, rate in known.items()) / weight * 100, 2) if weight else None
    return {"received": counted["counts"]["received"], "answered": counted["counts"]["answered"], "rates": rates,
            "score": score}


def _ranked(rows: list[dict], key: str) -> list[dict]:
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r[key]))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows

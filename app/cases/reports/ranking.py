"""Departments ranked on the rates (docs/statistics.md, "Rankings"): each department's on-time, response, resolution
and satisfaction rates over the period, a score weighting them (MINYI_RANKING_WEIGHTS), its rank, and its rank in the
period of the same length just before."""

from __future__ import annotations

from flask import current_app

from app.models import NO_DEPARTMENT

from .. import errors, policy, reference
from ..errors import T
from ..policy import Principal
from .contribution import COUNTS, RATES, figures
from .rollups import Rollups
from .summary import Period, checked_period


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
    share of the other rates (the score is over the rates it has)."""
    policy.require(user, "stats.read")
    if not policy.may_everywhere(user, "stats.read"):
        raise errors.ForbiddenError(T('the ranking of departments is for analysts, leaders and supervisors'))
    share = weights()
    now_rows = _rows(period, share)
    before = period.before()
    earlier = {row["department"]: row["rank"] for row in _rows(before, share)}
    for row in now_rows:
        previous = earlier.get(row["department"])
        row["previous_rank"] = previous
        row["change"] = previous - row["rank"] if previous is not None else None
    return {"period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
            "previous": {"from": before.first.isoformat(), "to": before.last.isoformat()},
            "weights": share, "items": now_rows}


def _rows(period: Period, share: dict[str, float]) -> list[dict]:
    checked_period(period)
    read = Rollups().read(period.first, period.last, {}, by="department")
    rows = []
    for department_id, (sums, histogram) in read.groups.items():
        counted = figures(sums, histogram)
        if department_id == NO_DEPARTMENT or not any(counted["counts"][name] for name in COUNTS):
            continue
        rates = counted["rates"]
        known = {name: rates[name]["rate"] for name in RATES if rates[name]["rate"] is not None}
        weight = sum(share[name] for name in known)
        score = round(sum(share[name] * rate for name, rate in known.items()) / weight * 100, 2) if weight else None
        department = reference.department_by_id(department_id)
        rows.append({"department": department.code if department else str(department_id),
                     "name": department.name if department else None, "received": counted["counts"]["received"],
                     "rates": rates, "score": score})
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["department"]))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows

"""Reading the figures from the rollups: a period is read as its whole years (year rows), its other whole months
(month rows) and its other days (day rows); open and overdue cases at its end are the sums of their day-by-day changes up to its last
day. The cases still waiting to be folded in (folding.py) are put right as they are read -- their stored
contribution taken off, their contribution now added -- so the figures are exact at every moment."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.models import FIGURES, StatCase, StatHandling, StatNode, StatPending, StatRollup

from .contribution import contribution, end_of, summed
from .facts import facts_of

EPOCH = date(1970, 1, 1)  # before any case
PUT_RIGHT = 5000  # at most this many waiting cases are put right when read (beyond: the figures say how many wait)
_BY = {"department": "department_id", "category": "category", "channel": "channel"}
TIMES = ("month", "day")  # groups by time
_DIM_INDEX = {"department_id": 0, "category": 1, "channel": 2, "confidential": 3}


class Read:
    """Figures read for a period: {group: (sums, handling histogram)}, and how many cases were waiting."""

    def __init__(self) -> None:
        self.groups: dict = defaultdict(lambda: (Counter(), Counter()))
        self.waiting = 0

    def of(self, group=None) -> tuple[Counter, Counter]:
        return self.groups[group]


def spans(first: date, last: date, years: bool = True) -> list[tuple[str, date, date]]:
    """The days first..last as (grain, first start, last start): whole years as year rows (unless not `years`),
    whole months as month rows, the other days as day rows."""
    out: list[tuple[str, date, date]] = []
    day = first
    while day <= last:
        if years and day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= last:
            grain, following = "year", date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) - timedelta(days=1) <= last:
            grain, following = "month", _next_month(day)
        else:
            grain, following = "day", day + timedelta(days=1)
        if out and out[-1][0] == grain:
            out[-1] = (grain, out[-1][1], day)
        else:
            out.append((grain, day, day))
        day = following
    return out


class Rollups:
    """The rollups as one request reads them: the cases waiting to be folded are read once, at the first use."""

    def __init__(self) -> None:
        self._waiting: tuple[int, list[tuple[int, dict]]] | None = None

    def read(self, first: date, last: date, where: dict, by: str | None = None, at_end: bool = True) -> Read:
        """The period's figures for the cases matching `where` ({department_id, category, channel, confidential}),
        in groups `by` "department", "category", "channel", "month" or "day" (None: one group). By month or day the
        groups hold the period's counts and rate parts only (no open/overdue at the end, no handling time); so do all
        groups without `at_end` (a ranking needs neither)."""
        out = Read()
        names = [f for f in FIGURES if f not in ("open_delta", "overdue_delta")]
        span = _days(StatRollup, first, last) if by == "day" else _in_spans(StatRollup, first, last,
                                                                             years=by != "month")
        rows = _grouped(StatRollup, by, [func.sum(getattr(StatRollup, f)) for f in names], span, where)
        for row in rows:
            out.groups[_key(by, row[0])][0].update({n: int(v or 0) for n, v in zip(names, row[1:], strict=True)})
        if by not in TIMES and at_end:
            rows = _grouped(StatRollup, by, [func.sum(StatRollup.open_delta), func.sum(StatRollup.overdue_delta)],
                            _up_to(StatRollup, end_of(last)), where)
            for row in rows:
                out.groups[_key(by, row[0])][0].update({"open_delta": int(row[1] or 0),
                                                        "overdue_delta": int(row[2] or 0)})
            rows = _grouped(StatHandling, by, [func.sum(StatHandling.cases)], _in_spans(StatHandling, first, last),
                            where, also=StatHandling.days)
            for key, cases, days in rows:
                out.groups[_key(by, key)][1][days] += int(cases or 0)
        self._put_right(out, first, last, where, by, at_end)
        return out

    def node_counts(self, kind: str, first: date, last: date, where: dict) -> dict[int, int]:
        """{topic or area id: cases received in the period} for the cases matching `where` ({department_id,
        confidential})."""
        conditions = [getattr(StatNode, name) == value for name, value in where.items()]
        found = Counter(dict(db.session.execute(
            select(StatNode.node_id, func.sum(StatNode.cases))
            .where(StatNode.kind == kind, _in_spans(StatNode, first, last), *conditions)
            .group_by(StatNode.node_id)).all()))
        for sign, c in self.waiting()[1]:
            if _matches(c, where):
                for node_kind, node, day in c["nodes"]:
                    if node_kind == kind and first.isoformat() <= day <= last.isoformat():
                        found[node] += sign
        return {node: int(n) for node, n in found.items() if n}

    def waiting(self) -> tuple[int, list[tuple[int, dict]]]:
        """(how many wait when more than PUT_RIGHT do, else 0; the waiting cases as (sign, contribution): each
        one's stored contribution taken off and its contribution now added)."""
        if self._waiting is None:
            ids = list(db.session.scalars(select(StatPending.case_id).limit(PUT_RIGHT + 1)))
            if len(ids) > PUT_RIGHT:
                self._waiting = (db.session.scalar(select(func.count()).select_from(StatPending)), [])
            else:
                stored = dict(db.session.execute(select(StatCase.case_id, StatCase.contribution)
                                                 .where(StatCase.case_id.in_(ids))).all()) if ids else {}
                fresh = facts_of(ids)
                changes = []
                for case_id in ids:
                    if case_id in fresh:
                        if case_id in stored:
                            changes.append((-1, stored[case_id]))
                        changes.append((1, contribution(fresh[case_id])))
                self._waiting = (0, changes)
        return self._waiting

    def _put_right(self, out: Read, first: date, last: date, where: dict, by: str | None, at_end: bool) -> None:
        too_many, changes = self.waiting()
        out.waiting = too_many
        for sign, c in changes:
            if not _matches(c, where):
                continue
            if by in TIMES:
                for day, figure, n in c["items"]:
                    if figure not in ("open_delta", "overdue_delta") and first.isoformat() <= day <= last.isoformat():
                        out.groups[_key(by, date.fromisoformat(day))][0][figure] += sign * n
                continue
            sums, histogram = summed([c], first, last)
            group = out.groups[c["dims"][_DIM_INDEX[_BY[by]]] if by else None]
            for figure, n in sums.items():
                if at_end or figure not in ("open_delta", "overdue_delta"):
                    group[0][figure] += sign * n
            for days, n in histogram.items() if at_end else ():
                group[1][days] += sign * n


def _grouped(table, by: str | None, columns: list, span, where: dict, also=None):
    conditions = [getattr(table, name) == value for name, value in where.items()]
    group = None if by is None else table.start if by in TIMES else getattr(table, _BY[by])
    keys = [k for k in (group, also) if k is not None]
    stmt = select(group if group is not None else func.min(table.grain), *columns, *([also] if also is not None else []))
    stmt = stmt.where(span, *conditions)
    return db.session.execute(stmt.group_by(*keys) if keys else stmt).all()


def _in_spans(table, first: date, last: date, years: bool = True):
    return or_(*[and_(table.grain == grain, table.start >= since, table.start <= until)
                 for grain, since, until in spans(first, last, years)])


def _days(table, first: date, last: date):
    """The day rows of first..last."""
    return and_(table.grain == "day", table.start >= first, table.start <= last)


def _up_to(table, last: date):
    """Every row up to `last`, from the start."""
    return _in_spans(table, EPOCH, last)


def _key(by: str | None, value):
    if by is None:
        return None
    if by == "month":
        return value.replace(day=1)
    return value


def _matches(c: dict, where: dict) -> bool:
    return all(c["dims"][_DIM_INDEX[name]] == value for name, value in where.items())


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)

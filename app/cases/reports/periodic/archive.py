"""The archive of periodic reports: making a period's report once (document.py draws it) and keeping it, drawing it
anew on request (the same bytes from the same rows), and the reports due once a period is over (the scheduler's
job)."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import PeriodicReport, utcnow

from ... import errors, reference
from ...errors import T
from .document import render, to_pdf
from .periods import closed_periods, name_of, period_named

KINDS = ("month", "quarter", "year")


def generate(text: str, by: str, again: bool = False) -> tuple[PeriodicReport, str]:
    """The report of the period named `text`: ("created"), the archived one ("kept"), or when `again` the report
    drawn anew ("unchanged" when its bytes are the same, else "replaced"). A period not over yet is refused."""
    kind, period = period_named(text)
    name = name_of(kind, period)
    if period.last >= reference.local_today():
        raise errors.ValidationFailedError(T('the period is not over yet'), {"period": [
            T('A report is made once its period is over.')]})
    found = _archived(kind, name)
    if found is not None and not again:
        return found, "kept"
    html = render(kind, period)
    pdf = to_pdf(html)
    digest = hashlib.sha256(pdf).hexdigest()
    if found is not None:
        if found.sha256 == digest and found.html == html:
            return found, "unchanged"
        found.html, found.pdf, found.sha256, found.generated_by, found.generated_at = html, pdf, digest, by, utcnow()
        db.session.commit()
        return found, "replaced"
    report = PeriodicReport(kind=kind, period=name, first=period.first, last=period.last, html=html, pdf=pdf,
                            sha256=digest, generated_by=by, generated_at=utcnow())
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError:  # another process archived it first: theirs stands
        db.session.rollback()
        return _archived(kind, name), "kept"
    return report, "created"


def generate_due(today: date) -> list[str]:
    """The scheduler's job: archive the report of each period just over that has none yet; the names made."""
    made = []
    for name in closed_periods(today):
        if _archived(*_kind_and_name(name)) is None:
            generate(name, "scheduler")
            made.append(name)
    return made


def archived(kind: str | None = None) -> list[PeriodicReport]:
    query = select(PeriodicReport).order_by(PeriodicReport.first.desc(), PeriodicReport.kind)
    return list(db.session.scalars(query.where(PeriodicReport.kind == kind) if kind else query))


def report_by_id(report_id: int) -> PeriodicReport | None:
    return db.session.get(PeriodicReport, report_id)


def _archived(kind: str, name: str) -> PeriodicReport | None:
    return db.session.scalar(select(PeriodicReport).where(PeriodicReport.kind == kind, PeriodicReport.period == name))


def _kind_and_name(text: str) -> tuple[str, str]:
    kind, period = period_named(text)
    return kind, name_of(kind, period)



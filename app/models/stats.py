"""The figures' rollups (docs/statistics.md, "How the figures are kept"): what each case contributes to the figures,
summed by day, month and year under the dimensions the figures are filtered by, so that a month or a year of ten years
of a city is read from a few thousand rows; and the appeals against counting (申诉) that change a contribution.

A case's contribution is rewritten whenever its ledger grows: the ledger's writer marks the case (`stat_pending`),
and a job folds the marked cases in -- taking off what the case contributed before (`stat_case`) and adding what it
contributes now. The rollups are therefore always the sum of the cases' stored contributions, and each stored
contribution is what a recount of the case's rows gives (`minyi stats verify` checks both)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow

GRAINS = ("day", "month", "year")
NO_DEPARTMENT = 0  # a case filed with no department (or taken off its department by an appeal) counts under 0
APPEAL_STATES = ("pending", "upheld", "rejected")


class _Dimensions:
    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)  # the local day, or the first day of its month or year
    department_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    confidential: Mapped[bool] = mapped_column(Boolean, primary_key=True)


class StatRollup(_Dimensions, db.Model):
    """The figures of the cases of one department, category, channel and confidentiality, for one day, month or year."""

    __tablename__ = "stat_rollup"

    # counts of the period (docs/statistics.md), the rates' numerators (_n) and denominators (_d), the verdicts and
    # the ratings by score; open_delta and overdue_delta: +1 the day a case became open (overdue), -1 the day it
    # stopped being so (their sum up to a day is the count at its end)
    received: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    not_accepted: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    repeats: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    breaches: Mapped[int] = mapped_column(Integer, default=0)
    notices: Mapped[int] = mapped_column(Integer, default=0)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    rehandled: Mapped[int] = mapped_column(Integer, default=0)
    on_time_n: Mapped[int] = mapped_column(Integer, default=0)
    on_time_d: Mapped[int] = mapped_column(Integer, default=0)
    response_n: Mapped[int] = mapped_column(Integer, default=0)
    response_d: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    not_resolved: Mapped[int] = mapped_column(Integer, default=0)
    rated_1: Mapped[int] = mapped_column(Integer, default=0)
    rated_2: Mapped[int] = mapped_column(Integer, default=0)
    rated_3: Mapped[int] = mapped_column(Integer, default=0)
    rated_4: Mapped[int] = mapped_column(Integer, default=0)
    rated_5: Mapped[int] = mapped_column(Integer, default=0)
    open_delta: Mapped[int] = mapped_column(Integer, default=0)
    overdue_delta: Mapped[int] = mapped_column(Integer, default=0)


DIMENSIONS = ("grain", "start", "department_id", "category", "channel", "confidential")
FIGURES = tuple(c.name for c in StatRollup.__table__.columns if c.name not in DIMENSIONS)


class StatHandling(_Dimensions, db.Model):
    """How many cases first answered that day, month or year took `days` working days net of holds (for the median and
    the 90th percentile)."""

    __tablename__ = "stat_handling"

    days: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=1)  # after the dimensions, as in the migration
    cases: Mapped[int] = mapped_column(Integer, default=0)


class StatNode(db.Model):
    """Cases received that day, month or year by department and topic or area (the hotspots)."""

    __tablename__ = "stat_node"

    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    node_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    confidential: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    cases: Mapped[int] = mapped_column(Integer, default=0)


class StatCase(db.Model):
    """What one case contributes now: its dimensions and its items ([local day, figure, amount], handling days,
    topic and area). No foreign key: an archived case's contribution stays in the figures."""

    __tablename__ = "stat_case"

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contribution: Mapped[dict] = mapped_column(JSON)


class StatPending(db.Model):
    """A case whose ledger grew since its contribution was last folded in; `mark` grows with each write, so the job
    removes the mark only when nothing was written after it read the case."""

    __tablename__ = "stat_pending"

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mark: Mapped[int] = mapped_column(Integer, default=1)


class CountingAppeal(db.Model):
    """A department contests that a case counts against it (申诉: e.g. wrongly routed to it); a supervisor upholds
    it (the case leaves the department's figures) or rejects it. Both are in the case's ledger."""

    __tablename__ = "counting_appeal"
    __table_args__ = (Index("ix_counting_appeal_state", "state", "filed_at"),
                      Index("ix_counting_appeal_case", "case_id"),
                      # one appeal waiting or upheld per case and department, even when two are filed at once
                      Index("uq_counting_appeal_open", "case_id", "department_id", unique=True,
                            sqlite_where=text("state IN ('pending', 'upheld')"),
                            postgresql_where=text("state IN ('pending', 'upheld')")))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    reason: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(Text)


class FocusTopic(db.Model):
    """The month's focus topic (每月一题): leadership marks a topic for the office to work on that month, with a note.
    Rows are only ever added: the latest of a month is in force, the earlier ones are its history."""

    __tablename__ = "focus_topic"
    __table_args__ = (Index("ix_focus_topic_month", "month", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    topic_id: Mapped[int] = mapped_column(ForeignKey("tree_node.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PeriodicReport(db.Model):
    """A monthly, quarterly or annual report as it was generated (docs/statistics.md, "Periodic reports"): the HTML
    and the PDF, archived for download. One per period; generating it again gives the same bytes for the same rows."""

    __tablename__ = "periodic_report"
    __table_args__ = (Index("uq_periodic_report_period", "kind", "period", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(7))  # month, quarter, year
    period: Mapped[str] = mapped_column(String(7))  # 2026-11, 2026-Q4, 2026
    first: Mapped[date] = mapped_column(Date)
    last: Mapped[date] = mapped_column(Date)
    html: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))  # of the PDF
    generated_by: Mapped[str] = mapped_column(String(64))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

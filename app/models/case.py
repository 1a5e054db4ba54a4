"""The case aggregate: the appeal, its petitioner's personal data, dispute parties, and numbering."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .people import Department
from .types import UTCDateTime, utcnow

CATEGORIES = ("consultation", "complaint", "suggestion", "help", "dispute", "incident", "other")
CHANNELS = ("web", "hotline", "letter", "visit", "email", "social", "api", "open311")

# Allowed status transitions; the process moves a case with `set_case(status=...)`.
TRANSITIONS: dict[str, frozenset[str]] = {
    "registered": frozenset({"handling", "rejected", "answered", "closed", "withdrawn"}),
    "handling": frozenset({"answered", "closed", "withdrawn"}),
    "answered": frozenset({"handling", "closed"}),
    "closed": frozenset(),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
SATISFACTION_SOURCES = ("petitioner", "visit", "none")
FOLLOW_UP_OUTCOMES = ("resolved", "not_resolved", "unreachable")
FINAL_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
_OPEN_CASE = text("status NOT IN ('closed', 'rejected', 'withdrawn')")


_CODE = String(32).with_variant(String(32, collation="C"), "postgresql")


class Case(db.Model):
    __table_args__ = (
        # Open cases by due time (the overdue-cases list); closed ones, most of the table, stay out of it.
        Index("ix_case_open_due", "due_at", sqlite_where=_OPEN_CASE, postgresql_where=_OPEN_CASE),
        # Open cases by last activity (the console's stalled view, migration 0016).
        Index("ix_case_open_activity", "last_activity_at", "id", sqlite_where=_OPEN_CASE, postgresql_where=_OPEN_CASE),
        # a department's cases, newest first (the cases list of department staff)
        Index("ix_case_department", "department_id", "id"),
        # the cases list, newest first, by each filter it offers (app/cases/lists/queries.py): one index per filter
        # keyed on id, so a page reads the filter's newest matches and stops; a second filter is checked on them
        Index("ix_case_status_id", "status", "id"),
        Index("ix_case_category_id", "category", "id"),
        Index("ix_case_channel_id", "channel", "id"),
        Index("ix_case_department_status", "department_id", "status", "id"),
        Index("ix_case_received_id", "received_at", "id"),
        # with a date of receipt, newest received first: each filter's cases read over the dates asked for
        Index("ix_case_status_received_id", "status", "received_at", "id"),
        Index("ix_case_category_received", "category", "received_at", "id"),
        Index("ix_case_channel_received", "channel", "received_at", "id"),
        Index("ix_case_department_received", "department_id", "received_at", "id"),
        # a topic's cases, in an area, newest received first (the same matter in the same place at intake; the
        # figures by topic and area)
        Index("ix_case_topic_area_received", "topic_id", "area_id", "received_at"),
        # the few confidential cases (an anti-join keeps them out of the lists of staff not cleared for them)
        Index("ix_case_confidential", "id", sqlite_where=text("confidential"), postgresql_where=text("confidential")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A case number is a code, not a word: compared byte by byte (PostgreSQL's "C" collation; SQLite's BINARY), so
    # "starts with" is an index range on any server locale. Stored reversed as well, so "ends with" is one too.
    number: Mapped[str] = mapped_column(_CODE, unique=True)
    number_reversed: Mapped[str | None] = mapped_column(_CODE, index=True)
    category: Mapped[str] = mapped_column(String(20))  # ix_case_category_id
    channel: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    # the title's two-character pieces, space-separated (two-character words and names are searched through them:
    # app/models/search.py); written at registration
    title_bigrams: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    location_address: Mapped[str | None] = mapped_column(String(500))
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # ix_case_department
    status: Mapped[str] = mapped_column(String(20), default="registered")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_unit: Mapped[str] = mapped_column(String(10), default="calendar")  # how a pause moves the case deadline
    # what the petitioner is promised: acceptance (受理) by, and the answer by (a projection until the case is
    # accepted, then the handling deadline in force, extensions included); set by the process (set_case)
    accept_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    satisfaction_comment: Mapped[str | None] = mapped_column(Text)
    # who gave the rating: the petitioner online ('petitioner'), on the follow-up visit ('visit'), or nobody within the
    # rating window ('none': closed without a rating)
    satisfaction_source: Mapped[str | None] = mapped_column(String(20))
    follow_up: Mapped[str | None] = mapped_column(String(20))  # the follow-up visit (回访): resolved / not_resolved / unreachable
    answer: Mapped[str | None] = mapped_column(Text)
    held_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # on hold: no clock runs
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # a person's last step on it
    review_of_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True, unique=True)  # 复查/复核 of that case
    review_level: Mapped[str | None] = mapped_column(String(10))  # 'review' or 're-review'
    # a repeat (重复件) of that open case: registered and closed at once, handled by it (no process of its own)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    # what it is about and where (app/models/taxonomy.py): chosen at intake or triage, changes in the ledger
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("tree_node.id"))  # ix_case_topic_area_received
    area_id: Mapped[int | None] = mapped_column(ForeignKey("tree_node.id"), index=True)
    # the department the dispatch table suggested when the case was routed (overrides are counted against it)
    suggested_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    # confidential (e.g. an accusation against staff, 信访工作条例 Art. 30): seen by staff the policy clears for
    # it only (policy.cleared), never exported or disclosed; every request that names it is logged
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    hold_reason: Mapped[str | None] = mapped_column(Text)
    access_code_hash: Mapped[str] = mapped_column(String(128))  # argon2id; legacy rows: SHA-256 hex
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined", foreign_keys=[department_id])
    petitioner: Mapped[Petitioner] = relationship(back_populates="case", uselist=False, lazy="select")
    parties: Mapped[list[CaseParty]] = relationship(lazy="select", order_by="CaseParty.id")


class Petitioner(db.Model):
    """Personal data, kept apart so that it is read only where needed and masked elsewhere."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)  # staff search a person by name (migration 0037)
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(500))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_by: Mapped[str] = mapped_column(String(10), default="none")  # email, sms or none: how messages reach them
    locale: Mapped[str] = mapped_column(String(5), default="zh")  # the language their messages are written in
    id_number: Mapped[str | None] = mapped_column(String(18))  # resident ID number (居民身份证号), as given, checked
    # the person across cases (app/models/petitioner_record.py); None: anonymous, or nothing that identifies them
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)

    case: Mapped[Case] = relationship(back_populates="petitioner")


class CaseParty(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))


class Counter(db.Model):
    """Named counters (case numbers); incremented with one UPDATE so that concurrent intakes never collide."""

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class CaseQueue(db.Model):
    """A queue (`role@CODE`, or a role) outside the case's own department that held one of its tasks: its
    department-bound staff may see the case (app/cases/policy/rules.py). Written when such a task is created or
    assigned, and for the old department's queues when a case moves to another department; kept for good."""

    __tablename__ = "case_queue"
    __table_args__ = (Index("ix_case_queue_queue", "queue", "case_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    queue: Mapped[str] = mapped_column(String(100), primary_key=True)

"""Telling the petitioner: the messages of one operation's events, written into the outbox in its transaction
(so a message exists exactly when what it tells was committed), one row per case + kind + step + channel."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.calendar import calendar_days_after
from app.extensions import db
from app.models import Case, LedgerEntry, OutboxMessage, Petitioner, RatingLink, utcnow

from .. import reference
from ..sql import sql
from .kinds import REVIEW_WINDOW_DAYS
from .wording import Wording, render, shipped, template_for

log = logging.getLogger(__name__)
_outbox = OutboxMessage.__table__
_INSERT_LINK = RatingLink.__table__.insert()
_BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en"}
_REVIEW_NAMES = {"zh": {"review": "复查", "re-review": "复核"}, "en": {"review": "review", "re-review": "re-review"}}


def tell(case_id: int, events: list[tuple[str, dict[str, Any]]], step: str, access_code: str | None = None) -> int:
    """Write the messages of `events` ((kind, facts), in order) for the case's petitioner, in the caller's
    transaction; nothing when they asked for none or gave no way to reach them. A step told twice (the same
    case, kind, step and channel) is written once. Returns the number of rows written."""
    if not events:
        return 0
    row = sql(select(Case.id, Case.number, Case.title, Case.received_at, Case.accept_by, Case.answer_by, Case.review_level,
                     Petitioner.name, Petitioner.phone, Petitioner.email, Petitioner.notify_by, Petitioner.locale,
                     Petitioner.anonymous)
              .join(Petitioner, Petitioner.case_id == Case.id).where(Case.id == case_id)).first()
    if row is None or row.anonymous:
        return 0
    channel = row.notify_by
    recipient = row.email if channel == "email" else row.phone if channel == "sms" else None
    if not recipient:
        return 0
    locale = row.locale if row.locale in _BABEL_LOCALES else "zh"
    base = current_app.config["MINYI_PUBLIC_URL"].rstrip("/")
    common = {"name": row.name or "", "number": row.number, "title": row.title,
              "track_url": f"{base}/track?number={row.number}"}
    now, rows = utcnow(), []
    for kind, facts in events:
        secret = access_code if kind == "receipt" else _rating_link(case_id) if kind == "answered" else None
        values = {**common, **_facts(kind, facts, row, locale, base, access_code, secret)}
        wording = _words(kind, channel, locale, values)
        rows.append({"case_id": case_id, "kind": kind, "channel": channel, "recipient": recipient, "locale": locale,
                     "subject": wording.subject, "body": wording.body, "secret": secret,
                     "dedupe_key": f"{case_id}:{kind}:{step}:{channel}", "status": "pending", "attempts": 0,
                     "next_attempt_at": now, "created_at": now})
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    result = db.session.execute(dialect.insert(_outbox).on_conflict_do_nothing(index_elements=["dedupe_key"]), rows)
    return result.rowcount or 0


def _words(kind: str, channel: str, locale: str, values: dict[str, Any]) -> Wording:
    """The administrator's wording; the shipped one when theirs fails on this case's facts (a template that passed
    its test with invented facts must never stop a case from moving on)."""
    try:
        return render(template_for(kind, channel, locale), values)
    except Exception:  # any failure of an edited template
        log.exception("the wording of %s/%s/%s failed; the shipped one is used", kind, channel, locale)
        return render(shipped(kind, channel, locale), values)


def _facts(kind: str, facts: dict[str, Any], row, locale: str, base: str, access_code: str | None,
           secret: str | None) -> dict[str, Any]:
    day = lambda value: _day(value, locale)  # noqa: E731 - a short local alias
    if kind == "receipt":
        return {"access_code": access_code or "", "received": day(row.received_at), "accept_by": day(row.accept_by),
                "answer_by": day(row.answer_by)}
    if kind in ("accepted", "extended"):
        return {"answer_by": day(facts.get("answer_by") or row.answer_by), "reason": facts.get("reason") or ""}
    if kind == "not_accepted":
        return {"reason": facts.get("reason") or ""}
    if kind == "repeat":
        return {"original": facts.get("original") or ""}
    if kind == "routed":
        department = reference.departments().get(str(facts.get("department") or ""))
        return {"department": department.name if department else str(facts.get("department") or ""),
                "answer_by": day(row.answer_by)}
    review_by, level = _review_window(row.id, row.review_level, locale)
    if kind == "answered":
        return {"answer": facts.get("answer") or "", "rating_url": f"{base}/rate/{secret}", "review_by": review_by}
    return {"review_by": review_by, "review_level": level}  # closed


def _rating_link(case_id: int) -> str:
    token = secrets.token_urlsafe(24)
    sql(_INSERT_LINK, {"case_id": case_id, "token_hash": token_hash(token), "created_at": utcnow()})
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _review_window(case_id: int, review_level: str | None, locale: str) -> tuple[str, str]:
    """By when (and which) review may be asked: 30 days after the last answer; none after a re-review."""
    level = {None: "review", "review": "re-review"}.get(review_level)
    answered_at = sql(select(func.max(LedgerEntry.at)).where(LedgerEntry.case_id == case_id,
                                                             LedgerEntry.action == "case.answered")).scalar()
    if level is None:
        return "", ""
    start = answered_at.astimezone(UTC) if answered_at else utcnow()
    closes = calendar_days_after(start, REVIEW_WINDOW_DAYS, reference.zone(), reference.work_calendar()).at
    return _day(closes, locale), _REVIEW_NAMES[locale][level]


def _day(value: Any, locale: str) -> str:
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(reference.zone()).date(), format="long", locale=_BABEL_LOCALES[locale])

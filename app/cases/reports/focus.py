"""The month's focus topic (每月一题, docs/statistics.md "Focus topic"): leadership marks a topic for a month, with a
note; the figures follow it -- its cases in that month (received, answered, the four rates) and month by month since,
up to a year -- so everyone sees whether the office is getting on top of it. A mark is never changed: marking the
month again adds a row, and the latest holds."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import FocusTopic, TreeNode, User, utcnow

from .. import errors, policy
from ..errors import T
from ..policy import Principal
from ..reference import local_today
from ..taxonomy.trees import node_by_code
from ..transaction import transaction
from .summary import Filters, Period, summary
from .trends import trend

NOTE_MAX = 2000
FOLLOW_MONTHS = 12  # months followed from the focus month on


def mark_focus(user: Principal, month: date, topic: str, note: str) -> dict:
    """Make `topic` (a topic's code) the focus of `month` (any day of it), with a note."""
    policy.require(user, "stats.focus")
    node = node_by_code("topic", topic, "topic")
    if node is None:
        raise errors.ValidationFailedError(T('give the topic'), {"topic": [T('Choose a topic.')]})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise errors.ValidationFailedError(T('the note is too long'), {"note": [
            T('At most %(n)s characters.', n=NOTE_MAX)]})
    with transaction():
        mark = FocusTopic(month=month.replace(day=1), topic_id=node.id, note=note, set_by=user.username,
                          set_at=utcnow())
        db.session.add(mark)
    return _shown(user, mark, node)


def focus_topics(user: Principal, period: Period) -> list[dict]:
    """The focus topic of each month the period touches (the latest mark of each), oldest first, with its figures."""
    policy.require(user, "stats.read")
    rows = db.session.execute(select(FocusTopic, TreeNode).join(TreeNode, TreeNode.id == FocusTopic.topic_id)
                              .where(FocusTopic.month >= period.first.replace(day=1), FocusTopic.month <= period.last)
                              .order_by(FocusTopic.month, FocusTopic.id)).all()
    latest = {mark.month: (mark, node) for mark, node in rows}
    return [_shown(user, mark, node) for mark, node in latest.values()]


def _shown(user: Principal, mark: FocusTopic, node: TreeNode) -> dict:
    month = Period(mark.month, _month_end(mark.month))
    filters = Filters(topic=node.code)
    figures = summary(user, month, filters)
    last = min(_month_end(_add_months(mark.month, FOLLOW_MONTHS - 1)), max(local_today(), month.last))
    followed = trend(user, Period(mark.month, last), filters, "month")["items"]
    return {"month": mark.month.strftime("%Y-%m"), "topic": node.code, "name": node.name, "note": mark.note,
            "set_by": mark.set_by, "set_by_name": db.session.scalar(select(User.display_name)
                                                                  .where(User.username == mark.set_by)) or mark.set_by,
            "set_at": mark.set_at.isoformat(), "counts": figures["counts"],
            "rates": figures["rates"], "follow": followed}


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _add_months(first, 1) - timedelta(days=1)

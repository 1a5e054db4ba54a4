"""How long cases stay in the database: a retention period per category, in years, counted from closing.

MINYI_RETENTION_YEARS (default 10: 信访 records are kept ten years) applies to every category; MINYI_RETENTION
gives categories their own, e.g. "consultation=3,other=3". Only final cases (closed, rejected, withdrawn) ever go.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from app.models import CATEGORIES, FINAL_STATUSES, Case

from .. import errors
from ..errors import T

DEFAULT_YEARS = 10


def retention_years() -> dict[str, int]:
    """Each category's retention period in years (configuration, checked)."""
    default = int(current_app.config.get("MINYI_RETENTION_YEARS", DEFAULT_YEARS))
    periods = dict.fromkeys(CATEGORIES, default)
    for part in filter(None, (current_app.config.get("MINYI_RETENTION") or "").split(",")):
        category, _, years = part.partition("=")
        category = category.strip()
        if category not in periods or not years.strip().isdigit():
            raise errors.ValidationFailedError(T('bad retention setting'), {"MINYI_RETENTION": [
                T('"%(part)s": write category=years, e.g. consultation=3', part=part.strip())]})
        periods[category] = int(years)
    return periods


def archivable(before: datetime, now: datetime):
    """The ids of the final cases closed before `before` whose retention period has passed (oldest first), and not
    the original of a review (复查/复核) that stays."""
    periods = retention_years()
    past_retention = or_(*[and_(Case.category == category, Case.closed_at < now - timedelta(days=365 * years + years // 4))
                           for category, years in periods.items()])
    review = Case.__table__.alias("review")
    kept_review = select(review.c.id).where(review.c.review_of_id == Case.id,
                                            or_(review.c.closed_at.is_(None), review.c.closed_at >= before))
    return (select(Case.id).where(Case.status.in_(sorted(FINAL_STATUSES)), Case.closed_at < before, past_retention,
                                  ~kept_review.exists())
            .order_by(Case.id))

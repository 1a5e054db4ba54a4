"""What a staff user keeps between visits: named inbox filter sets, and task form drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow


class SavedFilter(db.Model):
    """An inbox filter set under a name; private to its owner, or shared with one of the owner's groups."""

    __table_args__ = (
        UniqueConstraint("owner", "name", name="uq_saved_filter_owner_name"),
        Index("ix_saved_filter_shared_with", "shared_with"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))  # a username
    name: Mapped[str] = mapped_column(String(100))
    filters: Mapped[dict] = mapped_column(JSON)
    shared_with: Mapped[str | None] = mapped_column(String(100))  # a group such as handler@ENV
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TaskDraft(db.Model):
    """A user's unfinished form values for a task; removed when the task is completed."""

    task_id: Mapped[str] = mapped_column(ForeignKey("task.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

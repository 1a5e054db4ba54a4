"""The process owners' working copies: a BPMN draft per process and edited forms, before they become a version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow


class ProcessDraft(db.Model):
    """The diagram a process owner is editing: saved as it is, problems and all; publishing makes it a version."""

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    bpmn_xml: Mapped[str] = mapped_column(Text)
    base_version: Mapped[int | None] = mapped_column(Integer)  # the version the edit started from
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    # Two owners saving over each other: the second save names the copy it read and fails.
    __mapper_args__ = {"version_id_col": lock_version}


class FormDefinition(db.Model):
    """A form as edited in the workbench; it overrides forms/ and is bundled into the next version that uses it."""

    form_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": lock_version}

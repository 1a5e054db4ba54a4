"""Files attached to a case (the bytes live on disk, named by checksum) and the log of who saw personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow

ACCESS_CHANNELS = ("api", "page")
# what was seen: the petitioner's unmasked personal data, or a confidential case (any request naming it)
ACCESS_KINDS = ("petitioner", "confidential")


class Attachment(db.Model):
    """One upload to a case; the file itself is `<MINYI_ATTACHMENTS_DIR>/<sha256[:2]>/<sha256>`, shared by equal uploads."""

    __table_args__ = (Index("ix_attachment_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PersonalDataAccess(db.Model):
    """Append-only: every view of a petitioner's unmasked personal data, and every request naming a confidential
    case — who, when, which case, api or page, and what (ACCESS_KINDS)."""

    __tablename__ = "personal_data_access"
    __table_args__ = (Index("ix_personal_data_access_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(10))
    what: Mapped[str] = mapped_column(String(12), default="petitioner", server_default="petitioner")


@event.listens_for(PersonalDataAccess, "before_update")
@event.listens_for(PersonalDataAccess, "before_delete")
def _refuse_change(mapper, connection, target):
    raise PermissionError("the personal data access log is append-only")

"""Attendance (kehadiran): one row per participant per session they were seen at or excused.

"alpa" (absent) is never stored: it is the lack of a row at a session that has finished.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bimtek.attendance.labels import STATUS_LABELS
from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db

PRESENT = ("hadir", "terlambat")
EXCUSED = ("izin", "sakit")
#: how a row came in
SOURCES = ("desk", "api", "camera", "manual")


def status_labels() -> dict[str, str]:
    """Status → its word in the reader's language."""
    return {status: str(label) for status, label in STATUS_LABELS.items()}


class Attendance(db.Model):
    __tablename__ = "attendances"
    #: how ``bimtek.events.access.load_in_event`` reaches its event
    __event_parent__ = "session"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "participant_id"),
        sa.UniqueConstraint("session_id", "scan_id"),
        sa.CheckConstraint("status IN ('hadir', 'terlambat', 'izin', 'sakit')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: hadir, terlambat, izin or sakit
    status: Mapped[str] = mapped_column(sa.String(12))
    #: when the person was seen: the scan's original time for a scan queued offline;
    #: for izin/sakit, when it was recorded
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the staff member who scanned or recorded it
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: reason for izin/sakit, or a remark by the desk
    note: Mapped[str] = mapped_column(sa.Text, default="")
    #: id made by the scanning client; a retried offline scan carries the same one
    scan_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: desk, api, camera or manual
    source: Mapped[str] = mapped_column(sa.String(10), default="desk")
    #: when the row reached the server (differs from checked_in_at for queued scans)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session = relationship("Session")
    participant = relationship("Participant")
    recorded_by = relationship("User")

    @property
    def status_label(self) -> str:
        return status_labels().get(self.status, self.status)

    def __repr__(self) -> str:
        return f"<Attendance s{self.session_id} p{self.participant_id} {self.status}>"

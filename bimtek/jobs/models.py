"""Files prepared by a job (a certificate ZIP, a merged PDF, a large export), kept a while."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db


class PreparedFile(db.Model):
    __tablename__ = "prepared_files"
    __table_args__ = (sa.Index("ix_prepared_files_event_kind", "event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    #: what is built, e.g. certificates_zip, certificates_pdf
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: what the file is built from (e.g. the certificates in force); same input, same file
    fingerprint: Mapped[str] = mapped_column(sa.String(120), default="")
    #: queued, running, ready or failed
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: the name offered for download
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    #: the built file, kept through ``bimtek.storage.files`` (None until ready, and after the
    #: periodic job deleted it)
    file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    size: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the lease of the process building it: renewed while it runs, set when it is queued; a
    #: queued or running file whose lease lapsed was lost with its process and is queued again
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: how often a job claimed it; only the newest claim may finish it
    attempts: Mapped[int] = mapped_column(default=0)
    #: after this the file is deleted and must be prepared again
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def percent(self) -> int:
        if self.status == "ready":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

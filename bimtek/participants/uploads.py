"""An uploaded participant list waiting between its preview and the organizer's decision
(the table of ``bimtek.participants.importing``)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db


class ImportUpload(db.Model):
    """Kept in the database, not on one server's disk, so any app server can confirm it."""

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: unguessable id in the preview URL (secrets.token_urlsafe(24))
    token: Mapped[str] = mapped_column(sa.String(48), unique=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: who uploaded it; only they may confirm or discard it
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: the import it was made for: "participants" or "team" (the event's narasumber,
    #: moderators and panitia); its preview opens only on that import's pages
    kind: Mapped[str] = mapped_column(sa.String(20), default="participants")
    #: the file's name as uploaded, for the page and the audit log
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: the .xlsx bytes as uploaded (at most IMPORT_MAX_BYTES)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    #: uploads older than a day are deleted at the next upload
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

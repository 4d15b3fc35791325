"""The bytes of a kept file, with what is needed to serve and check them."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db


class StoredFile(db.Model):
    """One kept file. Its owner (a material, a prepared file) points at it by id."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the bytes; loaded only when read (lists of materials never load them)
    content: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    size: Mapped[int] = mapped_column()
    #: hex SHA-256 of ``content``: the download's ETag, and a check after a restore
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content_type: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: after this the periodic job deletes it (None: kept until its owner deletes it)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

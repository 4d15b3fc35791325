"""The audit log: who did what to whom, and when."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: the staff member or participant who acted; empty for the public and the CLI
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: how the actor came in: "web", "api", "cli", "public", "system"
    channel: Mapped[str] = mapped_column(sa.String(20))
    #: dotted verb, e.g. "participant.register", "participant.cancel", "checkin.undo"
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: what was acted on, e.g. "participant", and its id
    target_type: Mapped[str | None] = mapped_column(sa.String(40))
    target_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor = relationship("User")

"""How long an event keeps its participants' personal data, and whether it was purged."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bimtek.core.timeutil import UTCDateTime
from bimtek.extensions import db

#: months after the event's last day; an event without a row keeps its data this long
DEFAULT_RETENTION_MONTHS = 12


class PersonalDataPolicy(db.Model):
    __tablename__ = "personal_data_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    #: months after the event's last day before the personal data may be anonymised
    retention_months: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_MONTHS)
    #: when the participants' personal data was anonymised; irreversible
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

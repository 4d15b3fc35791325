"""Reading an event's retention rule: how long personal data is kept, and from when the
purge is allowed. Nothing here writes."""

import calendar
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.privacy.models import DEFAULT_RETENTION_MONTHS, PersonalDataPolicy

MAX_RETENTION_MONTHS = 120


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def policy_of(event: Event) -> PersonalDataPolicy:
    """The event's policy; an unsaved one with the default period when it has none."""
    stored = db.session.scalar(
        sa.select(PersonalDataPolicy).where(PersonalDataPolicy.event_id == event.id)
    )
    return stored or PersonalDataPolicy(
        event_id=event.id, retention_months=DEFAULT_RETENTION_MONTHS
    )


@dataclass(frozen=True)
class Retention:
    months: int
    #: the first day on which the personal data may be anonymised
    purge_from: date
    purged_at: object

    @property
    def purged(self) -> bool:
        return self.purged_at is not None

    def may_purge(self, today: date) -> bool:
        return not self.purged and today >= self.purge_from


def retention_of(event: Event) -> Retention:
    policy = policy_of(event)
    return Retention(
        months=policy.retention_months,
        purge_from=add_months(event.end_date, policy.retention_months),
        purged_at=policy.purged_at,
    )


def retention_period(event: Event) -> str:
    """The event's retention as the registration notice words it: "12 bulan", "2 tahun";
    read from the same policy the purge obeys (``retention_of``)."""
    months = retention_of(event).months
    if months >= 24 and months % 12 == 0:
        return _("%(n)s tahun", n=months // 12)
    return _("%(n)s bulan", n=months)

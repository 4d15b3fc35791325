"""Assigning staff to events: who manages an event and who runs its check-in desk."""

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth.models import User
from bimtek.errors import InvalidInput
from bimtek.events.models import EVENT_ROLES, Event, EventStaff
from bimtek.extensions import db


def assign_staff(event: Event, user: User, role: str, *, actor=None, channel: str = "web"):
    """Give ``user`` the right ``role`` in ``event`` (replacing any right they had there)."""
    if role not in EVENT_ROLES:
        raise InvalidInput(_("Peran harus manager atau panitia."), fields={"role": role})
    if user.role != "staff":
        raise InvalidInput(
            _("Hanya akun staf yang dapat ditugaskan ke kegiatan."), fields={"user": user.id}
        )
    assignment = db.session.scalar(
        sa.select(EventStaff).where(EventStaff.event_id == event.id, EventStaff.user_id == user.id)
    )
    if assignment is None:
        assignment = EventStaff(event=event, user=user, role=role)
        db.session.add(assignment)
    else:
        assignment.role = role
    db.session.flush()
    record(
        "event_staff.assign",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=user,
        details={"role": role},
    )
    return assignment


def unassign_staff(event: Event, user: User, *, actor=None, channel: str = "web") -> None:
    """Take away ``user``'s right in ``event``."""
    db.session.execute(
        sa.delete(EventStaff).where(EventStaff.event_id == event.id, EventStaff.user_id == user.id)
    )
    record("event_staff.unassign", actor=actor, channel=channel, event_id=event.id, target=user)
    db.session.flush()


def staff_of(event: Event) -> list[EventStaff]:
    """The staff assigned to ``event``, managers first."""
    return list(
        db.session.scalars(
            sa.select(EventStaff)
            .join(User, User.id == EventStaff.user_id)
            .where(EventStaff.event_id == event.id)
            .order_by(EventStaff.role, User.full_name)
        )
    )

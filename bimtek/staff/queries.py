"""Reads for the staff pages: who holds which right where."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bimtek.auth.models import User
from bimtek.events.models import Event, EventStaff
from bimtek.extensions import db


def assignments_by_user(users: list[User]) -> dict[int, list[EventStaff]]:
    """user id → that user's rights per event, newest event first (one query for the list)."""
    by_user: dict[int, list[EventStaff]] = {user.id: [] for user in users}
    if not by_user:
        return by_user
    rows = db.session.scalars(
        sa.select(EventStaff)
        .join(Event, Event.id == EventStaff.event_id)
        .options(selectinload(EventStaff.event))
        .where(EventStaff.user_id.in_(list(by_user)))
        .order_by(Event.start_date.desc(), Event.id.desc())
    )
    for row in rows:
        by_user[row.user_id].append(row)
    return by_user


def all_events() -> list[Event]:
    return list(db.session.scalars(sa.select(Event).order_by(Event.start_date.desc())))


def administrators() -> list[User]:
    """Active install-wide administrators (they hold every event without an assignment)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == "admin", User.active.is_(True))
            .order_by(User.full_name)
        )
    )

"""Which sessions are whose: the one rule of classes (kelas).

A session with no class is plenary, for everyone; a session for a class is for that class's
participants only. A participant with no class is expected at the plenary sessions only.
Every count, list and percentage that asks "is this session this person's?" (the daftar
hadir, the desk, the recap, certificate eligibility) calls ``session_is_for`` or, in SQL,
``audience_clause``.
"""

import sqlalchemy as sa

from bimtek.events.models import Event, EventClass, Session


def session_is_for(session: Session, class_id: int | None) -> bool:
    """Whether a person in class ``class_id`` (None: no class) is expected at ``session``."""
    return session.class_id is None or session.class_id == class_id


def sessions_for(sessions, class_id: int | None) -> list[Session]:
    """The sessions among ``sessions`` a person in class ``class_id`` is expected at."""
    return [session for session in sessions if session_is_for(session, class_id)]


def audience_clause(session: Session, class_column):
    """SQL condition on a participant's class column: the people expected at ``session``."""
    if session.class_id is None:
        return sa.true()
    return class_column == session.class_id


def class_names(event: Event) -> dict[int, str]:
    """Class id → its name, for an event."""
    return {event_class.id: event_class.name for event_class in event.classes}


def audience_label(session: Session) -> str:
    """What a page prints for a session's audience: the class's name, or "" for plenary."""
    event_class: EventClass | None = session.event_class
    return event_class.name if event_class is not None else ""

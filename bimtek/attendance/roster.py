"""The desk's offline roster: who may be looked up without a network, and for how long.
Reads only; a walk-in registration is ``attendance.checkin.walk_in``."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from bimtek.attendance.models import Attendance
from bimtek.core.timeutil import local_to_utc, utcnow
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant, category_labels

#: how long a roster snapshot may serve the desk offline at most
ROSTER_LIFETIME = timedelta(hours=24)


def roster_expiry(event: Event, now: datetime | None = None) -> datetime:
    """When a roster snapshot taken ``now`` stops serving the desk: 24 hours later, or the
    end of the event's last day (its local midnight), whichever comes first."""

    now = now or utcnow()
    last_midnight = local_to_utc(
        datetime.combine(event.end_date + timedelta(days=1), datetime.min.time()), event.timezone
    )
    return min(now + ROSTER_LIFETIME, last_midnight)


def roster_snapshot(event: Event, now: datetime | None = None) -> dict:
    """Who the desk may look up offline: ticket code, name, institution, status, class (its
    id, name and room: the desk refuses another class's session offline as the server does,
    ``attendance.errors.not_in_class``); and who is checked in at which session. Never NIK,
    NIP, phone or e-mail (the panitia use it)."""
    now = now or utcnow()
    people = db.session.execute(
        sa.select(
            Participant.id,
            Participant.ticket_code,
            Participant.full_name,
            Participant.institution,
            Participant.institution_category,
            Participant.registration_number,
            Participant.status,
            Participant.class_id,
        )
        .where(Participant.event_id == event.id)
        .order_by(Participant.full_name, Participant.id)
    ).all()
    session_ids = [s.id for s in event.sessions]
    checked: dict[str, dict[str, str]] = {str(i): {} for i in session_ids}
    if session_ids:
        for participant_id, session_id, status in db.session.execute(
            sa.select(Attendance.participant_id, Attendance.session_id, Attendance.status).where(
                Attendance.session_id.in_(session_ids)
            )
        ):
            checked[str(session_id)][str(participant_id)] = status
    categories = category_labels()
    event_classes = {event_class.id: event_class for event_class in event.classes}
    return {
        "event": event.code,
        "generated_at": now.isoformat(),
        "server_time": utcnow().isoformat(),
        "expires_at": roster_expiry(event, now).isoformat(),
        "participants": [
            {
                "id": p.id,
                "ticket_code": p.ticket_code,
                "full_name": p.full_name,
                "institution": p.institution,
                "category_label": categories.get(p.institution_category, p.institution_category),
                "registration_number": f"{event.code}-{p.registration_number:04d}",
                "status": p.status,
                "class_id": p.class_id,
                "class_name": event_classes[p.class_id].name if p.class_id else None,
                "class_room": (event_classes[p.class_id].room or None) if p.class_id else None,
            }
            for p in people
        ],
        "attendance": checked,
    }

"""What the organizer's dashboard shows: queries only, no changes."""

from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa

from bimtek.core.timeutil import utcnow
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import INSTITUTION_CATEGORIES, Participant
from bimtek.participants.services import status_counts
from bimtek.reports import charts

#: the registrations-over-time chart shows at most this many days (the latest ones)
TIMELINE_DAYS = 45


def registration_panel(event: Event) -> dict:
    """Seats taken and left, the waitlist, per institution category, registrations per day."""
    counts = status_counts(event.id)
    capacity = event.capacity
    rows = db.session.execute(
        sa.select(
            Participant.institution_category, Participant.status, Participant.created_at
        ).where(Participant.event_id == event.id)
    ).all()
    per_category: dict[str, Counter] = {}
    per_day: Counter = Counter()
    for category, status, created_at in rows:
        per_category.setdefault(category, Counter())[status] += 1
        per_day[event.local(created_at).date()] += 1
    categories = []
    for code, label in INSTITUTION_CATEGORIES.items():
        counter = per_category.get(code)
        if not counter:
            continue
        categories.append(
            {
                "code": code,
                "label": label,
                "registered": counter["registered"],
                "waitlisted": counter["waitlisted"],
                "cancelled": counter["cancelled"],
            }
        )
    categories.sort(key=lambda c: (-(c["registered"] + c["waitlisted"]), c["label"]))
    widest = max((c["registered"] + c["waitlisted"] for c in categories), default=0)
    for category in categories:
        category["segments"] = charts.stack(
            [("registered", category["registered"]), ("waitlisted", category["waitlisted"])],
            widest,
        )
    return {
        "counts": counts,
        "capacity": capacity,
        "seats_left": max(0, capacity - counts["registered"]),
        "fill": charts.stack([("registered", counts["registered"])], capacity),
        "fill_percent": round(100 * counts["registered"] / capacity) if capacity else 0,
        "categories": categories,
        "timeline": _timeline(per_day),
        "total": sum(counts.values()),
    }


def _timeline(per_day: Counter) -> dict:
    """Registrations per day, gaps filled with zero, the latest TIMELINE_DAYS days."""
    if not per_day:
        return {"columns": [], "first": None, "last": None, "peak": 0, "days": 0}
    first, last = min(per_day), max(per_day)
    if (last - first).days >= TIMELINE_DAYS:
        first = last - timedelta(days=TIMELINE_DAYS - 1)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    points = [(day.isoformat(), per_day.get(day, 0)) for day in days]
    return {
        "columns": charts.columns(points),
        "first": first,
        "last": last,
        "peak": max(value for _day, value in points),
        "days": len(days),
    }


def today_sessions(event: Event, today: date | None = None) -> list:
    """The event's sessions on the local day ``today`` (default: now at the venue)."""
    today = today or event.local(utcnow()).date()
    return [session for session in event.sessions if session.local_day == today]


def overview(event: Event) -> dict:
    """Everything the dashboard page shows, panel by panel."""
    return {
        "registration": registration_panel(event),
        "today": today_sessions(event),
    }


def live(event: Event) -> dict:
    """Today's sessions and their counts, for the dashboard's 10-second refresh."""
    counts = status_counts(event.id)
    return {
        "event": event.code,
        "generated_at": event.local(utcnow()).strftime("%H:%M:%S"),
        "counts": counts,
        "seats_left": max(0, event.capacity - counts["registered"]),
        "sessions": [
            {
                "id": session.id,
                "title": session.title,
                "start": session.local_start.strftime("%H:%M"),
                "end": session.local_end.strftime("%H:%M"),
            }
            for session in today_sessions(event)
        ],
    }

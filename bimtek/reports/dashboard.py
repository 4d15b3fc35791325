"""What the organizer's dashboard shows: queries only, no changes."""

from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import get_locale

from bimtek.assessments.analysis import group_gain, hake_band, mean
from bimtek.assessments.results import scores
from bimtek.attendance.queries import session_counts
from bimtek.certificates.queries import certificate_counts, served_counts
from bimtek.certificates.rules import eligibility
from bimtek.core import charts, numbers
from bimtek.core.timeutil import format_clock, utcnow
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import INSTITUTION_CATEGORIES, Participant
from bimtek.participants.queries import status_counts

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
        "fill_percent": numbers.percent(counts["registered"], capacity),
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


ATTENDANCE_SERIES = ("hadir", "terlambat", "izin", "sakit", "alpa", "belum")


def attendance_panel(event: Event, now: datetime | None = None) -> dict:
    """Per session: expected, each status, checked-in share, and its stacked bar."""
    now = now or utcnow()
    sessions = []
    for session in event.sessions:
        counts = session_counts(session, now=now)
        expected = counts["expected"]
        started = session.starts_at <= now
        sessions.append(
            {
                "session": session,
                "counts": counts,
                "started": started,
                "percent": numbers.percent(counts["checked_in"], expected),
                "segments": charts.stack(
                    [(key, counts[key]) for key in ATTENDANCE_SERIES if started or key != "belum"],
                    expected,
                ),
            }
        )
    finished = [s for s in sessions if s["counts"]["finished"] and s["counts"]["expected"]]
    mean = (
        numbers.percent(sum(s["percent"] for s in finished), 100 * len(finished))
        if finished
        else None
    )
    return {"sessions": sessions, "finished": len(finished), "mean_percent": mean}


def assessment_panel(event: Event) -> dict:
    """Pre/post: how many took each, mean scores, both class gains, negative gains."""
    pre, post = scores(event, "pre"), scores(event, "post")
    gain = group_gain([(pre[pid], post[pid]) for pid in pre if pid in post])
    mean_pre, mean_post = mean(pre.values()), mean(post.values())
    return {
        "pre_taken": len(pre),
        "post_taken": len(post),
        "mean_pre": mean_pre,
        "mean_post": mean_post,
        "pre_segments": charts.stack([("pre", mean_pre or 0)], 100),
        "post_segments": charts.stack([("post", mean_post or 0)], 100),
        "pairs": gain.n,
        "g_of_means": gain.g_of_means,
        "mean_g": gain.mean_g,
        "band": hake_band(gain.g_of_means),
        "negative": gain.negative,
    }


def certificate_panel(event: Event) -> dict:
    """Registered participants eligible, holding one, still to issue, not eligible; and the
    event's certificates issued, in force and revoked (``certificate_counts``), and those of
    who served, role by role (``served_counts``)."""
    verdicts = [v for v in eligibility(event) if v.participant.status == "registered"]
    holding = sum(1 for v in verdicts if v.certificate is not None)
    eligible = sum(1 for v in verdicts if v.eligible)
    to_issue = sum(1 for v in verdicts if v.eligible and v.certificate is None)
    not_eligible = sum(1 for v in verdicts if not v.eligible and v.certificate is None)
    counts = certificate_counts(event)
    total = len(verdicts)
    return {
        "registered": total,
        "eligible": eligible,
        "issued": counts.issued,
        "in_force": counts.in_force,
        "revoked": counts.revoked,
        "served": served_counts(event),
        "to_issue": to_issue,
        "not_eligible": not_eligible,
        "segments": charts.stack(
            [("hadir", holding), ("terlambat", to_issue), ("belum", not_eligible)], total
        ),
    }


def overview(event: Event) -> dict:
    """Everything the dashboard page shows, panel by panel."""
    now = utcnow()
    attendance = attendance_panel(event, now)
    today = event.local(now).date()
    return {
        "registration": registration_panel(event),
        "attendance": attendance,
        "today": [s for s in attendance["sessions"] if s["session"].local_day == today],
        "assessments": assessment_panel(event),
        "certificates": certificate_panel(event),
    }


def live(event: Event) -> dict:
    """Today's sessions and their counts, for the dashboard's 10-second refresh."""
    now = utcnow()
    counts = status_counts(event.id)
    sessions = []
    for session in today_sessions(event):
        session_count = session_counts(session, now=now)
        sessions.append(
            {
                "id": session.id,
                "title": session.title,
                "start": format_clock(session.local_start, _language()),
                "end": format_clock(session.local_end, _language()),
                "counts": {
                    key: session_count[key]
                    for key in ("expected", "checked_in", *ATTENDANCE_SERIES)
                },
            }
        )
    return {
        "event": event.code,
        "generated_at": format_clock(event.local(now), _language()),
        "counts": counts,
        "seats_left": max(0, event.capacity - counts["registered"]),
        "sessions": sessions,
    }


def _language() -> str:
    return str(get_locale() or "id")

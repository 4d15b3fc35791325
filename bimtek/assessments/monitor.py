"""The organizer's view of a test while it runs: who is taking it, who finished, who ran
out of time. Queries only (an attempt past its deadline is listed as closed, scored from
its saved answers, without writing); extra time and resets are in ``attempts``."""

from datetime import datetime

import sqlalchemy as sa

from bimtek.assessments.models import Answer, Attempt
from bimtek.assessments.scoring import outcomes
from bimtek.assessments.settings import get_assessment
from bimtek.core.timeutil import utcnow
from bimtek.events.access import load_in_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant


def get_attempt(event: Event, attempt_id) -> Attempt:
    """An attempt at a test of ``event`` (404 ``unknown_attempt`` otherwise)."""
    return load_in_event(Attempt, attempt_id, event)


def event_attempts(event: Event, kind: str, now: datetime | None = None) -> list[dict]:
    """Every attempt at the event's ``kind`` test with its participant, answer count and
    outcome at ``now``, newest first."""
    now = now or utcnow()
    assessment = get_assessment(event, kind)
    if assessment.id is None:
        return []
    counts = sa.select(sa.func.count()).where(Answer.attempt_id == Attempt.id).scalar_subquery()
    rows = db.session.execute(
        sa.select(Attempt, Participant, counts)
        .join(Participant, Participant.id == Attempt.participant_id)
        .where(Attempt.assessment_id == assessment.id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    ).all()
    found = outcomes([attempt for attempt, _participant, _count in rows], now)
    return [
        {
            "attempt": attempt,
            "outcome": found[attempt.id],
            "participant": participant,
            "answered": answered,
            "total": len(attempt.question_order or []),
        }
        for attempt, participant, answered in rows
    ]

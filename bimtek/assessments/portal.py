"""What a participant sees of their tests: their attempt, its questions in their order,
their answers and, once closed, the outcome. Queries only: nothing here writes (an attempt
past its deadline is shown closed through ``scoring.outcome``)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from bimtek.assessments.models import KINDS, Answer, Assessment, Attempt, Option, Question
from bimtek.assessments.scoring import outcome
from bimtek.assessments.settings import availability, get_assessment, waits_for_pre
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.participants.models import Participant


def find_attempt(assessment: Assessment, participant: Participant) -> Attempt | None:
    """The participant's attempt at ``assessment``, if started."""
    if assessment.id is None:  # the test's row is not stored yet: nobody has started it
        return None
    return db.session.scalar(
        sa.select(Attempt).where(
            Attempt.assessment_id == assessment.id, Attempt.participant_id == participant.id
        )
    )


def attempt_for(participant: Participant, kind: str) -> Attempt | None:
    """The participant's attempt at the event's ``kind`` test (one query), if started."""
    return db.session.scalar(
        sa.select(Attempt)
        .join(Assessment, Attempt.assessment_id == Assessment.id)
        .where(
            Assessment.event_id == participant.event_id,
            Assessment.kind == kind,
            Attempt.participant_id == participant.id,
        )
    )


def attempt_questions(attempt: Attempt) -> list[tuple[Question, list[Option]]]:
    """The attempt's questions with their options, in the attempt's own shuffled order."""
    ids = list(attempt.question_order or [])
    found = {
        q.id: q
        for q in db.session.scalars(
            sa.select(Question)
            .where(Question.id.in_(ids))
            .options(selectinload(Question.options), selectinload(Question.module))
        )
    }
    shown = []
    for question_id in ids:
        question = found.get(question_id)
        if question is None:
            continue
        by_id = {option.id: option for option in question.options}
        order = attempt.option_order.get(str(question_id), [])
        options = [by_id[o] for o in order if o in by_id]
        options += [o for o in question.options if o.id not in order]
        shown.append((question, options))
    return shown


def chosen_options(attempt: Attempt) -> dict[int, int]:
    """question id → chosen option id."""
    return dict(
        db.session.execute(
            sa.select(Answer.question_id, Answer.option_id).where(Answer.attempt_id == attempt.id)
        ).all()
    )


def answered_count(attempt: Attempt) -> int:
    """How many questions of the attempt have a saved answer."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Answer).where(Answer.attempt_id == attempt.id)
    )


def module_breakdown(attempt: Attempt) -> list[dict]:
    """Right answers per module of a closed attempt, for the participant's result page."""
    chosen = chosen_options(attempt)
    rows: dict = {}
    for question, _options in attempt_questions(attempt):
        module = question.module
        key = module.id if module else None
        row = rows.setdefault(
            key,
            {
                "code": module.code if module else "—",
                "title": module.title if module else _("Tanpa materi"),
                "position": module.position if module else 10**6,
                "right": 0,
                "asked": 0,
            },
        )
        row["asked"] += 1
        correct = question.correct_option
        if correct is not None and chosen.get(question.id) == correct.id:
            row["right"] += 1
    return sorted(rows.values(), key=lambda row: (row["position"], row["code"]))


def portal_overview(participant: Participant, now: datetime | None = None) -> list[dict]:
    """For each of pre and post: the assessment, the attempt (if any), its outcome and the
    state ('done', 'in_progress', or the test's availability) and whether it waits for the
    pre-test to close."""
    now = now or utcnow()
    items = []
    for kind in KINDS:
        assessment = get_assessment(participant.event, kind)
        attempt = find_attempt(assessment, participant)
        result = outcome(attempt, now) if attempt is not None else None
        if result is not None:
            state = "done" if result.closed else "in_progress"
        else:
            state = availability(assessment, now)
        items.append(
            {
                "assessment": assessment,
                "attempt": attempt,
                "outcome": result,
                "state": state,
                "waits_for_pre": state == "not_yet" and waits_for_pre(assessment, now),
            }
        )
    return items

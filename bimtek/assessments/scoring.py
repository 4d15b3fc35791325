"""An attempt's outcome as every read sees it, without writing.

An attempt past its deadline is closed, whether or not an operation has stored that yet
(the participant's next answer or submit, or the minute job ``close_expired_attempts_job``
do): reads take the deadline as its closing time and score what was saved before it, the
same way ``attempts.close_if_expired`` scores it when it closes the row for good. So a page,
the API or a report shows the same figure before and after the job has run, and a GET
never takes a lock or writes.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from bimtek.assessments.models import Answer, Attempt, Option
from bimtek.extensions import db


@dataclass(frozen=True)
class Outcome:
    """Where an attempt stands at a moment: open, or closed with its reason and score."""

    closed: bool
    #: when it closed (submitted, or its deadline); None while open
    closed_at: datetime | None = None
    #: 'submitted' or 'expired'; None while open
    reason: str | None = None
    #: 0–100 with 2 decimals; None while open
    score: float | None = None
    correct_count: int | None = None


def score_of(correct: int, asked: int) -> float:
    """The 0–100 score of ``correct`` right answers out of ``asked`` questions."""
    return round(100 * correct / asked, 2) if asked else 0.0


def correct_counts(attempts: list[Attempt]) -> dict[int, int]:
    """attempt id → how many of its own questions have a correct saved answer (one query)."""
    asked = {attempt.id: set(attempt.question_order or []) for attempt in attempts}
    counts = dict.fromkeys(asked, 0)
    if not asked:
        return counts
    rows = db.session.execute(
        sa.select(Answer.attempt_id, Answer.question_id)
        .join(Option, Answer.option_id == Option.id)
        .where(Answer.attempt_id.in_(list(asked)), Option.is_correct.is_(True))
    ).all()
    for attempt_id, question_id in rows:
        if question_id in asked[attempt_id]:
            counts[attempt_id] += 1
    return counts


def is_closed_at(attempt: Attempt, now: datetime) -> bool:
    """Closed for good, or past its deadline (closed, waiting to be stored)."""
    return attempt.submitted_at is not None or now >= attempt.deadline_at


def outcomes(attempts: list[Attempt], now: datetime) -> dict[int, Outcome]:
    """attempt id → its Outcome at ``now``; those past their deadline scored in one query."""
    expired = [a for a in attempts if a.submitted_at is None and now >= a.deadline_at]
    correct = correct_counts(expired)
    out = {}
    for attempt in attempts:
        if attempt.submitted_at is not None:
            out[attempt.id] = Outcome(
                True,
                attempt.submitted_at,
                attempt.closed_reason,
                attempt.score,
                attempt.correct_count,
            )
        elif attempt.id in correct:
            count = correct[attempt.id]
            asked = len(set(attempt.question_order or []))
            out[attempt.id] = Outcome(
                True, attempt.deadline_at, "expired", score_of(count, asked), count
            )
        else:
            out[attempt.id] = Outcome(False)
    return out


def outcome(attempt: Attempt, now: datetime) -> Outcome:
    """The Outcome of one attempt at ``now``."""
    return outcomes([attempt], now)[attempt.id]

"""Operations on attempts: start, answer, submit, close at the deadline; a manager's extra
time and reset. Each changes data and flushes; the caller commits.

Closing is explicit: the participant's own answer or submit closes an attempt found past
its deadline, and ``close_expired_attempts`` (the minute job and the CLI command) closes
the rest. Reads (``portal``, ``monitor``, ``results``) treat such an attempt as closed
already (``scoring.outcome``) and never write.
"""

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from bimtek.assessments.bank import list_questions
from bimtek.assessments.models import Answer, Assessment, Attempt, Question
from bimtek.assessments.portal import find_attempt
from bimtek.assessments.scoring import correct_counts, score_of
from bimtek.assessments.settings import (
    TestNotOpen,
    availability,
    ensure_assessment,
    waits_for_pre,
)
from bimtek.audit.services import record
from bimtek.core.timeutil import format_datetime, utcnow, zone_abbreviation
from bimtek.errors import Conflict, Forbidden, InvalidInput
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant


class DeadlinePassed(Conflict):
    code = "deadline_passed"


class AttemptClosed(Conflict):
    code = "attempt_closed"


# -------------------------------------------------------------------------------- start


def draw_questions(assessment: Assessment, rng: random.Random) -> list[Question]:
    """All questions of the bank, or N per module, in a shuffled order."""
    bank = list_questions(assessment.event)
    if assessment.questions_per_module:
        by_module: dict = {}
        for question in bank:
            by_module.setdefault(question.module_id, []).append(question)
        bank = []
        for questions in by_module.values():
            bank.extend(rng.sample(questions, min(len(questions), assessment.questions_per_module)))
    rng.shuffle(bank)
    return bank


def _refuse_start(assessment: Assessment, participant: Participant, now: datetime) -> None:
    if participant.event_id != assessment.event_id:
        raise Forbidden(_("Peserta tidak terdaftar pada kegiatan ini."))
    if participant.status != "registered":
        raise Forbidden(
            _("Hanya peserta terdaftar (bukan daftar tunggu atau batal) yang dapat mengikuti tes."),
            code="not_registered",
        )
    state = availability(assessment, now)
    if state == "not_yet" and waits_for_pre(assessment, now):
        raise TestNotOpen(_("%(label)s dibuka setelah pre-test ditutup.", label=assessment.label))
    if state == "not_yet":
        opens = assessment.event.local(assessment.opens_at)
        raise TestNotOpen(
            _(
                "%(label)s belum dibuka; dibuka %(opens)s.",
                label=assessment.label,
                opens=format_datetime(
                    opens, zone_abbreviation(assessment.event.timezone), _language()
                ),
            )
        )
    if state == "closed":
        raise TestNotOpen(_("%(label)s sudah ditutup.", label=assessment.label), code="test_closed")


def start_attempt(assessment: Assessment, participant: Participant, now=None) -> Attempt:
    """Start the participant's one attempt, or return the one already started (closed
    first if its deadline has passed). The first start stores the test's settings row."""
    now = now or utcnow()
    if assessment.id is None:
        assessment = ensure_assessment(assessment.event, assessment.kind)
    existing = find_attempt(assessment, participant)
    if existing is not None:
        close_if_expired(existing, now)
        return existing
    _refuse_start(assessment, participant, now)
    rng = random.SystemRandom()
    questions = draw_questions(assessment, rng)
    if not questions:
        raise TestNotOpen(
            _("%(label)s belum memiliki soal.", label=assessment.label), code="no_questions"
        )
    deadline = now + timedelta(minutes=assessment.duration_minutes)
    if assessment.closes_at and assessment.closes_at < deadline:
        deadline = assessment.closes_at
    option_order = {}
    for question in questions:
        ids = [option.id for option in question.options]
        rng.shuffle(ids)
        option_order[str(question.id)] = ids
    attempt = Attempt(
        assessment_id=assessment.id,
        participant_id=participant.id,
        started_at=now,
        deadline_at=deadline,
        question_order=[question.id for question in questions],
        option_order=option_order,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # the same participant pressed "start" twice at once: keep the first attempt
        existing = find_attempt(assessment, participant)
        close_if_expired(existing, now)
        return existing
    record(
        "attempt.start",
        actor=participant.user,
        channel="web",
        event_id=assessment.event_id,
        target=attempt,
        details={"kind": assessment.kind},
    )
    return attempt


# ------------------------------------------------------------------------------- close


def _lock_if_open(attempt: Attempt) -> bool:
    """Take the attempt's row lock (PostgreSQL) or the write lock (SQLite) for the rest of the
    transaction; True if the attempt is still open once we hold it.

    Saving an answer and closing an attempt both start here, so they run one after the
    other: an answer is either in before the score is computed, or refused.
    """
    result = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        return True
    db.session.refresh(attempt)  # someone else closed it meanwhile
    return False


def _close(attempt: Attempt, moment: datetime, reason: str) -> bool:
    """Score and close an open attempt; False if it was closed by another request first."""
    if not _lock_if_open(attempt):
        return False
    correct = correct_counts([attempt])[attempt.id]
    attempt.correct_count = correct
    attempt.score = score_of(correct, len(set(attempt.question_order or [])))
    attempt.submitted_at = moment
    attempt.closed_reason = reason
    db.session.flush()
    return True


def close_if_expired(attempt: Attempt, now: datetime) -> bool:
    """Close an open attempt whose deadline has passed, with what was answered."""
    if attempt.is_closed or now < attempt.deadline_at:
        return False
    return _close(attempt, attempt.deadline_at, "expired")


def close_expired_attempts(now: datetime | None = None, *, event: Event | None = None) -> int:
    """Close every open attempt past its deadline (all events, or one); return how many."""
    now = now or utcnow()
    query = sa.select(Attempt).where(Attempt.submitted_at.is_(None), Attempt.deadline_at <= now)
    if event is not None:
        query = query.join(Assessment).where(Assessment.event_id == event.id)
    closed = 0
    for attempt in db.session.scalars(query).all():
        closed += close_if_expired(attempt, now)
    return closed


# ------------------------------------------------------------------------------ answers


def _refuse_closed(attempt: Attempt) -> None:
    if attempt.closed_reason == "expired":
        raise DeadlinePassed(
            _(
                "Waktu pengerjaan sudah habis; jawaban ini tidak disimpan. Jawaban yang "
                "tersimpan sebelum batas waktu sudah dinilai."
            )
        )
    raise AttemptClosed(_("Tes sudah dikumpulkan; jawaban tidak dapat diubah lagi."))


def _clean_choices(attempt: Attempt, choices: dict) -> dict[int, int]:
    asked = set(attempt.question_order or [])
    cleaned = {}
    for raw_question, raw_option in choices.items():
        try:
            question_id, option_id = int(raw_question), int(raw_option)
        except (TypeError, ValueError):
            raise InvalidInput(
                _("Jawaban tidak valid."), fields={str(raw_question): _("bukan angka")}
            ) from None
        if question_id not in asked:
            raise InvalidInput(
                _("Soal ini tidak ada dalam tes Anda."),
                fields={str(question_id): _("bukan soal Anda")},
            )
        if option_id not in attempt.option_order.get(str(question_id), []):
            raise InvalidInput(
                _("Pilihan jawaban tidak valid untuk soal ini."),
                fields={str(question_id): _("pilihan tidak dikenal")},
            )
        cleaned[question_id] = option_id
    return cleaned


def save_answers(attempt: Attempt, choices: dict, now: datetime | None = None) -> int:
    """Save {question id: option id} choices (insert or change); return how many were saved.

    Refused as a whole when the attempt is closed or its deadline has passed (an attempt
    found past its deadline is closed here, with what it had), or when a question is not in
    this attempt or an option does not belong to its question. One statement per call:
    an upsert on (attempt, question), so a retry or a second phone just overwrites.
    """
    now = now or utcnow()
    if attempt.is_closed:
        _refuse_closed(attempt)
    cleaned = _clean_choices(attempt, choices)
    if not _lock_if_open(attempt):
        _refuse_closed(attempt)
    if now >= attempt.deadline_at:
        _close(attempt, attempt.deadline_at, "expired")
        _refuse_closed(attempt)
    if not cleaned:
        return 0
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Answer).values(
        [
            {"attempt_id": attempt.id, "question_id": q, "option_id": o, "answered_at": now}
            for q, o in cleaned.items()
        ]
    )
    statement = statement.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={
            "option_id": statement.excluded.option_id,
            "answered_at": statement.excluded.answered_at,
        },
    )
    db.session.execute(statement)
    return len(cleaned)


def submit_attempt(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close the attempt and score it. Submitting a closed attempt again changes nothing."""
    now = now or utcnow()
    if attempt.is_closed or close_if_expired(attempt, now) or attempt.is_closed:
        return attempt
    if not _close(attempt, now, "submitted"):
        return attempt  # closed by a parallel request (double tap): nothing more to do
    record(
        "attempt.submit",
        actor=attempt.participant.user,
        channel="web",
        event_id=attempt.assessment.event_id,
        target=attempt,
        details={"score": attempt.score},
    )
    return attempt


# ------------------------------------------------------------------- a manager's changes


def extend_attempt(attempt: Attempt, minutes, *, actor=None, now=None) -> Attempt:
    """Give a participant more time (a dead phone, a power cut). An attempt closed at its
    deadline opens again; one the participant submitted stays closed."""
    now = now or utcnow()
    try:
        minutes = int(str(minutes).strip())
        if not 1 <= minutes <= 240:
            raise ValueError
    except ValueError:
        raise InvalidInput(
            _("Tambahan waktu 1–240 menit."), fields={"minutes": _("1–240 menit")}
        ) from None
    if attempt.closed_reason == "submitted":
        raise Conflict(
            _("Peserta sudah mengumpulkan tes ini; waktunya tidak dapat ditambah."),
            code="attempt_submitted",
        )
    old_deadline = attempt.deadline_at
    attempt.deadline_at = max(attempt.deadline_at, now) + timedelta(minutes=minutes)
    attempt.submitted_at = attempt.closed_reason = attempt.score = attempt.correct_count = None
    db.session.flush()
    record(
        "attempt.extend",
        actor=actor,
        event_id=attempt.assessment.event_id,
        target=attempt,
        details={
            "minutes": minutes,
            "old_deadline": old_deadline.isoformat(),
            "new_deadline": attempt.deadline_at.isoformat(),
        },
    )
    return attempt


def reset_attempt(attempt: Attempt, *, actor=None) -> None:
    """Delete an attempt and its answers so the participant can start again (recorded)."""
    record(
        "attempt.reset",
        actor=actor,
        event_id=attempt.assessment.event_id,
        target=attempt,
        details={
            "participant_id": attempt.participant_id,
            "kind": attempt.assessment.kind,
            "score": attempt.score,
            "closed_reason": attempt.closed_reason,
        },
    )
    db.session.delete(attempt)
    db.session.flush()


def _language() -> str:
    return str(get_locale() or "id")

"""Pre/post assessments: the question bank, taking a test, and the results.

For other domains (dashboard, certificates) the two entry points are:

* ``scores(event, kind) -> dict[int, float]`` — participant id → score (0–100) of every
  *closed* attempt (submitted, or closed at its deadline) of the 'pre' or 'post' test.
  A participant is in ``scores(event, "post")`` exactly when their post-test is done.
* ``results(event) -> dict`` — the figures of the results page, the API and the export:
  per participant, per module, per institution category, class figures and item analysis.

Rules live here; views and the API only parse and call. Functions flush, never commit.
"""

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from bimtek.assessments import analysis
from bimtek.assessments.models import (
    KIND_LABELS,
    KINDS,
    MAX_OPTIONS,
    MIN_OPTIONS,
    Answer,
    Assessment,
    Attempt,
    Option,
    Question,
)
from bimtek.audit.services import record
from bimtek.core.database import get_by_id
from bimtek.core.forms import parse_flag, parse_int, parse_local_datetime
from bimtek.core.timeutil import local_to_utc, utcnow
from bimtek.errors import Conflict, Forbidden, InvalidInput, NotFound
from bimtek.events.access import load_in_event
from bimtek.events.models import Event, Module
from bimtek.extensions import db
from bimtek.participants.models import INSTITUTION_CATEGORIES, Participant

LETTERS = "ABCDEFGHIJ"
MAX_QUESTION_LENGTH = 4000
MAX_OPTION_LENGTH = 1000


class TestNotOpen(Forbidden):
    code = "test_not_open"


class DeadlinePassed(Conflict):
    code = "deadline_passed"


class PreTestStillOpen(Conflict):
    code = "pre_test_open"


class AttemptClosed(Conflict):
    code = "attempt_closed"


# --------------------------------------------------------------------------- question bank


def list_questions(event: Event) -> list[Question]:
    """The bank in display order: by module, then by position."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .outerjoin(Module, Question.module_id == Module.id)
            .where(Question.event_id == event.id)
            .options(selectinload(Question.options), selectinload(Question.module))
            .order_by(
                sa.case((Module.id.is_(None), 1), else_=0),
                Module.position,
                Module.id,
                Question.position,
                Question.id,
            )
        )
    )


def get_question(event: Event, question_id) -> Question:
    """A question of ``event`` (404 ``unknown_question`` otherwise)."""
    return load_in_event(Question, question_id, event)


def question_problems(text: str, options: list[tuple[str, bool]]) -> dict[str, str]:
    """What is wrong with a question's text and its options, as {field: message}.

    ``options`` are (text, is_correct) in order, blanks included; the import and the form
    share these rules: 4–5 options, no gaps, exactly one correct, the correct one filled.
    """
    problems = {}
    if not text.strip():
        problems["text"] = "Teks pertanyaan kosong."
    elif len(text) > MAX_QUESTION_LENGTH:
        problems["text"] = f"Teks pertanyaan paling banyak {MAX_QUESTION_LENGTH} karakter."
    filled = [index for index, (option, _) in enumerate(options) if option.strip()]
    if filled:
        gaps = [LETTERS[i] for i in range(filled[-1]) if i not in filled]
        if gaps:
            problems["options"] = (
                f"Opsi {', '.join(gaps)} kosong padahal opsi sesudahnya terisi; "
                "isi opsi berurutan mulai dari A."
            )
    if "options" not in problems:
        if len(filled) < MIN_OPTIONS:
            problems["options"] = f"Minimal {MIN_OPTIONS} opsi jawaban (baru {len(filled)} terisi)."
        elif len(filled) > MAX_OPTIONS:
            problems["options"] = (
                f"Paling banyak {MAX_OPTIONS} opsi jawaban ({len(filled)} terisi)."
            )
    too_long = [LETTERS[i] for i in filled if len(options[i][0]) > MAX_OPTION_LENGTH]
    if too_long and "options" not in problems:
        problems["options"] = f"Opsi {', '.join(too_long)} terlalu panjang."
    correct = [index for index, (_, is_correct) in enumerate(options) if is_correct]
    if not correct:
        problems["correct"] = "Belum ada jawaban benar; tandai tepat satu opsi."
    elif len(correct) > 1:
        letters = ", ".join(LETTERS[i] for i in correct)
        problems["correct"] = f"Jawaban benar lebih dari satu ({letters}); hanya boleh satu."
    elif not options[correct[0]][0].strip():
        problems["correct"] = f"Jawaban benar menunjuk opsi {LETTERS[correct[0]]} yang kosong."
    return problems


def _form_options(data) -> list[tuple[str, bool]]:
    """Options from a form (option_1…option_5 and `correct` = 1…5) or an API list."""
    if isinstance(data.get("options"), list):
        return [
            (str(item.get("text") or "").strip(), bool(item.get("is_correct")))
            for item in data["options"]
            if isinstance(item, dict)
        ]
    correct = str(data.get("correct") or "").strip()
    return [
        (str(data.get(f"option_{i}") or "").strip(), correct == str(i))
        for i in range(1, MAX_OPTIONS + 1)
    ]


def _module_for(event: Event, raw) -> tuple[Module | None, str | None]:
    if raw in (None, "", "0", 0):
        return None, "Pilih materi yang diuji soal ini."
    module = get_by_id(Module, raw)
    if module is None or module.event_id != event.id:
        return None, "Materi tidak ditemukan pada kegiatan ini."
    return module, None


def question_has_answers(question: Question) -> bool:
    return bool(
        db.session.scalar(sa.select(Answer.id).where(Answer.question_id == question.id).limit(1))
    )


def save_question(
    event: Event, data, *, question: Question | None = None, actor=None, channel="web"
) -> Question:
    """Create or change a question with its options.

    Once participants have answered a question, its options may be reworded but not
    added, removed or given another key: that would change scores already given.
    """
    text = str(data.get("text") or "").strip()
    options = _form_options(data)
    errors = question_problems(text, options)
    module, module_error = _module_for(event, data.get("module_id"))
    if module_error:
        errors["module_id"] = module_error
    options = [(option_text, is_correct) for option_text, is_correct in options if option_text]
    if question is not None and "options" not in errors and "correct" not in errors:
        if question_has_answers(question):
            old_key = [option.is_correct for option in question.options]
            if [is_correct for _, is_correct in options] != old_key:
                errors["correct"] = (
                    "Soal ini sudah dijawab peserta: jumlah opsi dan kunci jawaban tidak "
                    "dapat diubah lagi (teks opsi masih boleh diperbaiki)."
                )
    if errors:
        raise InvalidInput("Periksa kembali isian soal.", fields=errors)
    explanation = str(data.get("explanation") or "").strip()
    if question is None:
        position = (
            db.session.scalar(
                sa.select(sa.func.max(Question.position)).where(Question.event_id == event.id)
            )
            or 0
        ) + 1
        question = Question(event_id=event.id, position=position)
        db.session.add(question)
        action = "question.create"
    else:
        action = "question.update"
    question.module_id = module.id
    question.text = text
    question.explanation = explanation
    existing = list(question.options)
    for index, (option_text, is_correct) in enumerate(options):
        if index < len(existing):
            existing[index].text = option_text
            existing[index].is_correct = is_correct
            existing[index].position = index
        else:
            question.options.append(Option(text=option_text, is_correct=is_correct, position=index))
    for extra in existing[len(options) :]:
        question.options.remove(extra)
    db.session.flush()
    record(action, actor=actor, channel=channel, event_id=event.id, target=question)
    return question


def delete_question(question: Question, *, actor=None, channel="web") -> None:
    """Remove a question that nobody has answered yet."""
    if question_has_answers(question):
        raise Conflict(
            "Soal ini sudah dijawab peserta sehingga tidak dapat dihapus; nilai yang sudah "
            "diberikan bergantung padanya.",
            code="question_answered",
        )
    record(
        "question.delete",
        actor=actor,
        channel=channel,
        event_id=question.event_id,
        target=question,
        details={"text": question.text[:200]},
    )
    db.session.delete(question)
    db.session.flush()


def bank_summary(event: Event) -> list[dict]:
    """Questions per module (modules without questions included), for the admin page."""
    counts = dict(
        db.session.execute(
            sa.select(Question.module_id, sa.func.count())
            .where(Question.event_id == event.id)
            .group_by(Question.module_id)
        ).all()
    )
    rows = [{"module": m, "count": counts.get(m.id, 0)} for m in event.modules]
    if counts.get(None):
        rows.append({"module": None, "count": counts[None]})
    return rows


# ------------------------------------------------------------------------------ settings


def get_assessment(event: Event, kind: str) -> Assessment:
    """The event's pre- or post-test, created with defaults the first time it is asked for."""
    if kind not in KINDS:
        raise NotFound("Jenis tes tidak dikenal.", code="unknown_assessment")
    assessment = db.session.scalar(
        sa.select(Assessment).where(Assessment.event_id == event.id, Assessment.kind == kind)
    )
    if assessment is None:
        opens, closes = default_window(event, kind)
        assessment = Assessment(
            event_id=event.id,
            kind=kind,
            opens_at=opens,
            closes_at=closes,
            duration_minutes=30,
            questions_per_module=None,
            show_score_after=(kind == "post"),
        )
        try:
            with db.session.begin_nested():
                db.session.add(assessment)
        except IntegrityError:
            assessment = db.session.scalar(
                sa.select(Assessment).where(
                    Assessment.event_id == event.id, Assessment.kind == kind
                )
            )
    return assessment


def _schedule_days(event: Event):
    days = sorted({session.local_day for session in event.sessions})
    return (days[0], days[-1]) if days else (event.start_date, event.end_date)


def default_window(event: Event, kind: str) -> tuple[datetime | None, datetime | None]:
    """Where a new test's window starts: the pre-test on the schedule's first day (until the
    end of that day), the post-test from the start of its last day (no closing time).
    Editable in the settings; "Buka sekarang"/"Tutup sekarang" change it at once."""
    first, last = _schedule_days(event)

    def midnight(day):
        return local_to_utc(datetime.combine(day, datetime.min.time()), event.timezone)

    if kind == "pre":
        return midnight(first), midnight(first + timedelta(days=1))
    return midnight(last), None


def pre_test_closed(event: Event, now: datetime) -> bool:
    return get_assessment(event, "pre").window_state(now) == "closed"


def availability(assessment: Assessment, now: datetime) -> str:
    """'not_yet', 'open' or 'closed': the window, and for a post-test the pre-test rule
    (it waits until the pre-test closes, unless a manager chose otherwise)."""
    state = assessment.window_state(now)
    if (
        state == "open"
        and assessment.kind == "post"
        and not assessment.opens_before_pre_closes
        and not pre_test_closed(assessment.event, now)
    ):
        return "not_yet"
    return state


def _cut_running_attempts(assessment: Assessment, closes: datetime) -> None:
    """An earlier close cuts the attempts still running short."""
    db.session.execute(
        sa.update(Attempt)
        .where(
            Attempt.assessment_id == assessment.id,
            Attempt.submitted_at.is_(None),
            Attempt.deadline_at > closes,
        )
        .values(deadline_at=closes)
        .execution_options(synchronize_session=False)
    )


def _window_details(assessment: Assessment) -> dict:
    return {
        "kind": assessment.kind,
        "opens_at": assessment.opens_at.isoformat() if assessment.opens_at else None,
        "closes_at": assessment.closes_at.isoformat() if assessment.closes_at else None,
        "opens_before_pre_closes": assessment.opens_before_pre_closes,
    }


def open_now(
    assessment: Assessment,
    *,
    actor,
    channel: str = "web",
    now: datetime | None = None,
    before_pre_closes: bool = False,
) -> Assessment:
    """ "Buka sekarang": the test opens at ``now`` (a later closing time is kept).

    A post-test opens while the pre-test is still open only with ``before_pre_closes`` (a
    manager's explicit choice, audited); otherwise PreTestStillOpen.
    """
    now = now or utcnow()
    if assessment.kind == "post" and not pre_test_closed(assessment.event, now):
        if not (before_pre_closes or assessment.opens_before_pre_closes):
            raise PreTestStillOpen(
                "Pre-test masih dibuka. Tutup pre-test dulu, atau pilih membuka post-test "
                "walau pre-test masih dibuka."
            )
        assessment.opens_before_pre_closes = True
    previous = _window_details(assessment)
    assessment.opens_at = now
    if assessment.closes_at is not None and assessment.closes_at <= now:
        assessment.closes_at = None
    record(
        "assessment.open",
        actor=actor,
        channel=channel,
        event_id=assessment.event_id,
        target=assessment,
        details={**_window_details(assessment), "previous": previous},
    )
    db.session.flush()
    return assessment


def close_now(
    assessment: Assessment, *, actor, channel: str = "web", now: datetime | None = None
) -> Assessment:
    """ "Tutup sekarang": no attempt starts after ``now`` and running attempts end now."""
    now = now or utcnow()
    previous = _window_details(assessment)
    assessment.closes_at = now
    if assessment.opens_at is not None and assessment.opens_at > now:
        assessment.opens_at = None
    db.session.flush()
    _cut_running_attempts(assessment, now)
    record(
        "assessment.close",
        actor=actor,
        channel=channel,
        event_id=assessment.event_id,
        target=assessment,
        details={**_window_details(assessment), "previous": previous},
    )
    return assessment


def update_assessment(assessment: Assessment, data, *, actor=None, channel="web") -> Assessment:
    """Change the window, duration, questions per module and whether the score is shown."""
    errors = {}
    tz_name = assessment.event.timezone
    opens = parse_local_datetime(data.get("opens_at"), tz_name, "Dibuka", errors, "opens_at")
    closes = parse_local_datetime(data.get("closes_at"), tz_name, "Ditutup", errors, "closes_at")
    if opens and closes and closes <= opens:
        errors["closes_at"] = "Waktu tutup harus setelah waktu buka."
    duration = parse_int(
        data.get("duration_minutes"),
        "Durasi",
        errors,
        "duration_minutes",
        minimum=1,
        maximum=600,
        message="Durasi 1–600 menit.",
    )
    per_module = parse_int(
        data.get("questions_per_module") or None,  # a JSON 0 too: every question
        "Soal per materi",
        errors,
        "questions_per_module",
        minimum=1,
        maximum=500,
        optional=True,
        message="Isi 1–500, atau kosongkan untuk semua soal.",
    )
    if errors:
        raise InvalidInput("Periksa kembali pengaturan tes.", fields=errors)
    assessment.opens_at = opens
    assessment.closes_at = closes
    assessment.duration_minutes = duration
    assessment.questions_per_module = per_module
    assessment.show_score_after = parse_flag(data.get("show_score_after", False))
    if assessment.kind == "post":
        assessment.opens_before_pre_closes = parse_flag(data.get("opens_before_pre_closes", False))
    db.session.flush()
    if closes:
        _cut_running_attempts(assessment, closes)
    record(
        "assessment.update",
        actor=actor,
        channel=channel,
        event_id=assessment.event_id,
        target=assessment,
        details=_window_details(assessment),
    )
    return assessment


# ----------------------------------------------------------------------------- attempts


def participant_for_user(participant_id, user) -> Participant:
    """The participant record, only when it belongs to ``user`` (else Forbidden)."""
    participant = get_by_id(Participant, participant_id)
    if participant is None:
        raise NotFound("Peserta tidak ditemukan.", code="unknown_participant")
    if user is None or participant.user_id is None or participant.user_id != user.id:
        raise Forbidden("Ini bukan data tes Anda.")
    return participant


def find_attempt(assessment: Assessment, participant: Participant, now=None) -> Attempt | None:
    """The participant's attempt, closed first if its deadline has passed."""
    attempt = db.session.scalar(
        sa.select(Attempt).where(
            Attempt.assessment_id == assessment.id, Attempt.participant_id == participant.id
        )
    )
    if attempt is not None:
        close_if_expired(attempt, now or utcnow())
    return attempt


def attempt_for(participant: Participant, kind: str, now=None) -> Attempt | None:
    """The participant's attempt at the event's ``kind`` test (one query), closed first if
    its deadline has passed."""
    attempt = db.session.scalar(
        sa.select(Attempt)
        .join(Assessment, Attempt.assessment_id == Assessment.id)
        .where(
            Assessment.event_id == participant.event_id,
            Assessment.kind == kind,
            Attempt.participant_id == participant.id,
        )
    )
    if attempt is not None:
        close_if_expired(attempt, now or utcnow())
    return attempt


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


def question_count(assessment: Assessment) -> int:
    """How many questions one attempt of ``assessment`` gets."""
    per_module = assessment.questions_per_module
    counts = [row["count"] for row in bank_summary(assessment.event)]
    return sum(min(c, per_module) if per_module else c for c in counts)


def start_attempt(assessment: Assessment, participant: Participant, now=None) -> Attempt:
    """Start the participant's one attempt, or return the one already started."""
    now = now or utcnow()
    existing = find_attempt(assessment, participant, now)
    if existing is not None:
        return existing
    if participant.event_id != assessment.event_id:
        raise Forbidden("Peserta tidak terdaftar pada kegiatan ini.")
    if participant.status != "registered":
        raise Forbidden(
            "Hanya peserta terdaftar (bukan daftar tunggu atau batal) yang dapat mengikuti tes.",
            code="not_registered",
        )
    state = availability(assessment, now)
    if state == "not_yet" and assessment.window_state(now) == "open":
        raise TestNotOpen(f"{assessment.label} dibuka setelah pre-test ditutup.")
    if state == "not_yet":
        opens = assessment.event.local(assessment.opens_at)
        raise TestNotOpen(f"{assessment.label} belum dibuka; dibuka {opens:%d-%m-%Y %H:%M}.")
    if state == "closed":
        raise TestNotOpen(f"{assessment.label} sudah ditutup.", code="test_closed")
    rng = random.SystemRandom()
    questions = draw_questions(assessment, rng)
    if not questions:
        raise TestNotOpen(f"{assessment.label} belum memiliki soal.", code="no_questions")
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
        return find_attempt(assessment, participant, now)
    record(
        "attempt.start",
        actor=participant.user,
        channel="web",
        event_id=assessment.event_id,
        target=attempt,
        details={"kind": assessment.kind},
    )
    return attempt


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


def _score(attempt: Attempt) -> tuple[int, float]:
    asked = set(attempt.question_order or [])
    if not asked:
        return 0, 0.0
    correct = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Answer)
        .join(Option, Answer.option_id == Option.id)
        .where(
            Answer.attempt_id == attempt.id,
            Option.is_correct.is_(True),
            Answer.question_id.in_(asked),
        )
    )
    return correct, round(100 * correct / len(asked), 2)


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
    attempt.correct_count, attempt.score = _score(attempt)
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


def _refuse_closed(attempt: Attempt) -> None:
    if attempt.closed_reason == "expired":
        raise DeadlinePassed(
            "Waktu pengerjaan sudah habis; jawaban ini tidak disimpan. Jawaban yang tersimpan "
            "sebelum batas waktu sudah dinilai."
        )
    raise AttemptClosed("Tes sudah dikumpulkan; jawaban tidak dapat diubah lagi.")


def _clean_choices(attempt: Attempt, choices: dict) -> dict[int, int]:
    asked = set(attempt.question_order or [])
    cleaned = {}
    for raw_question, raw_option in choices.items():
        try:
            question_id, option_id = int(raw_question), int(raw_option)
        except (TypeError, ValueError):
            raise InvalidInput(
                "Jawaban tidak valid.", fields={str(raw_question): "bukan angka"}
            ) from None
        if question_id not in asked:
            raise InvalidInput(
                "Soal ini tidak ada dalam tes Anda.", fields={str(question_id): "bukan soal Anda"}
            )
        if option_id not in attempt.option_order.get(str(question_id), []):
            raise InvalidInput(
                "Pilihan jawaban tidak valid untuk soal ini.",
                fields={str(question_id): "pilihan tidak dikenal"},
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


def answered_count(attempt: Attempt) -> int:
    """How many questions of the attempt have a saved answer."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Answer).where(Answer.attempt_id == attempt.id)
    )


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


def module_breakdown(attempt: Attempt) -> list[dict]:
    """Right answers per module of a closed attempt, for the participant's result page."""
    if not attempt.is_closed:
        return []
    chosen = chosen_options(attempt)
    rows: dict = {}
    for question, _options in attempt_questions(attempt):
        module = question.module
        key = module.id if module else None
        row = rows.setdefault(
            key,
            {
                "code": module.code if module else "—",
                "title": module.title if module else "Tanpa materi",
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
    """For each of pre and post: the assessment, the attempt (if any) and the state."""
    now = now or utcnow()
    items = []
    for kind in KINDS:
        assessment = get_assessment(participant.event, kind)
        attempt = find_attempt(assessment, participant, now)
        if attempt is not None:
            state = "done" if attempt.is_closed else "in_progress"
        else:
            state = availability(assessment, now)
        items.append({"assessment": assessment, "attempt": attempt, "state": state})
    return items


def event_attempts(event: Event, kind: str, now: datetime | None = None) -> list[dict]:
    """Every attempt at the event's ``kind`` test with its participant and answer count,
    newest first; for the organizer's monitor during the test."""
    close_expired_attempts(now, event=event)
    assessment = get_assessment(event, kind)
    counts = sa.select(sa.func.count()).where(Answer.attempt_id == Attempt.id).scalar_subquery()
    rows = db.session.execute(
        sa.select(Attempt, Participant, counts)
        .join(Participant, Participant.id == Attempt.participant_id)
        .where(Attempt.assessment_id == assessment.id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    ).all()
    return [
        {
            "attempt": attempt,
            "participant": participant,
            "answered": answered,
            "total": len(attempt.question_order or []),
        }
        for attempt, participant, answered in rows
    ]


def get_attempt(event: Event, attempt_id) -> Attempt:
    """An attempt at a test of ``event`` (404 ``unknown_attempt`` otherwise)."""
    return load_in_event(Attempt, attempt_id, event)


def extend_attempt(attempt: Attempt, minutes, *, actor=None, now=None) -> Attempt:
    """Give a participant more time (a dead phone, a power cut). An attempt closed at its
    deadline opens again; one the participant submitted stays closed."""
    now = now or utcnow()
    try:
        minutes = int(str(minutes).strip())
        if not 1 <= minutes <= 240:
            raise ValueError
    except ValueError:
        raise InvalidInput("Tambahan waktu 1–240 menit.", fields={"minutes": "1–240"}) from None
    if attempt.closed_reason == "submitted":
        raise Conflict(
            "Peserta sudah mengumpulkan tes ini; waktunya tidak dapat ditambah.",
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


# ------------------------------------------------------------------------------ results


def _closed_attempts(event: Event, kind: str) -> list[Attempt]:
    close_expired_attempts(event=event)
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .join(Assessment)
            .where(
                Assessment.event_id == event.id,
                Assessment.kind == kind,
                Attempt.submitted_at.is_not(None),
            )
            .order_by(Attempt.id)
        )
    )


def scores(event: Event, kind: str) -> dict[int, float]:
    """participant id → score 0–100 of each closed attempt of the event's ``kind`` test.

    Closed means submitted by the participant or closed at its deadline; attempts still
    running are left out. ``kind`` is 'pre' or 'post'.
    """
    if kind not in KINDS:
        raise InvalidInput("Jenis tes harus 'pre' atau 'post'.", fields={"kind": kind})
    return {attempt.participant_id: attempt.score for attempt in _closed_attempts(event, kind)}


def _answers_by_attempt(attempt_ids: list[int]) -> dict[int, dict[int, int]]:
    rows = db.session.execute(
        sa.select(Answer.attempt_id, Answer.question_id, Answer.option_id).where(
            Answer.attempt_id.in_(attempt_ids)
        )
    ).all()
    out: dict[int, dict[int, int]] = {}
    for attempt_id, question_id, option_id in rows:
        out.setdefault(attempt_id, {})[question_id] = option_id
    return out


def _r(value, digits):
    return None if value is None else round(value, digits)


def _participant_note(pre, post, g) -> tuple[list[str], str]:
    if pre is None and post is None:
        return ["missing_both"], "Belum mengikuti pre-test maupun post-test."
    if pre is None:
        return ["missing_pre"], "Tanpa pre-test: gain tidak dapat dihitung."
    if post is None:
        return ["missing_post"], "Belum mengikuti post-test: gain tidak dapat dihitung."
    flags, notes = [], []
    if pre >= 100:
        flags.append("pre_perfect")
        notes.append(
            "Pre-test sudah 100: tidak ada ruang untuk naik, g tidak terdefinisi "
            "(tidak dihitung dalam rata-rata g)."
        )
    if post < pre:
        flags.append("negative")
        notes.append("Skor turun dari pre-test ke post-test.")
    return flags, " ".join(notes)


def _group_row(pairs) -> dict:
    gain = analysis.group_gain(pairs)
    return {
        "n": gain.n,
        "mean_pre": _r(gain.mean_pre, 2),
        "mean_post": _r(gain.mean_post, 2),
        "g_of_means": _r(gain.g_of_means, 3),
        "mean_g": _r(gain.mean_g, 3),
        "band": analysis.hake_band(gain.g_of_means),
        "g_undefined": gain.g_undefined,
        "negative": gain.negative,
    }


def results(event: Event) -> dict:
    """Every figure of the results page, its .xlsx export and ``GET /events/{code}/results``.

    Keys: ``assessments`` (settings per kind), ``class`` (n, means, ⟨g⟩ from the means and
    the mean of individual g, counts of undefined and negative gains), ``participants``
    (one row each: pre, post, gain, g, band, flags, note), ``modules`` and ``categories``
    (mean pre, mean post, ⟨g⟩ of means, mean g over participants with both tests),
    ``distribution`` (10-point bins per kind) and ``items`` (item analysis per kind).
    Scores are 0–100 with 2 decimals; g values have 3 decimals. Only participants with both
    tests closed enter the gain figures.
    """
    attempts = {kind: _closed_attempts(event, kind) for kind in KINDS}
    by_participant = {kind: {a.participant_id: a for a in attempts[kind]} for kind in KINDS}
    all_ids = [a.id for kind in KINDS for a in attempts[kind]]
    answers = _answers_by_attempt(all_ids)
    questions = list_questions(event)
    correct_of = {q.id: (q.correct_option.id if q.correct_option else None) for q in questions}

    attempt_pids = {pid for kind in KINDS for pid in by_participant[kind]}
    participants = db.session.scalars(
        sa.select(Participant)
        .where(
            Participant.event_id == event.id,
            sa.or_(Participant.status == "registered", Participant.id.in_(attempt_pids)),
        )
        .order_by(Participant.registration_number)
    ).all()

    module_of = {q.id: q.module_id for q in questions}

    def module_scores(attempt: Attempt) -> dict:
        asked, right = {}, {}
        chosen = answers.get(attempt.id, {})
        for question_id in attempt.question_order or []:
            if question_id not in module_of:
                continue
            key = module_of[question_id]
            asked[key] = asked.get(key, 0) + 1
            if (
                chosen.get(question_id) is not None
                and chosen[question_id] == correct_of[question_id]
            ):
                right[key] = right.get(key, 0) + 1
        return {key: 100 * right.get(key, 0) / count for key, count in asked.items()}

    rows, pairs, module_pairs, category_pairs = [], [], {}, {}
    for participant in participants:
        pre_attempt = by_participant["pre"].get(participant.id)
        post_attempt = by_participant["post"].get(participant.id)
        pre = pre_attempt.score if pre_attempt else None
        post = post_attempt.score if post_attempt else None
        g = analysis.normalized_gain(pre, post)
        flags, note = _participant_note(pre, post, g)
        rows.append(
            {
                "participant_id": participant.id,
                "registration_number": participant.registration_label,
                "full_name": participant.full_name,
                "institution": participant.institution,
                "institution_category": participant.institution_category,
                "category_label": participant.category_label,
                "status": participant.status,
                "pre": _r(pre, 2),
                "post": _r(post, 2),
                "gain": _r(post - pre, 2) if pre is not None and post is not None else None,
                "g": _r(g, 3),
                "band": analysis.hake_band(g),
                "flags": flags,
                "note": note,
            }
        )
        if pre is None or post is None:
            continue
        pairs.append((pre, post))
        category_pairs.setdefault(participant.institution_category, []).append((pre, post))
        pre_modules, post_modules = module_scores(pre_attempt), module_scores(post_attempt)
        for key in set(pre_modules) & set(post_modules):
            module_pairs.setdefault(key, []).append((pre_modules[key], post_modules[key]))

    modules = []
    for module in event.modules:
        if module.id in module_pairs or any(q.module_id == module.id for q in questions):
            row = {"module_id": module.id, "code": module.code, "title": module.title}
            row.update(_group_row(module_pairs.get(module.id, [])))
            modules.append(row)
    if None in module_pairs:
        row = {"module_id": None, "code": "—", "title": "Tanpa materi"}
        row.update(_group_row(module_pairs[None]))
        modules.append(row)

    categories = []
    for code, label in INSTITUTION_CATEGORIES.items():
        if code in category_pairs:
            row = {"category": code, "label": label}
            row.update(_group_row(category_pairs[code]))
            categories.append(row)

    class_row = _group_row(pairs)
    class_row["mean_g_band"] = analysis.hake_band(class_row["mean_g"])
    class_row.update(
        {
            "participants": len(participants),
            "pre_taken": len(attempts["pre"]),
            "post_taken": len(attempts["post"]),
            "mean_pre_all": _r(analysis.mean(a.score for a in attempts["pre"]), 2),
            "mean_post_all": _r(analysis.mean(a.score for a in attempts["post"]), 2),
        }
    )

    items = {kind: item_analysis(questions, attempts[kind], answers) for kind in KINDS}
    assessments = {}
    for kind in KINDS:
        assessment = get_assessment(event, kind)
        assessments[kind] = {
            "label": KIND_LABELS[kind],
            "opens_at": assessment.opens_at.isoformat() if assessment.opens_at else None,
            "closes_at": assessment.closes_at.isoformat() if assessment.closes_at else None,
            "duration_minutes": assessment.duration_minutes,
            "questions_per_module": assessment.questions_per_module,
            "show_score_after": assessment.show_score_after,
            "attempts_closed": len(attempts[kind]),
        }
    return {
        "event": {"code": event.code, "title": event.title},
        "question_count": len(questions),
        "assessments": assessments,
        "class": class_row,
        "participants": rows,
        "modules": modules,
        "categories": categories,
        "distribution": {
            kind: analysis.distribution(a.score for a in attempts[kind]) for kind in KINDS
        },
        "items": items,
    }


def item_analysis(questions: list[Question], attempts: list[Attempt], answers: dict) -> list[dict]:
    """Per question: n, difficulty, discrimination, point-biserial, option counts, flags."""
    responses: dict[int, list] = {}
    for attempt in attempts:
        attempt_id, total = attempt.id, attempt.score or 0.0  # plain values: the loop is hot
        chosen = answers.get(attempt_id, {})
        for question_id in attempt.question_order or []:
            responses.setdefault(question_id, []).append(
                analysis.ItemResponse(total=total, chosen=chosen.get(question_id), key=attempt_id)
            )
    items = []
    for number, question in enumerate(questions, 1):
        correct = question.correct_option
        option_ids = [option.id for option in question.options]
        stats = analysis.item_stats(
            responses.get(question.id, []), correct.id if correct else -1, option_ids
        )
        letter = {option.id: LETTERS[i] for i, option in enumerate(question.options)}
        items.append(
            {
                "question_id": question.id,
                "number": number,
                "module_code": question.module.code if question.module else None,
                "text": question.text,
                "correct": letter.get(correct.id) if correct else None,
                "n": stats.n,
                "difficulty": _r(stats.difficulty, 3),
                "discrimination": _r(stats.discrimination, 3),
                "point_biserial": _r(stats.point_biserial, 3),
                "options": [
                    {
                        "letter": letter[option.id],
                        "text": option.text,
                        "is_correct": option.is_correct,
                        "chosen": stats.option_counts.get(option.id, 0),
                    }
                    for option in question.options
                ],
                "blank": stats.blank,
                "unused_distractors": [letter[o] for o in stats.unused_distractors],
                "flags": stats.flags,
            }
        )
    return items

"""The question bank of an event: questions tagged with a module, 4–5 options, one correct.

Queries (``list_questions``, ``bank_summary``, …) read; ``save_question`` and
``delete_question`` change the bank. Both tests draw on the same bank.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from bimtek.assessments.models import MAX_OPTIONS, MIN_OPTIONS, Answer, Option, Question
from bimtek.audit.services import record
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.events.access import load_in_event
from bimtek.events.models import Event, Module
from bimtek.extensions import db

LETTERS = "ABCDEFGHIJ"
MAX_QUESTION_LENGTH = 4000
MAX_OPTION_LENGTH = 1000


# --------------------------------------------------------------------------------- queries


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


def question_has_answers(question: Question) -> bool:
    """Whether any participant has answered ``question`` (its key is then fixed)."""
    return bool(
        db.session.scalar(sa.select(Answer.id).where(Answer.question_id == question.id).limit(1))
    )


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


def question_count(event: Event, questions_per_module: int | None) -> int:
    """How many questions one attempt gets: every question, or at most N per module."""
    counts = [row["count"] for row in bank_summary(event)]
    return sum(min(c, questions_per_module) if questions_per_module else c for c in counts)


def question_problems(text: str, options: list[tuple[str, bool]]) -> dict[str, str]:
    """What is wrong with a question's text and its options, as {field: message}.

    ``options`` are (text, is_correct) in order, blanks included; the import and the form
    share these rules: 4–5 options, no gaps, exactly one correct, the correct one filled.
    """
    problems = {}
    if not text.strip():
        problems["text"] = _("Teks pertanyaan kosong.")
    elif len(text) > MAX_QUESTION_LENGTH:
        problems["text"] = _("Teks pertanyaan paling banyak %(n)d karakter.", n=MAX_QUESTION_LENGTH)
    filled = [index for index, (option, _text) in enumerate(options) if option.strip()]
    if filled:
        gaps = [LETTERS[i] for i in range(filled[-1]) if i not in filled]
        if gaps:
            problems["options"] = _(
                "Opsi %(letters)s kosong padahal opsi sesudahnya terisi; "
                "isi opsi berurutan mulai dari A.",
                letters=", ".join(gaps),
            )
    if "options" not in problems:
        if len(filled) < MIN_OPTIONS:
            problems["options"] = ngettext(
                "Minimal %(minimum)d opsi jawaban (baru %(num)d terisi).",
                "Minimal %(minimum)d opsi jawaban (baru %(num)d terisi).",
                len(filled),
                minimum=MIN_OPTIONS,
            )
        elif len(filled) > MAX_OPTIONS:
            problems["options"] = _(
                "Paling banyak %(maximum)d opsi jawaban (%(n)d terisi).",
                maximum=MAX_OPTIONS,
                n=len(filled),
            )
    too_long = [LETTERS[i] for i in filled if len(options[i][0]) > MAX_OPTION_LENGTH]
    if too_long and "options" not in problems:
        problems["options"] = _("Opsi %(letters)s terlalu panjang.", letters=", ".join(too_long))
    correct = [index for index, (_text, is_correct) in enumerate(options) if is_correct]
    if not correct:
        problems["correct"] = _("Belum ada jawaban benar; tandai tepat satu opsi.")
    elif len(correct) > 1:
        letters = ", ".join(LETTERS[i] for i in correct)
        problems["correct"] = _(
            "Jawaban benar lebih dari satu (%(letters)s); hanya boleh satu.", letters=letters
        )
    elif not options[correct[0]][0].strip():
        problems["correct"] = _(
            "Jawaban benar menunjuk opsi %(letter)s yang kosong.", letter=LETTERS[correct[0]]
        )
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
        return None, _("Pilih materi yang diuji soal ini.")
    try:
        return load_in_event(Module, raw, event), None
    except NotFound:
        return None, _("Materi tidak ditemukan pada kegiatan ini.")


# ------------------------------------------------------------------------------ operations


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
            if [is_correct for _text, is_correct in options] != old_key:
                errors["correct"] = _(
                    "Soal ini sudah dijawab peserta: jumlah opsi dan kunci jawaban tidak "
                    "dapat diubah lagi (teks opsi masih boleh diperbaiki)."
                )
    if errors:
        raise InvalidInput(_("Periksa kembali isian soal."), fields=errors)
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
            _(
                "Soal ini sudah dijawab peserta sehingga tidak dapat dihapus; nilai yang "
                "sudah diberikan bergantung padanya."
            ),
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

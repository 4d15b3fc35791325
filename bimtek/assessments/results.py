"""Results of an event's tests: scores, learning gain and item analysis. Queries only.

For other domains (dashboard, certificates) the two entry points are:

* ``scores(event, kind) -> dict[int, float]`` — participant id → score (0–100) of every
  *closed* attempt (submitted, or past its deadline) of the 'pre' or 'post' test.
  A participant is in ``scores(event, "post")`` exactly when their post-test is done.
* ``results(event) -> dict`` — the figures of the results page, the API and the export:
  per participant, per module, per institution category, class figures and item analysis.

An attempt past its deadline counts as closed at its deadline with the score of what was
saved before it (``scoring.outcomes``), whether or not the job has stored that yet: these
functions never write.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.assessments import analysis
from bimtek.assessments.bank import LETTERS, list_questions
from bimtek.assessments.models import KIND_LABELS, KINDS, Answer, Assessment, Attempt, Question
from bimtek.assessments.scoring import outcomes
from bimtek.assessments.settings import get_assessment
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import INSTITUTION_CATEGORIES, Participant


@dataclass(frozen=True)
class ClosedAttempt:
    """The figures of a closed attempt that results need (not the ORM row: nothing here
    may change one)."""

    id: int
    participant_id: int
    score: float
    question_order: list


def closed_attempts(event: Event, kind: str, now: datetime | None = None) -> list[ClosedAttempt]:
    """The closed attempts at the event's ``kind`` test at ``now``, by id."""
    now = now or utcnow()
    attempts = list(
        db.session.scalars(
            sa.select(Attempt)
            .join(Assessment)
            .where(
                Assessment.event_id == event.id,
                Assessment.kind == kind,
                sa.or_(Attempt.submitted_at.is_not(None), Attempt.deadline_at <= now),
            )
            .order_by(Attempt.id)
        )
    )
    found = outcomes(attempts, now)
    return [
        ClosedAttempt(a.id, a.participant_id, found[a.id].score, list(a.question_order or []))
        for a in attempts
    ]


def scores(event: Event, kind: str, now: datetime | None = None) -> dict[int, float]:
    """participant id → score 0–100 of each closed attempt of the event's ``kind`` test.

    Closed means submitted by the participant or past its deadline; attempts still
    running are left out. ``kind`` is 'pre' or 'post'.
    """
    if kind not in KINDS:
        raise InvalidInput(_("Jenis tes harus 'pre' atau 'post'."), fields={"kind": kind})
    return {attempt.participant_id: attempt.score for attempt in closed_attempts(event, kind, now)}


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
        return ["missing_both"], _("Belum mengikuti pre-test maupun post-test.")
    if pre is None:
        return ["missing_pre"], _("Tanpa pre-test: gain tidak dapat dihitung.")
    if post is None:
        return ["missing_post"], _("Belum mengikuti post-test: gain tidak dapat dihitung.")
    flags, notes = [], []
    if pre >= 100:
        flags.append("pre_perfect")
        notes.append(
            _(
                "Pre-test sudah 100: tidak ada ruang untuk naik, g tidak terdefinisi "
                "(tidak dihitung dalam rata-rata g)."
            )
        )
    if post < pre:
        flags.append("negative")
        notes.append(_("Skor turun dari pre-test ke post-test."))
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


def results(event: Event, now: datetime | None = None) -> dict:
    """Every figure of the results page, its .xlsx export and ``GET /events/{code}/results``.

    Keys: ``assessments`` (settings per kind), ``class`` (n, means, ⟨g⟩ from the means and
    the mean of individual g, counts of undefined and negative gains), ``participants``
    (one row each: pre, post, gain, g, band, flags, note), ``modules`` and ``categories``
    (mean pre, mean post, ⟨g⟩ of means, mean g over participants with both tests),
    ``distribution`` (10-point bins per kind) and ``items`` (item analysis per kind).
    Scores are 0–100 with 2 decimals; g values have 3 decimals. Only participants with both
    tests closed enter the gain figures.
    """
    attempts = {kind: closed_attempts(event, kind, now) for kind in KINDS}
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

    def module_scores(attempt: ClosedAttempt) -> dict:
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
        row = {"module_id": None, "code": "—", "title": _("Tanpa materi")}
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
    # "pre / post of N participants": the registered ones; a cancelled participant's row is
    # still listed, but counted in neither side of that fraction
    registered = {p.id for p in participants if p.status == "registered"}
    class_row.update(
        {
            "participants": len(registered),
            "pre_taken": len(registered & by_participant["pre"].keys()),
            "post_taken": len(registered & by_participant["post"].keys()),
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


def item_analysis(
    questions: list[Question], attempts: list[ClosedAttempt], answers: dict
) -> list[dict]:
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

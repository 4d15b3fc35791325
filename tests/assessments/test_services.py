"""The rules, called directly: question bank, attempts, deadline, scoring and results."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import bank as question_bank
from bimtek.assessments import portal, scoring
from bimtek.assessments import results as test_results
from bimtek.assessments import settings as test_settings
from bimtek.assessments.demo import DEMO_QUESTIONS, load_demo_questions
from bimtek.assessments.models import Answer, Attempt
from bimtek.demo import load_demo
from bimtek.errors import Conflict, Forbidden, InvalidInput
from bimtek.extensions import db
from bimtek.participants.cancellation import cancel
from tests.assessments.conftest import add_question as add
from tests.assessments.conftest import correct_option, take_test, wrong_option
from tests.factories import make_event, make_participant, open_tests

T0 = datetime(2024, 10, 28, 0, 10, tzinfo=UTC)  # 08:10 WITA


# ------------------------------------------------------------------ question bank


def question_data(module, **overrides):
    data = {
        "module_id": module.id,
        "text": "Apa kepanjangan KPU?",
        "option_1": "Komisi Pemilihan Umum",
        "option_2": "Komite Pemilu",
        "option_3": "Kantor Pemilu",
        "option_4": "Korps Pemilu",
        "correct": "1",
    }
    data.update(overrides)
    return data


def test_save_question_with_four_or_five_options(event, modules):
    question = question_bank.save_question(event, question_data(modules["M1"]))
    assert [o.text for o in question.options][0] == "Komisi Pemilihan Umum"
    assert [o.is_correct for o in question.options] == [True, False, False, False]
    five = question_bank.save_question(
        event, question_data(modules["M1"], text="Lima opsi", option_5="Kelima", correct="5")
    )
    assert len(five.options) == 5 and five.options[4].is_correct


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"text": "  "}, "text", "kosong"),
        ({"option_4": ""}, "options", "Minimal 4"),
        ({"option_2": ""}, "options", "Opsi B kosong"),
        ({"correct": ""}, "correct", "Belum ada jawaban benar"),
        ({"correct": "5"}, "correct", "opsi E yang kosong"),
        ({"module_id": ""}, "module_id", "Pilih materi"),
        ({"module_id": "99999"}, "module_id", "tidak ditemukan"),
    ],
)
def test_bad_questions_are_refused(event, modules, overrides, field, words):
    with pytest.raises(InvalidInput) as caught:
        question_bank.save_question(event, question_data(modules["M1"], **overrides))
    assert words in caught.value.fields[field]


def test_two_correct_answers_refused_through_the_list_form(event, modules):
    data = {
        "module_id": modules["M1"].id,
        "text": "Dua kunci?",
        "options": [
            {"text": "A", "is_correct": True},
            {"text": "B", "is_correct": True},
            {"text": "C"},
            {"text": "D"},
        ],
    }
    with pytest.raises(InvalidInput) as caught:
        question_bank.save_question(event, data)
    assert "lebih dari satu (A, B)" in caught.value.fields["correct"]


def test_six_options_refused():
    problems = question_bank.question_problems("Soal", [(str(i), i == 0) for i in range(6)])
    assert "Paling banyak 5" in problems["options"]


def test_module_of_another_event_refused(event, modules):
    other = make_event("LAIN24")
    with pytest.raises(InvalidInput):
        question_bank.save_question(event, question_data(other.modules[0]))


def test_answered_question_keeps_its_key(event, bank, participant):
    attempt = attempt_ops.start_attempt(
        test_settings.ensure_assessment(event, "pre"), participant, T0
    )
    attempt_ops.save_answers(attempt, {bank[0].id: correct_option(bank[0])}, T0)
    db.session.commit()
    data = {"module_id": bank[0].module_id, "text": "Teks diperbaiki", "correct": "2"}
    for i, option in enumerate(bank[0].options, 1):
        data[f"option_{i}"] = option.text
    with pytest.raises(InvalidInput) as caught:
        question_bank.save_question(event, data, question=bank[0])
    assert "sudah dijawab" in caught.value.fields["correct"]
    data["correct"] = "1"
    question_bank.save_question(event, data, question=bank[0])  # rewording is fine
    assert bank[0].text == "Teks diperbaiki"
    with pytest.raises(Conflict):
        question_bank.delete_question(bank[0])
    question_bank.delete_question(bank[3])  # nobody answered it (it is in the attempt, unanswered)
    assert len(question_bank.list_questions(event)) == 3


# ---------------------------------------------------------------------- attempts


def test_start_shuffles_and_stores_the_order(event, bank, participant):
    assessment = test_settings.ensure_assessment(event, "pre")
    attempt = attempt_ops.start_attempt(assessment, participant, T0)
    assert sorted(attempt.question_order) == sorted(q.id for q in bank)
    for question in bank:
        assert sorted(attempt.option_order[str(question.id)]) == sorted(
            o.id for o in question.options
        )
    assert attempt.deadline_at == T0 + timedelta(minutes=30)
    # the page shows exactly the stored order, every time
    shown = portal.attempt_questions(attempt)
    assert [q.id for q, _ in shown] == attempt.question_order
    assert [o.id for o in shown[0][1]] == attempt.option_order[str(shown[0][0].id)]
    # starting again returns the same attempt
    assert attempt_ops.start_attempt(assessment, participant, T0 + timedelta(minutes=1)) is attempt


def test_shuffle_differs_between_attempts(event, modules):
    for i in range(12):
        add(event, modules["M1"], f"Soal acak {i}")
    open_tests(event)
    assessment = test_settings.ensure_assessment(event, "pre")
    orders = {
        tuple(attempt_ops.start_attempt(assessment, make_participant(event), T0).question_order)
        for _ in range(3)
    }
    assert len(orders) > 1  # 12! orders: three equal draws would be a broken shuffle


def test_questions_per_module(event, bank, participant):
    assessment = test_settings.ensure_assessment(event, "post")
    assessment.questions_per_module = 1
    assert question_bank.question_count(event, assessment.questions_per_module) == 2
    attempt = attempt_ops.start_attempt(assessment, participant, T0)
    modules = sorted(db.session.get(type(bank[0]), qid).module_id for qid in attempt.question_order)
    assert modules == sorted([bank[0].module_id, bank[2].module_id])


def test_window_and_registration_rules(event, bank, participant):
    assessment = test_settings.ensure_assessment(event, "pre")
    assessment.opens_at = T0 + timedelta(hours=1)
    with pytest.raises(Forbidden, match="belum dibuka"):
        attempt_ops.start_attempt(assessment, participant, T0)
    assessment.opens_at, assessment.closes_at = None, T0
    with pytest.raises(Forbidden, match="sudah ditutup"):
        attempt_ops.start_attempt(assessment, participant, T0)
    assessment.closes_at = T0 + timedelta(minutes=10)
    attempt = attempt_ops.start_attempt(assessment, participant, T0)
    # the window's end cuts the 30 minutes short
    assert attempt.deadline_at == T0 + timedelta(minutes=10)
    waiting = make_participant(event)
    cancel(waiting, reason="uji", actor=None, channel="cli")
    with pytest.raises(Forbidden, match="Hanya peserta terdaftar"):
        attempt_ops.start_attempt(assessment, waiting, T0)


def test_no_questions_no_test(event, participant):
    open_tests(event)
    with pytest.raises(Forbidden, match="belum memiliki soal"):
        attempt_ops.start_attempt(test_settings.ensure_assessment(event, "pre"), participant, T0)


def test_answers_upsert_and_validation(event, bank, participant, other_participant):
    attempt = attempt_ops.start_attempt(
        test_settings.ensure_assessment(event, "pre"), participant, T0
    )
    attempt_ops.save_answers(attempt, {bank[0].id: wrong_option(bank[0])}, T0)
    attempt_ops.save_answers(attempt, {str(bank[0].id): str(correct_option(bank[0]))}, T0)
    rows = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id)).all()
    assert len(rows) == 1 and rows[0].option_id == correct_option(bank[0])
    with pytest.raises(InvalidInput, match="tidak valid untuk soal"):
        attempt_ops.save_answers(attempt, {bank[0].id: correct_option(bank[1])}, T0)
    with pytest.raises(InvalidInput):
        attempt_ops.save_answers(attempt, {bank[0].id: "abc"}, T0)
    with pytest.raises(InvalidInput, match="tidak ada dalam tes"):
        attempt_ops.save_answers(attempt, {999999: 1}, T0)


def test_deadline_is_enforced_and_attempt_closed_with_what_was_saved(event, bank, participant):
    attempt = attempt_ops.start_attempt(
        test_settings.ensure_assessment(event, "pre"), participant, T0
    )
    attempt_ops.save_answers(
        attempt,
        {bank[0].id: correct_option(bank[0]), bank[1].id: wrong_option(bank[1])},
        T0 + timedelta(minutes=5),
    )
    late = T0 + timedelta(minutes=30)  # exactly at the deadline: too late
    with pytest.raises(attempt_ops.DeadlinePassed, match="Waktu pengerjaan sudah habis"):
        attempt_ops.save_answers(attempt, {bank[2].id: correct_option(bank[2])}, late)
    assert attempt.is_closed and attempt.closed_reason == "expired"
    assert attempt.submitted_at == attempt.deadline_at
    # 1 right out of 4 asked = 25
    assert (attempt.correct_count, attempt.score) == (1, 25.0)
    # a submit after the deadline changes nothing
    attempt_ops.submit_attempt(attempt, late + timedelta(minutes=1))
    assert attempt.closed_reason == "expired"


def test_close_expired_attempts(event, bank, participant, other_participant):
    assessment = test_settings.ensure_assessment(event, "pre")
    first = attempt_ops.start_attempt(assessment, participant, T0)
    second = attempt_ops.start_attempt(assessment, other_participant, T0 + timedelta(minutes=20))
    db.session.commit()
    assert attempt_ops.close_expired_attempts(T0 + timedelta(minutes=31)) == 1
    assert first.is_closed and not second.is_closed
    assert attempt_ops.close_expired_attempts(T0 + timedelta(minutes=31)) == 0
    # a read after the deadline shows it closed (scored from its answers) without closing it
    found = portal.find_attempt(assessment, other_participant)
    shown = scoring.outcome(found, T0 + timedelta(hours=1))
    assert (shown.closed, shown.reason, shown.score) == (True, "expired", 0)
    assert shown.closed_at == found.deadline_at and found.submitted_at is None


def test_submit_twice_is_harmless(event, bank, participant):
    attempt = take_test(event, participant, "pre", right=3, now=T0)
    assert attempt.score == 75.0 and attempt.closed_reason == "submitted"
    submitted_at = attempt.submitted_at
    attempt_ops.submit_attempt(attempt, T0 + timedelta(minutes=2))
    assert attempt.submitted_at == submitted_at
    with pytest.raises(attempt_ops.AttemptClosed):
        attempt_ops.save_answers(attempt, {bank[3].id: correct_option(bank[3])}, T0)


# ------------------------------------------------------------------------ results


def test_scores_and_results_by_hand(event, bank):
    # four participants; 4 questions (M1: q0, q1; M2: q2, q3); `right` = first n correct
    a = make_participant(event, institution_category="kpu")
    b = make_participant(event, institution_category="kpu")
    c = make_participant(event, institution_category="polri")
    d = make_participant(event, institution_category="polri")
    take_test(event, a, "pre", 1)  # 25
    take_test(event, a, "post", 3)  # 75
    take_test(event, b, "pre", 2)  # 50
    take_test(event, b, "post", 4)  # 100
    take_test(event, c, "pre", 4)  # 100
    take_test(event, c, "post", 2)  # 50 (went down; g undefined since pre = 100)
    take_test(event, d, "pre", 2)  # 50, no post-test
    open_attempt = attempt_ops.start_attempt(test_settings.ensure_assessment(event, "post"), d)
    assert test_results.scores(event, "pre") == {a.id: 25, b.id: 50, c.id: 100, d.id: 50}
    assert test_results.scores(event, "post") == {a.id: 75, b.id: 100, c.id: 50}  # d still open
    assert not open_attempt.is_closed

    r = test_results.results(event)
    rows = {row["participant_id"]: row for row in r["participants"]}
    # a: gain 50, g = 50/75 = 0.667 (medium); b: 50/50 = 1 (high)
    assert (rows[a.id]["gain"], rows[a.id]["g"], rows[a.id]["band"]) == (50, 0.667, "medium")
    assert (rows[b.id]["gain"], rows[b.id]["g"], rows[b.id]["band"]) == (50, 1.0, "high")
    assert rows[c.id]["g"] is None and rows[c.id]["gain"] == -50
    assert set(rows[c.id]["flags"]) == {"pre_perfect", "negative"}
    assert "100" in rows[c.id]["note"]
    assert rows[d.id]["flags"] == ["missing_post"] and rows[d.id]["g"] is None

    klass = r["class"]
    # pairs a, b, c: mean pre (25+50+100)/3 = 58.33; mean post (75+100+50)/3 = 75
    # <g> = (75 − 58.333)/(100 − 58.333) = 16.667/41.667 = 0.4; mean g = (0.6667 + 1)/2 = 0.833
    assert klass["n"] == 3
    assert klass["mean_pre"] == 58.33 and klass["mean_post"] == 75.0
    assert klass["g_of_means"] == 0.4 and klass["band"] == "medium"
    assert klass["mean_g"] == 0.833 and klass["mean_g_band"] == "high"
    assert (klass["g_undefined"], klass["negative"]) == (1, 1)
    assert (klass["pre_taken"], klass["post_taken"]) == (4, 3)

    modules = {m["code"]: m for m in r["modules"]}
    # M1 (q0, q1) per pair — a: pre 1/2 = 50, post 2/2 = 100; b: 100 → 100; c: 100 → 100
    # mean pre (50+100+100)/3 = 83.33, post 100; <g> = 16.667/16.667 = 1
    assert modules["M1"]["mean_pre"] == 83.33 and modules["M1"]["mean_post"] == 100
    assert modules["M1"]["g_of_means"] == 1.0
    # M2 (q2, q3) — a: 0 → 50; b: 0 → 100; c: 100 → 0; mean pre 33.33, post 50
    # <g> = 16.667/66.667 = 0.25; individual g: 0.5, 1, undefined → mean 0.75
    assert modules["M2"]["mean_pre"] == 33.33 and modules["M2"]["mean_post"] == 50
    assert modules["M2"]["g_of_means"] == 0.25 and modules["M2"]["mean_g"] == 0.75

    categories = {k["category"]: k for k in r["categories"]}
    # KPU: a, b → pre 37.5, post 87.5, <g> = 50/62.5 = 0.8; mean g (0.667+1)/2 = 0.833
    assert categories["kpu"]["mean_pre"] == 37.5 and categories["kpu"]["g_of_means"] == 0.8
    assert categories["kpu"]["mean_g"] == 0.833
    # Polri: only c has both (d has no post) → n = 1, g undefined
    assert categories["polri"]["n"] == 1 and categories["polri"]["mean_g"] is None

    # item q0 in the pre-test: everyone (a, b, c, d) right → p = 1; q3 only c right → p = 0.25
    items = {item["question_id"]: item for item in r["items"]["pre"]}
    assert items[bank[0].id]["difficulty"] == 1.0
    assert items[bank[3].id]["difficulty"] == 0.25
    # groups of round(0.27 × 4) = 1: top total c (100) right, bottom a (25) wrong → D = 1
    assert items[bank[3].id]["discrimination"] == 1.0
    # the take_test helper always picks the first wrong option: the others are never chosen
    assert items[bank[3].id]["unused_distractors"] == ["C", "D", "E"]
    assert r["distribution"]["pre"] == [0, 0, 1, 0, 0, 2, 0, 0, 0, 1]


def test_results_of_an_empty_event(event):
    r = test_results.results(event)
    assert r["class"]["n"] == 0 and r["class"]["g_of_means"] is None
    assert r["participants"] == [] and r["items"] == {"pre": [], "post": []}


def test_scores_rejects_unknown_kind(event):
    with pytest.raises(InvalidInput):
        test_results.scores(event, "mid")


def test_scores_counts_expired_attempts_without_closing_them(event, bank, participant):
    attempt = attempt_ops.start_attempt(
        test_settings.ensure_assessment(event, "post"), participant, T0
    )
    attempt_ops.save_answers(attempt, {bank[0].id: correct_option(bank[0])}, T0)
    db.session.commit()
    # long after the deadline the attempt counts, with its one right answer of 4
    assert test_results.scores(event, "post") == {participant.id: 25.0}
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).closed_reason is None  # the job closes it


def test_demo_bank_loads_once(app):
    event, _ = load_demo(participant_count=12)
    db.session.commit()
    count = len(question_bank.list_questions(event))
    assert count == len(DEMO_QUESTIONS) >= 30
    assert {q.module.code for q in question_bank.list_questions(event)} == {"M1", "M2", "M3"}
    assert load_demo_questions(event) == 0
    load_demo(participant_count=12)  # again: nothing doubles
    assert len(question_bank.list_questions(event)) == count
    r = test_results.results(event)
    assert r["class"]["n"] > 5 and r["class"]["mean_post"] > r["class"]["mean_pre"]
    for question in question_bank.list_questions(event):
        assert 4 <= len(question.options) <= 5
        assert sum(o.is_correct for o in question.options) == 1


def test_assessment_settings_validation(event):
    assessment = test_settings.ensure_assessment(event, "pre")
    with pytest.raises(InvalidInput) as caught:
        test_settings.update_assessment(
            assessment,
            {"opens_at": "besok", "duration_minutes": "0", "questions_per_module": "501"},
        )
    assert caught.value.fields == {
        "opens_at": "Dibuka: isi tanggal dan jam yang valid.",
        "duration_minutes": "Durasi 1–600 menit.",
        "questions_per_module": "Isi 1–500, atau kosongkan untuk semua soal.",
    }
    # empty questions per module (or a JSON 0): every question; "off" hides the score
    for every in ("", 0):
        test_settings.update_assessment(
            assessment,
            {"duration_minutes": "45", "questions_per_module": every, "show_score_after": "off"},
        )
    assert (assessment.duration_minutes, assessment.questions_per_module) == (45, None)
    assert assessment.show_score_after is False


def test_closing_the_window_early_cuts_running_attempts(event, bank, participant):
    assessment = test_settings.ensure_assessment(event, "pre")
    attempt = attempt_ops.start_attempt(assessment, participant, T0)
    db.session.commit()
    # 08:20 WITA = 00:20 UTC, ten minutes after the start, twenty before the deadline
    test_settings.update_assessment(
        assessment, {"closes_at": "2024-10-28T08:20", "duration_minutes": "30"}
    )
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.deadline_at == T0 + timedelta(minutes=10)
    with pytest.raises(attempt_ops.DeadlinePassed):
        attempt_ops.save_answers(
            attempt, {bank[0].id: correct_option(bank[0])}, T0 + timedelta(minutes=11)
        )

"""Fixtures for the assessments domain: a small bank, pre/post tests and participants."""

import pytest

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import bank as question_bank
from bimtek.assessments import settings as test_settings
from bimtek.events.services import save_module
from bimtek.extensions import db
from tests.factories import make_participant, open_tests


def add_question(
    event,
    module,
    text,
    options=("Benar", "Salah 1", "Salah 2", "Salah 3"),
    correct=1,
    explanation="",
):
    """A question whose option number ``correct`` (1-based) is right."""
    data = {
        "module_id": module.id,
        "text": text,
        "correct": str(correct),
        "explanation": explanation,
    }
    for index, option in enumerate(options, 1):
        data[f"option_{index}"] = option
    return question_bank.save_question(event, data, channel="cli")


@pytest.fixture
def modules(event):
    """M1 (from the event factory) and a second module M2."""
    m2 = save_module(event, {"code": "M2", "title": "Pemetaan Kerawanan", "jp": 2}, channel="cli")
    db.session.commit()
    return {"M1": event.modules[0], "M2": m2}


@pytest.fixture
def bank(event, modules):
    """Four questions: two on M1, two on M2; option 1 is right in each."""
    questions = [
        add_question(event, modules["M1"], "Soal M1 nomor satu"),
        add_question(event, modules["M1"], "Soal M1 nomor dua"),
        add_question(event, modules["M2"], "Soal M2 nomor satu"),
        add_question(
            event,
            modules["M2"],
            "Soal M2 nomor dua",
            options=("Benar", "Salah 1", "Salah 2", "Salah 3", "Salah 4"),
        ),
    ]
    open_tests(event)
    return questions


@pytest.fixture
def participant(event):
    return make_participant(event)


@pytest.fixture
def other_participant(event):
    return make_participant(event)


def correct_option(question):
    return next(o.id for o in question.options if o.is_correct)


def wrong_option(question, which=0):
    return [o.id for o in question.options if not o.is_correct][which]


def take_test(event, participant, kind, right: int, now=None):
    """Start ``kind`` for ``participant``, answer the first ``right`` questions (bank order)
    correctly and the rest wrongly, submit; return the closed attempt."""
    assessment = test_settings.ensure_assessment(event, kind)
    attempt = attempt_ops.start_attempt(assessment, participant, now)
    choices = {}
    for index, question in enumerate(question_bank.list_questions(event)):
        choices[question.id] = correct_option(question) if index < right else wrong_option(question)
    attempt_ops.save_answers(attempt, choices, now)
    attempt_ops.submit_attempt(attempt, now)
    db.session.commit()
    return attempt

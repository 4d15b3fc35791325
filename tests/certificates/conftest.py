"""Helpers for certificate tests: real attendance rows and real post-test attempts, made
through the attendance and assessments services."""

import pytest

from bimtek.assessments.attempts import save_answers, start_attempt, submit_attempt
from bimtek.assessments.bank import list_questions, save_question
from bimtek.assessments.models import Option
from bimtek.assessments.settings import ensure_assessment
from bimtek.attendance.checkin import check_in, mark_excused
from bimtek.certificates import issuing
from bimtek.certificates.configuration import save_signatory
from bimtek.certificates.queries import get_settings
from bimtek.extensions import db
from tests import factories


def attend(event, participant, count, *, status="hadir", admin=None):
    """Check the participant in at the first ``count`` mandatory sessions."""

    sessions = [s for s in event.sessions if s.mandatory][:count]
    for session in sessions:
        if status in ("izin", "sakit"):
            mark_excused(session, participant, status, "surat keterangan", actor=admin)
        else:
            check_in(session, participant, actor=admin, now=session.starts_at)
    db.session.commit()


def ensure_bank(event, size=5):
    """A post-test bank of ``size`` questions on the event's first module."""

    existing = list_questions(event)
    module = event.modules[0]
    for index in range(len(existing), size):
        save_question(
            event,
            {
                "module_id": module.id,
                "text": f"Pertanyaan uji nomor {index + 1}?",
                "option_1": "Benar",
                "option_2": "Salah",
                "option_3": "Keliru",
                "option_4": "Tidak tahu",
                "correct": "1",
            },
            channel="cli",
        )
    db.session.commit()
    factories.open_tests(event)


def post_test(event, participant, correct, *, total=5, kind="post"):
    """Take and submit the test, answering ``correct`` of ``total`` questions right."""

    ensure_bank(event, total)
    attempt = start_attempt(ensure_assessment(event, kind), participant)
    choices = {}
    for index, question_id in enumerate(attempt.question_order):
        options = db.session.scalars(db.select(Option).where(Option.question_id == question_id))
        wanted = index < correct
        choice = next(o for o in options if o.is_correct == wanted)
        choices[question_id] = choice.id
    save_answers(attempt, choices)
    submit_attempt(attempt)
    db.session.commit()
    return attempt


def sign(event):
    """Give the event a signatory (certificates are only issued signed); idempotent."""

    if not get_settings(event).signatories:
        save_signatory(
            event,
            {
                "name": "Drs. Penanda Tangan, M.Si",
                "title": "Sekretaris Daerah",
                "nip": "196805121990031004",
            },
        )
        db.session.commit()


def qualify(event, participant):
    """Full attendance and a post-test of 100, in an event whose certificates are signed."""
    sign(event)
    attend(event, participant, len([s for s in event.sessions if s.mandatory]))
    post_test(event, participant, 5)


@pytest.fixture
def five_sessions(app):
    """An event with five mandatory sessions (so 4 of 5 is exactly 80%)."""
    return factories.make_event("SERT24", sessions=5)


@pytest.fixture
def issued(five_sessions):
    """One issued (signed) certificate."""

    person = factories.make_participant(five_sessions, full_name="Siti Rahmawati, S.Sos.")
    qualify(five_sessions, person)
    certificate = issuing.issue(person)
    db.session.commit()
    return certificate

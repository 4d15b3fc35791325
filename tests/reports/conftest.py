"""Builders for spreadsheets in the reports tests: real .xlsx files made with openpyxl."""

from datetime import datetime, time, timedelta

import pytest

from bimtek.assessments.models import Attempt
from bimtek.assessments.settings import ensure_assessment
from bimtek.attendance.checkin import check_in, mark_excused
from bimtek.certificates.configuration import ensure_settings
from bimtek.certificates.issuing import issue
from bimtek.core.timeutil import local_to_utc, to_local, utcnow
from bimtek.extensions import db
from tests.certificates.conftest import sign
from tests.evaluation.conftest import rated_event  # noqa: F401  (a fixture of the activity report tests)
from tests.factories import make_event, make_participant
from tests.participants.sheets import person_row


def rows_of(sheet, first=5):
    """The data rows under the header, up to the blank row before the note."""
    rows = []
    for row in sheet.iter_rows(min_row=first, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(list(row))
    return rows


@pytest.fixture
def people():
    """A function giving ``n`` valid rows."""
    return lambda n: [person_row() for _ in range(n)]


@pytest.fixture
def busy_event(app, admin):
    """An event on today's local date with what every report shows, worked out by hand.

    Capacity 3: Ani, Budi, Citra registered, Dedi waitlisted. Sessions 08:00 and 10:00 WITA
    (grace 15 min). Session 1: Ani 08:05 hadir, Budi 08:30 terlambat, Citra izin.
    Session 2: Ani 10:01 hadir. Pre-test: Ani 40, Budi 60. Post-test: Ani 70, Budi 50.
    Certificates: post-test required, 50% attendance: Ani issued; Budi eligible, not issued.
    """

    today = to_local(utcnow(), "Asia/Makassar").date()
    event = make_event("RAMAI", capacity=3, start=today)
    ani = make_participant(event, full_name="Ani", institution_category="kpu")
    budi = make_participant(event, full_name="Budi", institution_category="polri")
    citra = make_participant(event, full_name="Citra", institution_category="kpu")
    make_participant(event, full_name="Dedi", institution_category="tni")
    first, second = event.sessions

    def at(hour, minute):
        return local_to_utc(datetime.combine(today, time(hour, minute)), event.timezone)

    check_in(first, ani, actor=admin, now=at(8, 5))
    check_in(first, budi, actor=admin, now=at(8, 30))
    mark_excused(first, citra, "izin", "tugas kantor", actor=admin, now=at(8, 40))
    check_in(second, ani, actor=admin, now=at(10, 1))
    for kind, marks in (("pre", {ani: 40.0, budi: 60.0}), ("post", {ani: 70.0, budi: 50.0})):
        assessment = ensure_assessment(event, kind)
        for person, score in marks.items():
            start = at(7, 0) if kind == "pre" else at(11, 0)
            db.session.add(
                Attempt(
                    assessment_id=assessment.id,
                    participant_id=person.id,
                    started_at=start,
                    deadline_at=start + timedelta(minutes=30),
                    submitted_at=start + timedelta(minutes=20),
                    closed_reason="submitted",
                    score=score,
                    correct_count=int(score / 10),
                    question_order=[],
                    option_order={},
                )
            )
    settings = ensure_settings(event)
    settings.min_attendance_percent = 50
    db.session.flush()
    sign(event)
    issue(ani, actor=admin)
    db.session.commit()
    event.at = at
    return event

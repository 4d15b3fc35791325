"""Names sort without their titles: one sort_key, used by every list sorted by name."""

import pytest
import sqlalchemy as sa

from bimtek.attendance.pdf import badges_pdf, sign_in_sheet_pdf
from bimtek.attendance.queries import attendance_matrix, session_attendance
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.names import sort_key
from bimtek.participants.queries import list_participants
from tests.factories import make_participant
from tests.pdftext import pdf_text


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Dr. H. M. Agus Hari Kesuma, M.Si", "agus hari kesuma"),
        ("Drs. Ahmad Yani", "ahmad yani"),
        ("Hj. Siti Aminah, S.Pd., M.M.", "siti aminah"),
        ("Ir. Budi Santoso", "budi santoso"),
        ("Dra.Hj.Wahyuni", "wahyuni"),
        ("Prof. Dr. Ir. Rahmat Hidayat", "rahmat hidayat"),
        ("M. Rizki S.Kom", "rizki"),
        ("Nur'aini", "nuraini"),
        ("Hasan Basri", "hasan basri"),  # H is a title only as "H." or "H", not in "Hasan"
        ("Irma Dewi", "irma dewi"),
        ("Drajat", "drajat"),
        ("Dr.", "dr"),  # nothing left without the title: the whole name
        ("", ""),
    ],
)
def test_sort_key_leaves_out_titles_and_degrees(name, key):
    assert sort_key(name) == key


NAMES = ["Drs. Zainal Arifin", "Hj. Aminah", "Ir. Budi Santoso", "Dr. H. M. Cahyo, M.Si", "Dewi"]
ORDER = ["Hj. Aminah", "Ir. Budi Santoso", "Dr. H. M. Cahyo, M.Si", "Dewi", "Drs. Zainal Arifin"]


@pytest.fixture
def people(event):
    made = [make_participant(event, full_name=name) for name in NAMES]
    db.session.commit()
    return made


def test_the_stored_sort_name_follows_the_name(event, people):
    person = people[0]
    assert person.sort_name == "zainal arifin"
    person.full_name = "Ir. Abdul Gani"
    db.session.commit()
    assert db.session.scalar(
        sa.select(Participant.sort_name).where(Participant.id == person.id)
    ) == ("abdul gani")


def test_every_name_sorted_list_uses_it(event, people):
    session = event.sessions[0]
    assert [p.full_name for p, _row in session_attendance(session)] == ORDER
    assert [p.full_name for p in list_participants(event.id, sort="name")] == ORDER
    assert [row.participant.full_name for row in attendance_matrix(event).rows] == ORDER


def _positions(data: bytes) -> list[int]:
    text = " ".join(pdf_text(data).split())
    return [text.index(name.split(",")[0].split()[-1]) for name in ORDER]


def test_the_sign_in_sheet_and_badges_are_in_name_order(event, people):
    session = event.sessions[0]
    sheet = sign_in_sheet_pdf(session, session_attendance(session)).read()
    positions = _positions(sheet)
    assert positions == sorted(positions)
    badges = badges_pdf(event, list_participants(event.id, status="registered", sort="name"))
    positions = _positions(badges.read())
    assert positions == sorted(positions)

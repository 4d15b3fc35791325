"""In headless Chromium: a participant rates a narasumber on a 360 px phone (each answer
saved as tapped), and the manager reads the report at 1366 px."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.evaluation import reads
from bimtek.evaluation.models import EvaluationResponse
from bimtek.extensions import db
from tests import factories
from tests.conftest import log_in, screenshot
from tests.evaluation.conftest import fill

pytestmark = pytest.mark.browser


@pytest.fixture
def past_event(app):
    """An event that ended two days ago: every part of its questionnaire is open."""
    event = factories.make_event("LALU24", start=date.today() - timedelta(days=5))
    event.modules[0].speakers = "Dr. Andi Mappa, M.Si\nIr. Budi Santoso"
    db.session.commit()
    return event


def test_rate_a_speaker_on_a_phone(phone, live_server, past_event):
    page = phone
    person = factories.make_participant(past_event, full_name="Hj. Siti Rahmah, S.Sos")
    log_in(page, live_server.url, person.nik)
    page.goto(f"{live_server.url}/portal/peserta/{person.id}/evaluasi")
    page.get_by_role("link", name="Isi").first.click()
    page.wait_for_load_state()
    fieldsets = page.locator("fieldset.likert")
    assert fieldsets.count() == 6
    for index in range(6):
        fieldsets.nth(index).locator(".likert-option").nth(3 if index % 2 else 2).click()
        fieldsets.nth(index).locator(".save-state.saved").wait_for()
    part = reads.parts(past_event)[0]
    db.session.expire_all()
    assert reads.draft_of(person, part.key).scores == {
        f"s{i}": 4 if (i - 1) % 2 else 3 for i in range(1, 7)
    }
    page.fill("#f-comment", "Contoh kasus Kutai Timur sangat membantu.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "no sideways scrolling on a phone"
    screenshot(page, "evaluation-form-360")
    page.get_by_role("button", name="Kirim penilaian").click()
    page.wait_for_load_state()
    assert "penilaian Anda terkirim" in page.content()
    db.session.expire_all()
    response = db.session.scalar(sa.select(EvaluationResponse))
    assert response.comment == "Contoh kasus Kutai Timur sangat membantu."


def test_report_page_at_1366(page_at, live_server, past_event):
    people = [factories.make_participant(past_event) for _ in range(7)]
    parts = reads.parts(past_event)
    comments = ["Waktu diskusi perlu ditambah.", "", "Ruangan terlalu dingin.", "", "", "", ""]
    for person, value, comment in zip(people, (4, 4, 3, 3, 4, 2, 3), comments, strict=True):
        for part in parts[:1] + parts[2:]:
            fill(person, part.key, value=value, comment=comment)
    manager = factories.make_staff("manager", event=past_event)
    page = page_at(1366, 900)
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{past_event.code}/evaluasi")
    text = page.content()
    assert "Ruangan terlalu dingin." in text
    assert "Hasil ditampilkan setelah minimal 5 responden" in text  # Ir. Budi: nobody yet
    assert page.locator("svg.hbar").count() == 12
    screenshot(page, "evaluation-report-1366")

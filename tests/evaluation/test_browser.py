"""In headless Chromium: a participant rates a narasumber on a 360 px phone (each answer
saved as tapped), and the manager reads the report at 1366 px."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.evaluation import queries
from bimtek.evaluation.models import EvaluationResponse
from bimtek.extensions import db
from tests import factories
from tests.conftest import log_in, screenshot, wider_than
from tests.evaluation.conftest import fill

pytestmark = pytest.mark.browser


@pytest.fixture
def past_event(app):
    """An event that ended two days ago: every part of its questionnaire is open."""
    event = factories.make_event("LALU24", start=date.today() - timedelta(days=5))
    event.modules[0].speakers = "Dr. Andi Mappa, M.Si\nIr. Budi Santoso"
    db.session.commit()
    return event


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_evaluate_everyone_on_one_page_on_a_phone(phone, live_server, past_event):
    """One page, one tap per statement, each saved; leave, come back, finish, send."""
    page = phone
    person = factories.make_participant(past_event, full_name="Hj. Siti Rahmah, S.Sos")
    log_in(page, live_server.url, person.nik)
    url = f"{live_server.url}/portal/peserta/{person.id}/evaluasi"
    page.goto(url)
    fieldsets = page.locator("fieldset.likert")
    assert fieldsets.count() == 14  # two narasumber × 4, the organizer's 6
    assert page.get_by_text("0 dari 14 terjawab").is_visible()
    screenshot(page, "evaluation-one-page-360", full_page=False)
    for index in range(5):
        option = fieldsets.nth(index).locator(".likert-option").nth(3 if index % 2 else 2)
        assert _in_view(page, option)
        option.click()
        fieldsets.nth(index).locator(".save-state.saved").wait_for()
    assert page.get_by_text("5 dari 14 terjawab").is_visible()
    assert page.get_by_role("button", name="Kirim penilaian").is_disabled()
    page.locator("details.eval-comment").first.locator("summary").click()
    page.locator("textarea").first.fill("Contoh kasus Kutai Timur sangat membantu.")
    page.locator("textarea").first.blur()
    page.wait_for_timeout(300)
    # leave, and come back later: the answers are there
    page.goto(f"{live_server.url}/portal")
    page.goto(url)
    fieldsets = page.locator("fieldset.likert")
    assert page.get_by_text("5 dari 14 terjawab").is_visible()
    assert fieldsets.nth(0).locator("input[value='3']").is_checked()
    assert fieldsets.nth(1).locator("input[value='4']").is_checked()
    screenshot(page, "evaluation-resumed-360", full_page=False)
    for index in range(5, 14):
        fieldsets.nth(index).locator(".likert-option").nth(3).click()
        fieldsets.nth(index).locator(".save-state.saved").wait_for()
    assert page.get_by_text("14 dari 14 terjawab").is_visible()
    assert not (too_wide := wider_than(page)), too_wide
    send = page.get_by_role("button", name="Kirim penilaian")
    assert send.is_enabled()
    send.scroll_into_view_if_needed()
    assert _in_view(page, send)
    screenshot(page, "evaluation-complete-360", full_page=False)
    send.click()
    page.wait_for_load_state()
    assert "penilaian Anda terkirim" in page.content()
    assert page.get_by_text("14 dari 14 terjawab").is_visible()
    screenshot(page, "evaluation-sent-360")
    db.session.expire_all()
    assert queries.evaluation_complete(person)
    comments = db.session.scalars(sa.select(EvaluationResponse.comment)).all()
    assert "Contoh kasus Kutai Timur sangat membantu." in comments


def test_report_page_at_1366(page_at, live_server, past_event):
    people = [factories.make_participant(past_event) for _ in range(7)]
    parts = queries.parts(past_event)
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
    assert page.locator("svg.hbar").count() == 10  # 4 items of Dr. Andi, 6 of the organizer
    screenshot(page, "evaluation-report-1366")

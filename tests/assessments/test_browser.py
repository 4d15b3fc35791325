"""In headless Chromium on a 360×740 phone: take the pre-test, reload mid-test, finish;
the countdown running out closes the attempt. And the admin's results page."""

import re
from datetime import timedelta

import pytest

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import bank as question_bank
from bimtek.assessments import portal
from bimtek.assessments import settings as test_settings
from bimtek.assessments.models import Attempt
from bimtek.core.timeutil import utcnow
from bimtek.demo import load_demo
from bimtek.extensions import db
from tests.conftest import log_in, screenshot, wider_than
from tests.factories import make_participant, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_event(app):
    event, _ = load_demo(participant_count=24)
    db.session.commit()
    return event


def choose(page, number: int, letter_index: int = 0):
    """Tap option ``letter_index`` of question ``number`` (1-based, as shown)."""
    page.locator(f"#soal-{number} .choice-option").nth(letter_index).click()


def test_take_the_pre_test_on_a_phone(phone, live_server, demo_event):
    page = phone
    participant = make_participant(demo_event, full_name="Hj. Siti Rahmah, S.Sos")
    log_in(page, live_server.url, participant.nik)
    page.goto(f"{live_server.url}/peserta/{participant.id}/tes")
    page.get_by_role("link", name="Mulai Pre-test").click()
    page.get_by_role("button", name="Mulai sekarang").click()
    page.wait_for_url(re.compile(r"/tes/pre$"))
    total = page.locator("fieldset.question").count()
    assert (
        total
        == question_bank.question_count(
            demo_event, test_settings.ensure_assessment(demo_event, "pre").questions_per_module
        )
        >= 30
    )
    timer = page.locator("#timer")
    assert re.fullmatch(r"(29|30):\d\d", timer.inner_text())

    for number in (1, 2, 3):
        choose(page, number, number % 4)
    for number in (1, 2, 3):
        page.locator(f"#soal-{number} .save-state.saved").wait_for()
    choose(page, 2, 0)  # change of mind
    page.locator("#soal-2 .save-state.saved").wait_for()
    assert page.locator("#progress").inner_text().startswith("3/")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "assessment-take-phone", full_page=False)

    chosen_before = [
        page.locator(f"#soal-{n} input:checked").get_attribute("value") for n in (1, 2, 3)
    ]
    page.reload()
    chosen_after = [
        page.locator(f"#soal-{n} input:checked").get_attribute("value") for n in (1, 2, 3)
    ]
    assert chosen_after == chosen_before
    assert page.locator("#soal-4 input:checked").count() == 0
    assert page.locator("#progress").inner_text() == f"3/{total} dijawab"

    # the connection drops: the choice waits, the page says so, and it goes once back online
    page.context.set_offline(True)
    choose(page, 4, 1)
    page.locator("#soal-4 .save-state.retry").wait_for()
    assert "Koneksi terputus" in page.locator("#save-error").inner_text()
    page.context.set_offline(False)
    page.locator("#soal-4 .save-state.saved").wait_for(timeout=20_000)
    assert page.locator("#save-error").is_hidden()

    for number in range(5, total + 1):
        choose(page, number, 0)
    page.locator(f"#soal-{total} .save-state.saved").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kumpulkan jawaban").click()
    page.get_by_role("heading", name="Pre-test selesai").wait_for()
    assert f"{total} dari {total} soal dijawab" in page.content()
    screenshot(page, "assessment-done-phone")

    db.session.expire_all()
    attempt = portal.find_attempt(test_settings.ensure_assessment(demo_event, "pre"), participant)
    assert attempt.closed_reason == "submitted"
    assert len(portal.chosen_options(attempt)) == total


def test_the_timer_running_out_closes_the_attempt(phone, live_server, event, bank):
    page = phone
    participant = make_participant(event)
    assessment = test_settings.ensure_assessment(event, "pre")
    attempt = attempt_ops.start_attempt(assessment, participant)
    attempt.deadline_at = utcnow() + timedelta(seconds=6)
    db.session.commit()
    log_in(page, live_server.url, participant.nik)
    page.goto(f"{live_server.url}/peserta/{participant.id}/tes/pre")
    assert re.fullmatch(r"0:0\d", page.locator("#timer").inner_text())
    choose(page, 1, 0)
    page.locator("#soal-1 .save-state.saved").wait_for()
    # the countdown reaches zero, the page goes to the result: closed with what was saved
    page.get_by_role("heading", name="Pre-test selesai").wait_for(timeout=20_000)
    assert "Waktu habis" in page.content()
    assert "1 dari 4 soal dijawab" in page.content()
    # the page (a GET) only showed it closed; the minute job stores the close
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).submitted_at is None
    assert attempt_ops.close_expired_attempts() == 1
    db.session.commit()
    db.session.expire_all()
    closed = db.session.get(Attempt, attempt.id)
    assert closed.closed_reason == "expired" and closed.submitted_at == closed.deadline_at


def test_results_page(desktop, live_server, demo_event, admin):
    page = desktop
    log_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{demo_event.code}/tes/hasil")
    page.get_by_role("heading", name="Hasil & analisis").wait_for()
    assert page.locator("svg.chart").count() == 2
    assert page.locator("#participant-results tbody tr").count() == 24
    screenshot(page, "assessment-results-desktop")
    page.goto(f"{live_server.url}/admin/kegiatan/{demo_event.code}/tes")
    screenshot(page, "assessment-admin-desktop")
    page.goto(f"{live_server.url}/admin/kegiatan/{demo_event.code}/tes/percobaan?tes=post")
    assert page.locator("#attempts tbody tr").count() >= 20
    screenshot(page, "assessment-monitor-desktop", full_page=False)


def test_results_page_on_a_phone(phone, live_server, demo_event):
    staff = make_staff("manager", event=demo_event)
    log_in(phone, live_server.url, staff.email)
    phone.goto(f"{live_server.url}/admin/kegiatan/{demo_event.code}/tes/hasil")
    phone.get_by_role("heading", name="Hasil & analisis").wait_for()
    # nothing wider than the screen except inside the scrollable tables
    assert not (too_wide := wider_than(phone)), too_wide
    screenshot(phone, "assessment-results-phone")

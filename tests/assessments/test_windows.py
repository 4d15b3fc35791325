"""When the tests open: the schedule's defaults, "Buka sekarang" / "Tutup sekarang", and the
post-test waiting for the pre-test to close unless a manager chooses otherwise."""

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import settings as test_settings
from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import local_to_utc, utcnow
from bimtek.events.services import save_session
from bimtek.extensions import db
from tests import factories
from tests.assessments.conftest import add_question
from tests.factories import make_event, make_participant


def _midnight(event, day):
    return local_to_utc(datetime.combine(day, time()), event.timezone)


def test_defaults_follow_the_schedule(app):
    event = make_event("JADWAL24", start=date(2026, 12, 7))
    pre, post = (
        test_settings.ensure_assessment(event, "pre"),
        test_settings.ensure_assessment(event, "post"),
    )
    # the factory's sessions are all on the first day; the event runs four days
    assert pre.opens_at == _midnight(event, date(2026, 12, 7))
    assert pre.closes_at == _midnight(event, date(2026, 12, 8))
    assert post.opens_at == _midnight(event, date(2026, 12, 7))
    assert post.closes_at is None

    later = make_event("JADWAL25", start=date(2026, 12, 7))
    save_session(
        later,
        {"day": date(2026, 12, 10), "start_time": time(8), "end_time": time(10), "title": "Akhir"},
        channel="cli",
    )
    db.session.commit()
    assert test_settings.ensure_assessment(later, "post").opens_at == _midnight(
        later, date(2026, 12, 10)
    )


def test_post_test_waits_for_the_pre_test(app):
    event = make_event("TUNGGU24", start=date.today() - timedelta(days=1))
    add_question(event, event.modules[0], "Soal satu?")
    person = make_participant(event)
    pre, post = (
        test_settings.ensure_assessment(event, "pre"),
        test_settings.ensure_assessment(event, "post"),
    )
    pre.opens_at = post.opens_at = utcnow() - timedelta(hours=1)
    pre.closes_at = None
    db.session.commit()
    now = utcnow()
    assert post.window_state(now) == "open"
    assert test_settings.availability(post, now) == "not_yet"
    with pytest.raises(test_settings.TestNotOpen, match="setelah pre-test ditutup"):
        attempt_ops.start_attempt(post, person, now)
    with pytest.raises(test_settings.PreTestStillOpen):
        test_settings.open_now(post, actor=None, now=now)
    test_settings.close_now(pre, actor=None, now=now)
    assert test_settings.availability(post, now + timedelta(seconds=1)) == "open"
    assert attempt_ops.start_attempt(post, person, now + timedelta(seconds=1)) is not None


def test_manager_opens_the_post_test_early_on_purpose(app):
    event = make_event("AWAL24")
    manager = factories.make_staff("manager", event=event)
    post = test_settings.ensure_assessment(event, "post")
    now = utcnow()
    test_settings.open_now(post, actor=manager, now=now, before_pre_closes=True)
    db.session.commit()
    assert post.opens_before_pre_closes and post.opens_at == now
    assert test_settings.availability(post, now) == "open"
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "assessment.open"))
    assert entry.actor_id == manager.id and entry.details["opens_before_pre_closes"] is True


def test_close_now_ends_running_attempts(app):
    event = make_event("TUTUP24")
    add_question(event, event.modules[0], "Soal satu?")
    factories.open_tests(event)
    person = make_participant(event)
    pre = test_settings.ensure_assessment(event, "pre")
    now = utcnow()
    attempt = attempt_ops.start_attempt(pre, person, now)
    test_settings.close_now(pre, actor=None, now=now + timedelta(minutes=5))
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.deadline_at == now + timedelta(minutes=5)
    assert test_settings.availability(pre, now + timedelta(minutes=6)) == "closed"
    test_settings.open_now(pre, actor=None, now=now + timedelta(minutes=7))
    assert (
        pre.closes_at is None
        and test_settings.availability(pre, now + timedelta(minutes=8)) == "open"
    )


def test_buttons_on_the_admin_page(manager_client, event):
    page = manager_client.get(f"/admin/kegiatan/{event.code}/tes").get_data(as_text=True)
    assert "Buka sekarang" in page and "Tutup sekarang" in page
    refused = manager_client.post(
        f"/admin/kegiatan/{event.code}/tes/post/buka", follow_redirects=True
    )
    assert "Pre-test masih dibuka" in refused.get_data(as_text=True)
    assert manager_client.post(f"/admin/kegiatan/{event.code}/tes/pre/tutup").status_code == 302
    assert manager_client.post(f"/admin/kegiatan/{event.code}/tes/post/buka").status_code == 302
    db.session.expire_all()
    now = utcnow()
    assert test_settings.availability(test_settings.ensure_assessment(event, "post"), now) == "open"
    assert (
        test_settings.availability(test_settings.ensure_assessment(event, "pre"), now) == "closed"
    )
    actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-2:] == ["assessment.close", "assessment.open"]

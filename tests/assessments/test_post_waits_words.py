"""What the post-test card says once the pre-test has closed: no more "waiting"."""

from datetime import UTC, datetime, timedelta

import pytest

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import portal as participant_tests
from bimtek.assessments import settings as test_settings
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from tests.assessments.conftest import add_question
from tests.conftest import login


def _tests(event):
    add_question(event, event.modules[0], "Soal satu?")
    pre = test_settings.ensure_assessment(event, "pre")
    post = test_settings.ensure_assessment(event, "post")
    pre.opens_at = post.opens_at = utcnow() - timedelta(hours=2)
    pre.closes_at = post.closes_at = None
    db.session.commit()
    return pre, post


def test_waiting_is_one_rule(app, event):
    pre, post = _tests(event)
    now = utcnow()
    assert test_settings.waits_for_pre(post, now) and not test_settings.waits_for_pre(pre, now)
    test_settings.close_now(pre, actor=None, now=now - timedelta(minutes=1))
    db.session.commit()
    assert not test_settings.waits_for_pre(post, now)


def test_cards_after_the_pre_test_closed(manager_client, event, participant):
    pre, post = _tests(event)
    admin = manager_client.get(f"/admin/kegiatan/{event.code}/tes").get_data(as_text=True)
    assert "menunggu pre-test ditutup" in admin.lower()
    test_settings.close_now(pre, actor=None, now=utcnow() - timedelta(minutes=1))
    db.session.commit()
    admin = manager_client.get(f"/admin/kegiatan/{event.code}/tes").get_data(as_text=True)
    assert "menunggu pre-test ditutup" not in admin.lower()
    assert "Pre-test sudah ditutup" in admin
    items = {i["assessment"].kind: i for i in participant_tests.portal_overview(participant)}
    assert items["post"]["state"] == "open" and not items["post"]["waits_for_pre"]


def test_participant_card_says_why_the_post_test_waits(client, event, participant):
    _tests(event)
    login(client, participant.nik)
    page = client.get(f"/peserta/{participant.id}/tes").get_data(as_text=True)
    assert "Dibuka setelah pre-test ditutup." in page


def test_a_test_not_yet_open_says_when_as_people_write_it(app, event, participant):
    pre, _post = _tests(event)
    pre.opens_at = datetime(2099, 12, 2, 0, 0, tzinfo=UTC)  # 08.00 WITA
    db.session.commit()
    with pytest.raises(test_settings.TestNotOpen) as refused:
        attempt_ops.start_attempt(pre, participant, utcnow())
    assert "2 Desember 2099 pukul 08.00 WITA" in str(refused.value.message)

"""A mail server that refuses or is down never breaks the registration; retries send once."""

from datetime import timedelta

import sqlalchemy as sa

from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.jobs import enqueue
from bimtek.notifications import messages
from bimtek.notifications.models import Delivery
from bimtek.notifications.services import send_delivery
from bimtek.participants import registration
from tests.conftest import login
from tests.factories import make_staff, registration_data
from tests.notifications.conftest import settle, wait_for


def _delivery() -> Delivery:
    db.session.expire_all()
    return db.session.scalar(sa.select(Delivery))


def test_server_down_registration_succeeds_failure_shown_then_retry_sends_once(
    app, client, mailbox, smtp_port, event
):
    app.config["MAIL_PORT"] = 1  # nothing listens there: connection refused
    response = client.post(
        f"/api/v1/events/{event.code}/registrations", json=registration_data(email="x@contoh.id")
    )
    assert response.status_code == 201
    assert settle(app)  # the automatic retries, all failed
    delivery = _delivery()
    assert delivery.status == "failed"
    tried = delivery.attempts
    assert tried == 1 + app.config["JOB_RETRIES"]
    assert "ConnectionRefusedError" in delivery.error or "Errno" in delivery.error
    make_staff("manager", "m@bimtek.local", event=event)
    login(client, "m@bimtek.local")
    html = client.get(f"/admin/kegiatan/{event.code}/pengiriman").get_data(as_text=True)
    assert "gagal" in html and delivery.error.split(":")[0] in html

    app.config["MAIL_PORT"] = smtp_port  # the server is back
    response = client.post(f"/admin/kegiatan/{event.code}/pengiriman/ulang")
    assert response.status_code == 302
    assert wait_for(lambda: mailbox.to("x@contoh.id"))
    assert settle(app)
    assert _delivery().status == "sent"
    # running the job again (a duplicate retry) sends nothing more
    enqueue(send_delivery, delivery.id)
    assert settle(app)
    assert len(mailbox.to("x@contoh.id")) == 1
    assert _delivery().attempts == tried + 1


def test_temporary_refusal_is_retried_with_backoff_and_sent_once(app, mailbox, event):

    mailbox.refuse = "451 4.3.0 Coba lagi nanti"
    registration.register(
        event, registration_data(email="t@contoh.id"), registration.RegistrationTerms(channel="api")
    )
    db.session.commit()
    assert wait_for(lambda: _delivery().status == "failed" and _delivery().attempts >= 1)
    assert "451" in _delivery().error
    mailbox.refuse = None  # the server recovers before the next automatic retry
    assert wait_for(lambda: mailbox.to("t@contoh.id"))
    assert settle(app)
    assert len(mailbox.to("t@contoh.id")) == 1
    assert _delivery().status == "sent"


def test_refused_recipient_is_a_bounce_not_retried(app, mailbox, event):

    mailbox.refuse_recipient = "550 5.1.1 Alamat tidak dikenal"
    outcome = registration.register(
        event,
        registration_data(email="no@contoh.id"),
        registration.RegistrationTerms(channel="api"),
    )
    db.session.commit()
    assert outcome.participant.status == "registered"
    assert settle(app)
    delivery = _delivery()
    assert delivery.status == "bounced" and delivery.attempts == 1
    assert "550" in delivery.error


def test_a_job_that_raises_does_not_break_the_request(app, client, mailbox, event, monkeypatch):

    def broken(delivery):
        raise RuntimeError("template rusak")

    monkeypatch.setattr(messages, "build", broken)
    response = client.post(
        f"/api/v1/events/{event.code}/registrations", json=registration_data(email="r@contoh.id")
    )
    assert response.status_code == 201
    assert wait_for(lambda: "template rusak" in _delivery().error)


def test_a_message_stuck_in_sending_can_be_sent_again_by_a_manager(app, client, mailbox, event):

    registration.register(
        event,
        registration_data(email="macet@contoh.id"),
        registration.RegistrationTerms(channel="api"),
    )
    db.session.commit()
    assert wait_for(lambda: mailbox.to("macet@contoh.id"))
    assert settle(app)
    mailbox.messages.clear()
    delivery = _delivery()  # as if the process died while sending it
    delivery.status, delivery.claimed_at = "sending", utcnow() - timedelta(minutes=11)
    db.session.commit()
    make_staff("manager", "m2@bimtek.local", event=event)
    login(client, "m2@bimtek.local")
    html = client.get(f"/admin/kegiatan/{event.code}/pengiriman").get_data(as_text=True)
    assert "Kirim ulang semua yang gagal (1)" in html
    client.post(f"/admin/kegiatan/{event.code}/pengiriman/ulang")
    assert wait_for(lambda: mailbox.to("macet@contoh.id"))
    assert settle(app)
    assert _delivery().status == "sent"

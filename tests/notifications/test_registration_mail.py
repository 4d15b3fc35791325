"""Registration emails through a real SMTP server, with the embedded queue (no QUEUE_URL)."""

import sqlalchemy as sa

from bimtek.extensions import db
from bimtek.notifications.models import Delivery
from bimtek.participants import cancellation, registration
from bimtek.participants.models import Participant
from tests.conftest import login
from tests.factories import make_event, make_staff, registration_data
from tests.notifications.conftest import settle, wait_for


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _ticket_code(nik) -> str:
    return db.session.scalar(sa.select(Participant.ticket_code).where(Participant.nik == nik))


def test_api_registration_mails_ticket_code_and_link(app, client, mailbox, event):
    data = registration_data(email="agus@contoh.id")
    response = client.post(f"/api/v1/events/{event.code}/registrations", json=data)
    assert response.status_code == 201, response.get_json()
    messages = wait_for(lambda: mailbox.to("agus@contoh.id"))
    assert len(messages) == 1
    message = messages[0]
    code = _ticket_code(data["nik"])
    assert code in _text(message) and code in _html(message)
    assert f"http://bimtek.test/tiket/{code}" in _text(message)
    assert f'href="http://bimtek.test/tiket/{code}"' in _html(message)
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [f"tiket-{event.code}-0001.pdf"]
    assert attachments[0].get_content().startswith(b"%PDF-")
    assert message["From"] == "Bimtek Kutim <bimtek@kutim.test>"
    assert settle(app)
    delivery = db.session.scalar(sa.select(Delivery))
    assert (delivery.kind, delivery.status, delivery.attempts) == ("registration", "sent", 1)


def test_form_registration_mails_ticket(app, client, mailbox, event):
    data = registration_data(email="siti@contoh.id")
    data["password_confirm"] = data["password"]
    response = client.post(f"/kegiatan/{event.code}/daftar", data=data)
    assert response.status_code == 302
    messages = wait_for(lambda: mailbox.to("siti@contoh.id"))
    assert len(messages) == 1
    code = _ticket_code(data["nik"])
    assert code in _text(messages[0])
    assert f"http://bimtek.test/tiket/{code}" in _text(messages[0])


def test_no_email_address_no_message(app, client, mailbox, event):
    response = client.post(
        f"/api/v1/events/{event.code}/registrations", json=registration_data(email="")
    )
    assert response.status_code == 201
    assert settle(app)
    assert mailbox.messages == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0


def test_rolled_back_registration_sends_nothing(app, mailbox, event):

    registration.register(
        event,
        registration_data(email="batal@contoh.id"),
        registration.RegistrationTerms(channel="api"),
    )
    db.session.rollback()
    db.session.commit()  # a later commit must not send what was rolled back
    assert settle(app)
    assert mailbox.messages == []


def test_waitlist_place_then_promotion(app, client, mailbox):

    event = make_event("PENUH24", capacity=1)
    first = registration.register(
        event, registration_data(email="a@contoh.id"), registration.RegistrationTerms(channel="api")
    )
    second = registration.register(
        event, registration_data(email="b@contoh.id"), registration.RegistrationTerms(channel="api")
    )
    db.session.commit()
    assert second.participant.status == "waitlisted"
    waiting = wait_for(lambda: mailbox.to("b@contoh.id"))
    assert "daftar tunggu" in waiting[0]["Subject"].lower()
    assert "Urutan Anda: 1." in _text(waiting[0])
    cancellation.cancel(first.participant, actor=None, reason="berhalangan")
    db.session.commit()
    promoted = wait_for(lambda: len(mailbox.to("b@contoh.id")) == 2 and mailbox.to("b@contoh.id"))
    assert promoted, "no promotion message"
    assert second.participant.ticket_code in _text(promoted[1])
    assert "kursi" in promoted[1]["Subject"].lower()


def test_message_in_the_persons_language(app, mailbox, event):

    data = registration_data(email="en@contoh.id")
    outcome = registration.register(event, data, registration.RegistrationTerms(channel="api"))
    outcome.participant.user.locale = "en"
    db.session.commit()
    message = wait_for(lambda: mailbox.to("en@contoh.id"))[0]
    assert message["Subject"].startswith("Your ticket")
    assert "Ticket code" in _text(message)


def test_manager_sees_the_delivery_log_panitia_do_not(app, client, mailbox, event):

    first = registration.register(
        event,
        registration_data(email="log@contoh.id"),
        registration.RegistrationTerms(channel="api"),
    )
    registration.register(
        event,
        registration_data(email="lain@contoh.id"),
        registration.RegistrationTerms(channel="api"),
    )
    db.session.commit()
    assert settle(app)
    make_staff("manager", "manager@bimtek.local", event=event)
    make_staff("panitia", "panitia2@bimtek.local", event=event)
    login(client, "panitia2@bimtek.local")
    assert client.get(f"/admin/kegiatan/{event.code}/pengiriman").status_code == 403
    client.post("/keluar")
    login(client, "manager@bimtek.local")
    html = client.get(f"/admin/kegiatan/{event.code}/pengiriman").get_data(as_text=True)
    assert "log@contoh.id" in html and "lain@contoh.id" in html and "terkirim" in html
    mine = client.get(
        f"/admin/kegiatan/{event.code}/pengiriman?peserta={first.participant.id}"
    ).get_data(as_text=True)
    assert "log@contoh.id" in mine and "lain@contoh.id" not in mine

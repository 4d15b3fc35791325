"""The organizer's changes to who holds a seat: add, cancel with a reason, reactivate; and a
participant cancelling their own registration."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.errors import Forbidden, InvalidInput
from bimtek.extensions import db
from bimtek.participants import cancellation, queries, registration
from bimtek.participants.models import Participant
from tests import factories
from tests.conftest import login
from tests.factories import make_event, make_participant, registration_data


def _audit(action):
    return db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
    ).all()


# --------------------------------------------------------------------------- services


def test_admin_add_over_capacity_needs_a_manager_and_a_reason(app):
    event = make_event(capacity=1)
    manager = factories.make_staff("manager", event=event)
    panitia = factories.make_staff("panitia", event=event)
    make_participant(event)
    waiting = registration.register(
        event, registration_data(), registration.RegistrationTerms(channel="admin", actor=manager)
    )
    assert waiting.participant.status == "waitlisted" and waiting.waitlist_position == 1
    with pytest.raises(Forbidden) as refused:
        registration.register(
            event,
            registration_data(),
            registration.RegistrationTerms(
                channel="admin", actor=panitia, over_capacity_reason="x"
            ),
        )
    assert refused.value.code == "over_capacity_refused"
    seated = registration.register(
        event,
        registration_data(),
        registration.RegistrationTerms(
            channel="admin", actor=manager, over_capacity_reason="  Undangan   Kepala Dinas "
        ),
    )
    db.session.commit()
    assert seated.participant.status == "registered"
    assert queries.count_registered(event.id) == 2  # beyond capacity, on purpose
    entry = _audit("participant.register")[-1]
    assert entry.actor_id == manager.id and entry.channel == "admin"
    assert entry.details["over_capacity_reason"] == "Undangan Kepala Dinas"


def test_reactivate_takes_a_free_seat(app):
    event = make_event(capacity=2)
    manager = factories.make_staff("manager", event=event)
    person = make_participant(event)
    cancellation.cancel(person, actor=manager, reason="salah input")
    cancellation.reactivate(person, actor=manager, reason="ternyata hadir")
    db.session.commit()
    assert person.status == "registered" and person.cancelled_at is None
    entry = _audit("participant.reactivate")[-1]
    assert entry.details["status"] == "registered" and entry.details["reason"] == "ternyata hadir"
    assert entry.details["previous"]["cancel_reason"] == "salah input"


def test_reactivate_when_full_goes_to_the_end_of_the_waitlist(app):
    event = make_event(capacity=1)
    manager = factories.make_staff("manager", event=event)
    first = make_participant(event)
    second = make_participant(event)  # waitlisted 1
    cancellation.cancel(first, actor=manager)  # second gets the seat
    third = make_participant(event)  # waitlisted 1
    fourth = make_participant(event)  # waitlisted 2
    cancellation.reactivate(first, actor=manager)
    db.session.commit()
    assert second.status == "registered"
    assert first.status == "waitlisted"
    # the lowest registration number, yet the end of the queue
    assert queries.waitlist_position(first) == 3
    assert queries.waitlist_position(third) == 1 and queries.waitlist_position(fourth) == 2
    cancellation.cancel(second, actor=manager)
    db.session.commit()
    assert third.status == "registered" and first.status == "waitlisted"


def test_reactivate_refuses_what_is_not_cancelled(app, event):
    person = make_participant(event)
    with pytest.raises(cancellation.NotCancelled):
        cancellation.reactivate(person, actor=None)


def test_cancel_by_an_organizer_needs_a_reason(app, event):
    person = make_participant(event)
    with pytest.raises(InvalidInput) as caught:
        cancellation.cancel(person, actor=None, reason="   ", reason_required=True)
    assert "reason" in caught.value.fields
    db.session.rollback()
    assert db.session.get(Participant, person.id).status == "registered"


def test_participant_cancels_own_and_the_waitlist_moves(app):
    event = make_event(capacity=1)
    person = make_participant(event)
    waiting = make_participant(event)
    cancellation.cancel_own(person, actor=person.user, reason="")
    db.session.commit()
    assert person.status == "cancelled" and waiting.status == "registered"
    assert _audit("participant.cancel")[-1].channel == "portal"
    other = make_participant(event)
    with pytest.raises(Forbidden):
        cancellation.cancel_own(other, actor=person.user)


def test_participant_cannot_cancel_after_the_event(app):
    event = make_event(start=date.today() - timedelta(days=10))
    person = make_participant(event)
    assert not cancellation.may_cancel_own(person)
    with pytest.raises(cancellation.EventOver):
        cancellation.cancel_own(person, actor=person.user)


def test_cancelled_message_does_not_send_people_to_the_panitia(app, event):
    person = make_participant(event)
    cancellation.cancel(person, actor=None)
    db.session.commit()
    with pytest.raises(registration.DuplicateNik) as caught:
        registration.register(
            event,
            registration_data(nik=person.nik),
            registration.RegistrationTerms(channel="admin"),
        )
    assert "panitia" not in caught.value.message
    assert "Pengelola kegiatan" in caught.value.message


# ------------------------------------------------------------------------------- views


def test_manager_adds_a_participant(manager_client, event):
    page = manager_client.get(f"/admin/kegiatan/{event.code}/peserta/baru")
    assert page.status_code == 200 and "Tambah peserta" in page.get_data(as_text=True)
    data = registration_data(full_name="Walk In Admin")
    data.pop("password")
    bad = manager_client.post(
        f"/admin/kegiatan/{event.code}/peserta/baru", data={**data, "nik": "1"}
    )
    assert bad.status_code == 422
    response = manager_client.post(f"/admin/kegiatan/{event.code}/peserta/baru", data=data)
    assert response.status_code == 302
    person = db.session.scalar(
        sa.select(Participant).where(Participant.full_name == "Walk In Admin")
    )
    assert person.status == "registered" and person.user.password_hash is None
    again = manager_client.post(f"/admin/kegiatan/{event.code}/peserta/baru", data=data)
    assert again.status_code == 422 and "sudah terdaftar" in again.get_data(as_text=True)
    listing = manager_client.get(f"/admin/kegiatan/{event.code}/peserta").get_data(as_text=True)
    assert f"/admin/kegiatan/{event.code}/peserta/baru" in listing


def test_panitia_has_no_add_button(panitia_client, event):
    listing = panitia_client.get(f"/admin/kegiatan/{event.code}/peserta").get_data(as_text=True)
    assert "/peserta/baru" not in listing
    assert panitia_client.get(f"/admin/kegiatan/{event.code}/peserta/baru").status_code == 403


def test_cancel_asks_for_confirmation_and_a_reason(manager_client, event):
    person = make_participant(event)
    url = f"/admin/kegiatan/{event.code}/peserta/{person.id}/batal"
    edit = manager_client.get(f"/admin/kegiatan/{event.code}/peserta/{person.id}")
    assert url in edit.get_data(as_text=True)
    confirm = manager_client.get(url)
    assert confirm.status_code == 200 and "Ya, batalkan pendaftaran" in confirm.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "registered"  # GET changes nothing
    empty = manager_client.post(url, data={"reason": " "})
    assert empty.status_code == 422
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "registered"
    done = manager_client.post(url, data={"reason": "Mengundurkan diri"})
    assert done.status_code == 302
    db.session.expire_all()
    person = db.session.get(Participant, person.id)
    assert person.status == "cancelled" and person.cancel_reason == "Mengundurkan diri"
    edit = manager_client.get(f"/admin/kegiatan/{event.code}/peserta/{person.id}")
    assert "Aktifkan kembali" in edit.get_data(as_text=True)
    back = manager_client.post(
        f"/admin/kegiatan/{event.code}/peserta/{person.id}/aktifkan", data={"reason": "keliru"}
    )
    assert back.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "registered"
    twice = manager_client.post(
        f"/admin/kegiatan/{event.code}/peserta/{person.id}/aktifkan", follow_redirects=True
    )
    assert "tidak dibatalkan" in twice.get_data(as_text=True)


def test_participant_cancels_from_the_portal(client, app):
    event = make_event(capacity=1)
    person = make_participant(event)
    waiting = make_participant(event)
    other = make_participant(make_event("LAIN24"))
    login(client, person.nik)
    portal = client.get("/portal").get_data(as_text=True)
    url = f"/portal/{person.id}/batal"
    assert url in portal
    page = client.get(url)
    assert page.status_code == 200 and "Batalkan pendaftaran Anda?" in page.get_data(as_text=True)
    assert client.get(f"/portal/{other.id}/batal").status_code == 404
    assert client.post(f"/portal/{other.id}/batal", data={"reason": "x"}).status_code == 404
    assert client.post(url, data={"reason": "Sakit"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "cancelled"
    assert db.session.get(Participant, waiting.id).status == "registered"
    assert db.session.get(Participant, other.id).status == "registered"

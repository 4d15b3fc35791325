"""Registration rules: capacity, waitlist, window, duplicates, cancellation."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.auth.models import User
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.participants import cancellation, editing, queries, registration
from bimtek.participants.models import Participant
from bimtek.participants.registration import change_event
from tests.factories import make_event, registration_data


def register(event, **overrides):
    outcome = registration.register(event, registration_data(**overrides))
    db.session.commit()
    return outcome


def test_register_gives_a_seat_a_ticket_and_an_account(event):
    outcome = register(
        event, full_name="  Dr. H. M. Agus Hari Kesuma, M.Si ", phone="0812 3456 7890"
    )
    person = outcome.participant
    assert person.status == "registered"
    assert person.full_name == "Dr. H. M. Agus Hari Kesuma, M.Si"
    assert person.phone == "+6281234567890"
    assert person.registration_number == 1
    assert person.registration_label == "UJI24-0001"
    assert len(person.ticket_code) == 16 and person.ticket_code.isalnum()
    assert person.user.role == "participant" and person.user.check_password("rahasia-123")
    assert outcome.waitlist_position is None
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "participant.register"))
    assert entry.target_id == person.id and entry.channel == "public"


def test_ticket_codes_differ(event):
    codes = {register(event).participant.ticket_code for _ in range(20)}
    assert len(codes) == 20


def test_full_event_waitlists_in_order_and_cancel_promotes(app):
    event = make_event(capacity=2)
    first, second = register(event).participant, register(event).participant
    third, fourth = register(event), register(event)
    assert third.participant.status == "waitlisted" and third.waitlist_position == 1
    assert fourth.waitlist_position == 2
    promoted = cancellation.cancel(first, actor=None, reason="sakit")
    db.session.commit()
    assert promoted.id == third.participant.id
    assert promoted.status == "registered" and promoted.promoted_at is not None
    assert queries.waitlist_position(fourth.participant) == 1
    assert queries.status_counts(event.id) == {"registered": 2, "waitlisted": 1, "cancelled": 1}
    assert cancellation.cancel(first, actor=None) is None  # twice is harmless
    assert second.status == "registered"


def test_cancelling_a_waitlisted_person_promotes_nobody(app):
    event = make_event(capacity=1)
    register(event)
    waiting = register(event).participant
    assert cancellation.cancel(waiting, actor=None) is None
    assert queries.status_counts(event.id)["registered"] == 1


def test_raising_capacity_fills_from_waitlist(app):
    event = make_event(capacity=1)
    register(event)
    waiting = register(event).participant
    data = {c.key: getattr(event, c.key) for c in event.__table__.columns}
    change_event(event, {**data, "capacity": 2})
    db.session.commit()
    db.session.refresh(waiting)
    assert waiting.status == "registered"


def test_capacity_cannot_drop_below_registered(app):
    event = make_event(capacity=3)
    register(event)
    register(event)
    data = {c.key: getattr(event, c.key) for c in event.__table__.columns}
    with pytest.raises(InvalidInput) as error:
        change_event(event, {**data, "capacity": 1})
    assert "capacity" in error.value.fields


def test_duplicate_nik_is_refused(event):
    data = registration_data()
    registration.register(event, data)
    db.session.commit()
    with pytest.raises(registration.DuplicateNik) as error:
        registration.register(
            event,
            {**data, "full_name": "Orang Lain"},
            registration.RegistrationTerms(channel="cli"),
        )
    assert error.value.code == "duplicate_nik" and error.value.status == 409
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 1


def test_same_person_in_two_events_shares_one_account(app):
    first, second = make_event("A24"), make_event("B24")
    data = registration_data()
    one = registration.register(first, data)
    with pytest.raises(registration.AccountExists):  # the public may not use an existing account
        registration.register(second, {**data, "password": "lain-lagi-99"})
    own = one.participant.user  # logged in as it, the owner registers for a second event
    two = registration.register(
        second, {**data, "password": "lain-lagi-99"}, registration.RegistrationTerms(account=own)
    )
    db.session.commit()
    assert one.participant.user_id == two.participant.user_id
    assert two.existing_account
    assert one.participant.user.check_password(data["password"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_registration_window(app):
    now = utcnow()
    event = make_event(registration_opens_at=now + timedelta(days=1))
    with pytest.raises(registration.RegistrationClosed, match="belum dibuka"):
        registration.register(event, registration_data(), registration.RegistrationTerms(now=now))
    closed = make_event(
        "C24",
        registration_opens_at=now - timedelta(days=2),
        registration_closes_at=now - timedelta(days=1),
    )
    with pytest.raises(registration.RegistrationClosed, match="ditutup") as error:
        registration.register(closed, registration_data(), registration.RegistrationTerms(now=now))
    assert error.value.code == "registration_closed" and error.value.status == 403


def test_invalid_registration_writes_nothing(event):
    with pytest.raises(InvalidInput) as error:
        registration.register(event, registration_data(nik="123", phone="021"))
    assert set(error.value.fields) == {"nik", "phone"}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0
    assert db.session.get(type(event), event.id).registration_seq == 0


def test_participant_search(event):
    register(
        event,
        full_name="Siti Aminah",
        institution="Bawaslu Kutim",
        institution_category="bawaslu",
        gender="P",
    )
    bob = register(event, full_name="Budi Santoso").participant
    query = queries.participant_query(event.id, search="siti")
    assert [p.full_name for p in db.session.scalars(query)] == ["Siti Aminah"]
    assert db.session.scalars(queries.participant_query(event.id, search=bob.nik)).one() == bob
    assert db.session.scalars(queries.participant_query(event.id, search="UJI24-0002")).one() == bob
    assert [
        p.full_name
        for p in db.session.scalars(queries.participant_query(event.id, category="bawaslu"))
    ] == ["Siti Aminah"]


def test_admin_edit_checks_like_registration(event, admin):
    person = register(event).participant
    other = register(event).participant
    data = {
        c: getattr(person, c)
        for c in (
            "full_name",
            "nik",
            "nip",
            "gender",
            "institution",
            "institution_category",
            "job_title",
            "phone",
            "email",
            "district",
        )
    }
    with pytest.raises(registration.DuplicateNik):
        editing.update_participant(person, {**data, "nik": other.nik}, actor=admin)
    editing.update_participant(person, {**data, "full_name": "Hj. Nama Baru, S.H."}, actor=admin)
    db.session.commit()
    assert person.full_name == "Hj. Nama Baru, S.H."

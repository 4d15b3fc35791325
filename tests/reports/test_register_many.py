"""participants.registration.register_many: the batch path imports use, same rules as register."""

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.participants import queries, registration
from bimtek.participants.models import Participant
from tests.factories import make_event, make_participant, registration_data


def test_seats_then_waitlist_numbers_and_audit(app):
    event = make_event("BATCH", capacity=3)
    make_participant(event)
    waiting_already = None
    rows = [registration_data(full_name=f"B{n}", password="") for n in range(4)]
    outcomes = registration.register_many(event, rows, channel="import")
    db.session.commit()
    assert [o.participant.status for o in outcomes] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    assert [o.participant.registration_number for o in outcomes] == [2, 3, 4, 5]
    assert [o.waitlist_position for o in outcomes] == [None, None, 1, 2]
    assert [queries.waitlist_position(o.participant) for o in outcomes[2:]] == [1, 2]
    assert waiting_already is None
    # the next self-registration continues the numbering and queues behind them
    later = registration.register(event, registration_data())
    assert later.participant.registration_number == 6 and later.waitlist_position == 3
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(AuditLog.action == "participant.register", AuditLog.channel == "import")
    )
    assert count == 4


def test_duplicates_refused_before_anything_is_written(event):
    existing = make_participant(event)
    with pytest.raises(registration.DuplicateNik, match=existing.nik):
        registration.register_many(
            event, [registration_data(), registration_data(nik=existing.nik)]
        )
    db.session.rollback()
    twice = registration_data()
    with pytest.raises(registration.DuplicateNik, match="lebih dari sekali"):
        registration.register_many(event, [twice, dict(twice)])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 1


def test_invalid_row_is_named(event):
    with pytest.raises(InvalidInput) as caught:
        registration.register_many(event, [registration_data(), registration_data(phone="x")])
    assert caught.value.message.startswith("Data ke-2")
    assert "phone" in caught.value.fields


def test_empty_batch(event):
    assert registration.register_many(event, []) == []

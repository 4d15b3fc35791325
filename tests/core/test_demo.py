"""``flask seed-demo``: both batches of the Kutai Timur Bimtek and their staff logins."""

import re
from datetime import date

import sqlalchemy as sa
from flask import g

from bimtek.auth import services
from bimtek.auth.models import User
from bimtek.demo import SECOND_CODE, second_batch_dates
from bimtek.events.access import event_right
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant

STAFF = {
    "manager.kutim24@bimtek.local": ("KUTIM24", "manager"),
    "panitia.kutim24@bimtek.local": ("KUTIM24", "panitia"),
    "manager.kutim24b@bimtek.local": ("KUTIM24B", "manager"),
    "panitia.kutim24b@bimtek.local": ("KUTIM24B", "panitia"),
}


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"(\S+@bimtek\.local)\s+password: (\S+)", output))


def test_seed_demo_loads_both_batches_and_their_staff_once(runner, app):
    first = runner.invoke(args=["seed-demo", "--participants", "12"])
    assert first.exit_code == 0, first.output
    passwords = printed_passwords(first.output)
    assert set(passwords) == set(STAFF) | {"admin@bimtek.local"}
    for email, password in passwords.items():
        user = services.authenticate(email, password)
        assert user is not None and user.must_change_password, email
    events = {e.code: e for e in db.session.scalars(sa.select(Event))}
    assert set(events) == {"KUTIM24", SECOND_CODE}
    for email, (code, right) in STAFF.items():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        g.pop("_event_rights", None)
        assert user.role == "staff" and event_right(user, events[code]) == right
        other = events[SECOND_CODE if code == "KUTIM24" else "KUTIM24"]
        assert event_right(user, other) is None

    angkatan_1, angkatan_2 = events["KUTIM24"], events[SECOND_CODE]
    assert angkatan_1.start_date == date(2024, 10, 28) and "Harris" in angkatan_1.venue
    assert angkatan_1.total_jp == 32 and len(angkatan_1.sessions) == 18
    assert angkatan_2.start_date > date.today() and angkatan_2.city == "Sangatta"
    assert angkatan_2.published and angkatan_2.registration_state() == "open"
    assert angkatan_2.total_jp == 24 and len(angkatan_2.sessions) == 14
    assert all(s.event_id == angkatan_2.id for s in angkatan_2.sessions)

    second = runner.invoke(args=["seed-demo", "--participants", "12"])
    assert second.exit_code == 0, second.output
    assert "password:" not in second.output and printed_passwords(second.output) == {}
    assert "already present" in second.output and "reset-password EMAIL" in second.output
    for email in STAFF:
        assert email in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 12
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.role.in_(("admin", "staff")))
        )
        == 5
    )
    for email, password in passwords.items():  # a second run changes no password
        assert services.authenticate(email, password) is not None


def test_angkatan_ii_opens_on_a_wednesday_weeks_ahead():
    for today in (date(2026, 12, 1), date(2025, 1, 5), date(2024, 10, 16)):
        start, end = second_batch_dates(today)
        assert start.weekday() == 2 and 21 <= (start - today).days < 28
        assert (end - start).days == 2

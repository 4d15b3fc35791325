"""An event of two days with people present on some of them."""

from datetime import time, timedelta

import pytest

from bimtek.attendance.models import Attendance
from bimtek.events import services as event_services
from bimtek.extensions import db
from tests import factories


def add_day(event, offset: int):
    """A session on the event's day ``offset`` (0 is the first)."""
    event_services.save_session(
        event,
        {
            "module_id": event.modules[0].id,
            "day": event.start_date + timedelta(days=offset),
            "start_time": time(8, 0),
            "end_time": time(10, 0),
            "room": "Ballroom",
        },
        channel="cli",
    )
    db.session.commit()


def present(person, session, status="hadir"):
    db.session.add(
        Attendance(
            session_id=session.id,
            participant_id=person.id,
            status=status,
            checked_in_at=session.starts_at,
        )
    )
    db.session.commit()


@pytest.fixture
def two_days(event):
    """``event`` with a second day; Andi (KPU, from Sangatta Utara) present both days, Budi
    (Polri, from Balikpapan) only the second, Citra izin on day one, Dedi cancelled."""
    add_day(event, 1)
    sessions = sorted(event.sessions, key=lambda s: s.starts_at)
    day1, day2 = sessions[0], sessions[-1]
    andi = factories.make_participant(
        event, full_name="Andi", institution_category="kpu", district="Sangatta Utara"
    )
    budi = factories.make_participant(
        event, full_name="Budi", institution_category="polri", district="Balikpapan"
    )
    citra = factories.make_participant(event, full_name="Citra", institution_category="kpu")
    present(andi, day1)
    present(andi, sessions[1])  # a second session of day one pays nothing more
    present(andi, day2, "terlambat")
    present(budi, day2)
    present(citra, day1, "izin")
    return {"andi": andi, "budi": budi, "citra": citra, "day1": day1, "day2": day2}

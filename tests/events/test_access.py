"""Rights per event: the one loader decides, admins have every event."""

import io

import pytest

from bimtek.assessments.attempts import start_attempt
from bimtek.assessments.models import Attempt
from bimtek.assessments.settings import ensure_assessment
from bimtek.attendance.checkin import check_in
from bimtek.attendance.models import Attendance
from bimtek.errors import Forbidden, NotFound
from bimtek.events.access import (
    event_right,
    events_for,
    load_event,
    load_in_event,
    load_row,
    may,
)
from bimtek.events.models import Material, Session
from bimtek.events.services import add_material
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import ensure_bank
from tests.conftest import login


def test_rights_are_per_event(app):
    kutim = factories.make_event("KUTIM1")
    other = factories.make_event("BERAU1")
    manager = factories.make_staff("manager", event=kutim)
    panitia = factories.make_staff("panitia", event=kutim)
    admin = factories.make_staff("admin")

    assert event_right(manager, kutim) == "manager" and event_right(manager, other) is None
    assert may(panitia, kutim, "panitia") and not may(panitia, kutim, "manager")
    assert may(admin, other, "manager")

    assert load_event("kutim1", manager, "manager") == kutim
    assert load_event("KUTIM1", panitia, "panitia") == kutim
    with pytest.raises(Forbidden):
        load_event("KUTIM1", panitia, "manager")
    with pytest.raises(NotFound) as unknown:
        load_event("BERAU1", manager, "panitia")
    with pytest.raises(NotFound) as missing:
        load_event("NOPE", manager, "panitia")
    assert unknown.value.code == missing.value.code == "unknown_event"

    assert [e.code for e in events_for(manager)] == ["KUTIM1"]
    assert {e.code for e in events_for(admin)} == {"KUTIM1", "BERAU1"}


def test_participants_and_inactive_staff_have_no_rights(app):
    event = factories.make_event()
    panitia = factories.make_staff("panitia", event=event)
    participant = factories.make_participant(event).user
    assert event_right(participant, event) is None
    panitia.active = False
    assert event_right(panitia, event) is None


def test_rows_are_loaded_only_inside_their_event(app):
    kutim = factories.make_event("KUTIM1")
    other = factories.make_event("BERAU1")
    session = other.sessions[0]
    assert load_in_event(Session, kutim.sessions[0].id, kutim) == kutim.sessions[0]
    for junk in (session.id, "x", 10**20, None):
        with pytest.raises(NotFound):
            load_in_event(Session, junk, kutim)


def test_rows_reach_their_event_through_their_parent(app):
    """Material → module, Attendance → session, Attempt → assessment: one loader for all."""

    kutim = factories.make_event("KUTIM1")
    other = factories.make_event("BERAU1")
    person = factories.make_participant(kutim)
    material = add_material(
        kutim.modules[0],
        stream=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        filename="modul.pdf",
        title="Modul",
        max_bytes=10_000,
    )
    check_in(kutim.sessions[0], person, actor=None)
    ensure_bank(kutim, 1)
    attempt = start_attempt(ensure_assessment(kutim, "pre"), person)
    db.session.commit()
    attendance = db.session.scalar(db.select(Attendance))
    for model, row in ((Material, material), (Attendance, attendance), (Attempt, attempt)):
        assert load_in_event(model, row.id, kutim) == row
        with pytest.raises(NotFound) as refused:
            load_in_event(model, row.id, other)
        assert refused.value.code == f"unknown_{model.__name__.lower()}"


def test_rows_by_id_alone_answer_404_to_staff_of_other_events(app):
    kutim = factories.make_event("KUTIM1")
    other = factories.make_event("BERAU1")
    panitia = factories.make_staff("panitia", event=kutim)
    manager = factories.make_staff("manager", event=other)
    session = kutim.sessions[0]
    assert load_row(Session, session.id, panitia, "panitia") == session
    with pytest.raises(Forbidden):
        load_row(Session, session.id, panitia, "manager")
    with pytest.raises(NotFound) as theirs:
        load_row(Session, session.id, manager, "panitia")
    with pytest.raises(NotFound) as unknown:
        load_row(Session, 10**6, manager, "panitia")
    assert theirs.value.code == unknown.value.code == "unknown_session"


def test_staff_list_shows_only_their_events(client, app):
    kutim = factories.make_event("KUTIM1")
    factories.make_event("BERAU1")
    manager = factories.make_staff("manager", event=kutim)
    login(client, manager.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "KUTIM1" in page and "BERAU1" not in page
    assert client.get("/admin/kegiatan/baru").status_code == 403  # events: administrators

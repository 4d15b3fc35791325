"""Rights per event: the one loader decides, admins have every event."""

import pytest

from bimtek.errors import Forbidden, NotFound
from bimtek.events.access import event_right, events_for, load_event, load_in_event, may
from bimtek.events.models import Session
from tests import factories


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

"""An unpublished event is a 404 on every public page of it; staff pages keep working, and a
participant's own ticket stays reachable (they were told to keep it)."""

import io

import sqlalchemy as sa

from bimtek.events import services
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests.conftest import login
from tests.factories import PASSWORD, make_participant, registration_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _unpublish(event) -> None:
    event.published = False
    db.session.commit()


def _participants() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant))


def test_get_public_event_refuses_an_unpublished_event(event):
    assert services.get_public_event("uji24").id == event.id
    _unpublish(event)
    try:
        services.get_public_event(event.code)
    except services.NotFound as error:
        assert error.code == "unknown_event"
    else:
        raise AssertionError("an unpublished event was handed to a public page")


def test_public_pages_of_an_unpublished_event_are_404(client, event):
    _unpublish(event)
    assert client.get(f"/kegiatan/{event.code}").status_code == 404
    assert client.get(f"/kegiatan/{event.code}/daftar").status_code == 404
    form = registration_data(password_confirm=PASSWORD)
    assert client.post(f"/kegiatan/{event.code}/daftar", data=form).status_code == 404
    api = client.post(f"/api/v1/events/{event.code}/registrations", json=registration_data())
    assert api.status_code == 404 and api.json["error"]["code"] == "unknown_event"
    assert client.get(f"/api/v1/events/{event.code}").status_code == 404
    assert _participants() == 0


def test_the_same_pages_answer_when_published(client, event):
    assert client.get(f"/kegiatan/{event.code}").status_code == 200
    assert client.get(f"/kegiatan/{event.code}/daftar").status_code == 200


def test_a_ticket_holder_keeps_their_ticket(client, event):
    participant = make_participant(event)
    _unpublish(event)
    assert client.get(f"/tiket/{participant.ticket_code}").status_code == 200
    assert client.get(f"/tiket/{participant.ticket_code}.pdf").status_code == 200


def test_staff_pages_of_an_unpublished_event_keep_working(admin_client, event):
    _unpublish(event)
    assert admin_client.get(f"/admin/kegiatan/{event.code}/peserta").status_code == 200
    assert admin_client.get(f"/admin/kegiatan/{event.code}/ubah").status_code == 200
    # staff may preview the public page of a draft
    assert admin_client.get(f"/kegiatan/{event.code}").status_code == 200


def test_materials_of_an_unpublished_event_are_404_for_participants(client, event, app):
    material = services.add_material(
        event.modules[0],
        stream=io.BytesIO(PDF),
        filename="m.pdf",
        title="",
        max_bytes=1024 * 1024,
    )
    db.session.commit()
    participant = make_participant(event)
    login(client, participant.nik)
    url = f"/bahan/{material.id}/m.pdf"
    with client.get(url) as download:
        assert download.status_code == 200
    db.session.execute(sa.update(Event).values(published=False))
    db.session.commit()
    assert client.get(url).status_code == 404

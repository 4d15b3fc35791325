"""Consent to the processing of personal data (UU 27/2022) and what the portal shows."""

import sqlalchemy as sa

from bimtek.core.phones import phone_display
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.registration import register_many
from tests.conftest import login
from tests.factories import registration_data
from tests.participants.conftest import form_data


def test_form_shows_the_notice_and_requires_consent(client, event):
    html = client.get(f"/kegiatan/{event.code}/daftar").get_data(as_text=True)
    assert 'name="consent"' in html and event.organizer in html
    assert "12 bulan" in html  # how long the data is kept: the event's retention
    data = form_data()
    data.pop("consent")
    response = client.post(f"/kegiatan/{event.code}/daftar", data=data)
    assert response.status_code == 422
    assert "Persetujuan pemrosesan data pribadi wajib" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0


def test_consent_time_is_stored(client, event):
    client.post(f"/kegiatan/{event.code}/daftar", data=form_data())
    person = db.session.scalar(sa.select(Participant))
    assert person.consented_at is not None


def test_api_requires_consent_true(client, event):
    url = f"/api/v1/events/{event.code}/registrations"
    for consent in (None, False, "true", 1):
        payload = registration_data()
        payload.pop("consent")
        if consent is not None:
            payload["consent"] = consent
        response = client.post(url, json=payload)
        assert response.status_code == 422, consent
        assert "consent" in response.get_json()["error"]["fields"]
    assert client.post(url, json=registration_data(consent=True)).status_code == 201
    assert db.session.scalar(sa.select(Participant)).consented_at is not None


def test_openapi_documents_consent(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    ref = spec["paths"]["/events/{code}/registrations"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "consent" in schema["required"]
    assert schema["properties"]["consent"]["enum"] == [True]


def test_portal_shows_the_data_held_to_its_owner_only(client, event):
    client.post(
        f"/kegiatan/{event.code}/daftar",
        data=form_data(nip="199001172015031001", email="andi@example.id"),
    )
    person = db.session.scalar(sa.select(Participant))
    response = client.get("/portal")
    html = response.get_data(as_text=True)
    shown_phone = phone_display(person.phone)  # as people read it: 0812-0000-0008
    for value in (person.nik, "199001172015031001", shown_phone, "andi@example.id"):
        assert value in html
    assert person.institution in html and person.district in html
    assert "Data pribadi" in html and "no-store" in response.headers["Cache-Control"]
    other = client.application.test_client()
    assert other.get("/portal").status_code == 302


def test_imported_participant_sees_consent_not_given_online(client, app, event):
    person = register_many(event, [registration_data()], channel="import")[0].participant
    person.user.set_password("Lembayung77")
    db.session.commit()
    login(client, person.nik, "Lembayung77")
    assert "didaftarkan oleh penyelenggara" in client.get("/portal").get_data(as_text=True)

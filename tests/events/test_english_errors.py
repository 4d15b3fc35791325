"""The English UI shows the services' errors in English (they were Indonesian literals)."""

from bimtek.extensions import db
from tests.events.test_admin import EVENT_FORM
from tests.factories import make_participant


def test_event_form_errors_in_english(admin_client):
    admin_client.post("/bahasa/en", data={"next": "/"})
    bad = {**EVENT_FORM, "code": "x", "end_date": "2025-11-01"}
    html = admin_client.post("/admin/kegiatan/baru", data=bad).get_data(as_text=True)
    assert "Check the event&#39;s details." in html or "Check the event's details." in html
    assert "Code of 2–20 characters" in html
    assert "The end date cannot be before the start date." in html
    assert "Periksa kembali isian kegiatan." not in html


def test_capacity_below_registered_in_english(admin_client, event):
    for _n in range(3):
        make_participant(event)
    db.session.commit()
    admin_client.post("/bahasa/en", data={"next": "/"})
    form = {
        **EVENT_FORM,
        "code": event.code,
        "capacity": "2",
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
    }
    response = admin_client.post(f"/admin/kegiatan/{event.code}/ubah", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "cannot be smaller than the number of registered participants (3)" in html
    assert "At least 3." in html


def test_api_errors_follow_accept_language(client, auth_headers, event):
    url = "/api/v1/sessions/999999/checkins"
    english = client.post(
        url, json={"code": "NOPE"}, headers={**auth_headers, "Accept-Language": "en-US,en;q=0.8"}
    )
    assert english.status_code == 404
    assert english.get_json()["error"]["message"] == "Not found in this event."
    indonesian = client.post(url, json={"code": "NOPE"}, headers=auth_headers)
    assert indonesian.get_json()["error"]["message"] == "Data tidak ditemukan pada kegiatan ini."

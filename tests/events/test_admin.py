"""Event, module and session administration."""

import sqlalchemy as sa

from bimtek.events.models import Event, Module, Session
from bimtek.extensions import db

EVENT_FORM = {
    "code": "kutim25",
    "title": "Bimtek Uji Coba",
    "organizer": "Pemkab Kutai Timur",
    "provider": "Smart Academy",
    "venue": "Kantor Bupati",
    "city": "Sangatta",
    "start_date": "2025-11-03",
    "end_date": "2025-11-06",
    "capacity": "120",
    "minutes_per_jp": "45",
    "late_grace_minutes": "15",
    "timezone": "Asia/Makassar",
    "registration_opens_at": "2025-10-01T08:00",
    "registration_closes_at": "",
    "published": "1",
}


def test_create_event_module_session(admin_client):
    response = admin_client.post("/admin/kegiatan/baru", data=EVENT_FORM)
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert event.code == "KUTIM25"
    assert event.registration_opens_at.isoformat() == "2025-10-01T00:00:00+00:00"  # 08:00 WITA
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/materi/baru",
        data={
            "code": "m1",
            "title": "Mitigasi Konflik",
            "jp": "4",
            "speakers": "Kesbangpol\n\nPolres ",
        },
    )
    assert response.status_code == 302
    module = db.session.scalar(sa.select(Module))
    assert module.code == "M1" and module.speaker_list == ["Kesbangpol", "Polres"]
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/sesi/baru",
        data={
            "module_id": str(module.id),
            "title": "",
            "day": "2025-11-03",
            "start_time": "08:00",
            "end_time": "09:30",
            "room": "Aula",
            "mandatory": "1",
        },
    )
    assert response.status_code == 302
    session = db.session.scalar(sa.select(Session))
    assert session.title == "Mitigasi Konflik"
    assert session.local_start.strftime("%H:%M") == "08:00"
    assert session.starts_at.hour == 0
    page = admin_client.get(f"/admin/kegiatan/{event.code}/materi").get_data(as_text=True)
    assert "Mitigasi Konflik" in page and "08.00–09.30" in page


def test_event_form_errors(admin_client):
    bad = {
        **EVENT_FORM,
        "code": "x",
        "capacity": "-3",
        "end_date": "2025-11-01",
        "start_date": "2025-11-03",
        "registration_opens_at": "kemarin",
    }
    response = admin_client.post("/admin/kegiatan/baru", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kode 2–20 karakter" in html
    assert "Kapasitas harus antara 1" in html
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in html
    assert "isi tanggal dan jam yang valid" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_unchecked_published_box_unpublishes(admin_client, event):
    data = {**EVENT_FORM, "code": event.code, "published": "0"}
    assert admin_client.post(f"/admin/kegiatan/{event.code}/ubah", data=data).status_code == 302
    db.session.refresh(event)
    assert event.published is False


def test_session_outside_event_dates_and_reversed_times(admin_client, event):
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/sesi/baru",
        data={"title": "Sesi", "day": "2001-01-01", "start_time": "10:00", "end_time": "09:00"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Jam selesai harus setelah jam mulai." in html
    assert "Tanggal sesi harus di antara" in html


def test_duplicate_module_code(admin_client, event):
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/materi/baru", data={"code": "M1", "title": "Lagi", "jp": "2"}
    )
    assert response.status_code == 422
    assert "Kode materi sudah dipakai" in response.get_data(as_text=True)


def test_delete_session_and_module(admin_client, event):
    session_id, module_id = event.sessions[0].id, event.modules[0].id
    base = f"/admin/kegiatan/{event.code}"
    assert admin_client.post(f"{base}/sesi/{session_id}/hapus").status_code == 302
    assert admin_client.post(f"{base}/materi/{module_id}/hapus").status_code == 302
    db.session.expire_all()
    assert db.session.get(Module, module_id) is None
    assert db.session.get(Session, session_id) is None


def test_panitia_cannot_create_events(panitia_client):
    assert panitia_client.get("/admin/kegiatan/baru").status_code == 403


def test_public_pages(client, event):
    html = client.get("/").get_data(as_text=True)
    assert event.title in html
    detail = client.get(f"/kegiatan/{event.code}").get_data(as_text=True)
    assert "Mitigasi Konflik" in detail and "Daftar sekarang" in detail
    assert client.get("/kegiatan/NOPE").status_code == 404


def test_place_names_the_city_once(event):
    event.venue, event.city = "Hotel Harris Samarinda", "Samarinda"
    assert event.place == "Hotel Harris Samarinda"
    event.venue = "Kantor Bupati Kutai Timur"
    assert event.place == "Kantor Bupati Kutai Timur, Samarinda"
    event.venue = ""
    assert event.place == "Samarinda"

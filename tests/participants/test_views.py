"""Registration, ticket and portal pages, and the admin participant pages, over HTTP."""

from datetime import timedelta

import sqlalchemy as sa

from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests.conftest import login
from tests.factories import PASSWORD, make_event, make_participant, registration_data
from tests.pdftext import pdf_pages


def form_data(**overrides):
    data = registration_data(**overrides)
    data.setdefault("password_confirm", data["password"])
    return data


def test_form_shows_the_design_labels(client, event):
    html = client.get(f"/kegiatan/{event.code}/daftar").get_data(as_text=True)
    for label in (
        "Nama lengkap",
        "NIK",
        "NIP",
        "Jenis kelamin",
        "Instansi",
        "Kategori instansi",
        "Jabatan",
        "Nomor HP",
        "Email",
        "Kecamatan asal",
    ):
        assert f">{label}" in html
    assert "400</strong>" not in html or "kursi tersisa" in html


def test_register_then_ticket_then_portal(client, event):
    response = client.post(
        f"/kegiatan/{event.code}/daftar", data=form_data(full_name="Andi Daeng Ma'ruf, S.IP")
    )
    assert response.status_code == 302
    person = db.session.scalar(sa.select(Participant))
    assert response.headers["Location"] == f"/tiket/{person.ticket_code}"
    ticket = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Andi Daeng Ma&#39;ruf, S.IP" in ticket
    assert person.ticket_code in ticket and "<svg" in ticket
    assert "UJI24-0001" in ticket
    assert person.nik not in ticket  # the ticket page shows nothing private
    portal = client.get("/portal").get_data(as_text=True)  # logged in by registering
    assert "UJI24-0001" in portal and event.title in portal


def test_ticket_pdf(client, event):
    person = make_participant(event, full_name="Nguyễn Thị Ánh")
    response = client.get(f"/tiket/{person.ticket_code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_pages(response.data)[0]
    assert "Nguyễn Thị Ánh" in text and person.ticket_code in text
    assert client.get("/tiket/TIDAKADA.pdf").status_code == 404


def test_bad_form_shows_messages_and_saves_nothing(client, event):
    response = client.post(
        f"/kegiatan/{event.code}/daftar",
        data=form_data(nik="12345", phone="021555", password_confirm="x"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "NIK harus 16 digit angka." in html
    assert "Nomor HP harus nomor seluler" in html
    assert "Konfirmasi kata sandi tidak sama." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0


def test_duplicate_nik_on_the_form_is_a_message_not_a_500(client, event):
    data = form_data()
    client.post(f"/kegiatan/{event.code}/daftar", data=data)
    response = client.post(f"/kegiatan/{event.code}/daftar", data={**data, "full_name": "Lain"})
    assert response.status_code == 409  # the owner, logged in, registering twice
    assert "NIK ini sudah terdaftar" in response.get_data(as_text=True)
    other = client.application.test_client()
    response = other.post(f"/kegiatan/{event.code}/daftar", data={**data, "full_name": "Lain"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")


def test_a_rejected_form_lists_what_to_fix_with_links_to_the_fields(client, event):
    response = client.post(
        f"/kegiatan/{event.code}/daftar", data=form_data(nik="123", phone="12", consent="")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and "data-error-summary" in html
    assert html.index("error-summary") < html.index('id="registration-form"')
    for field in ("nik", "phone", "consent"):
        assert f'<a href="#{field}">' in html
        assert f'id="{field}"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="nik-error"' in html
    assert "/static/js/forms.js" in html  # focuses the list; no inline script (CSP)
    assert "<script>" not in html


def test_registering_twice_leads_to_the_ticket_not_a_dead_end(client, event):
    data = form_data()
    client.post(f"/kegiatan/{event.code}/daftar", data=data)
    person = db.session.scalar(sa.select(Participant))
    again = client.post(f"/kegiatan/{event.code}/daftar", data={**data, "full_name": "Lain"})
    html = again.get_data(as_text=True)
    assert again.status_code == 409 and "NIK ini sudah terdaftar" in html
    assert f"/tiket/{person.ticket_code}" in html


def test_the_duplicate_nik_page_offers_login_and_account_claim(client, event):
    person = make_participant(event)
    # the NIK has an account: the form sends the person to log in, with claim and recovery
    other = client.application.test_client()
    to_login = other.post(
        f"/kegiatan/{event.code}/daftar",
        data=form_data(nik=person.nik, full_name="Lain"),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "/akun/aktivasi" in to_login and "/akun/lupa-kata-sandi" in to_login
    # a registration without an account (made before accounts existed): not a dead end either
    db.session.delete(person.user)
    db.session.commit()
    other = client.application.test_client()
    response = other.post(
        f"/kegiatan/{event.code}/daftar", data=form_data(nik=person.nik, full_name="Lain")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    for link in ("/masuk?next=", "/akun/aktivasi?next=", "/akun/lupa-kata-sandi?next="):
        assert link in html
    assert person.ticket_code not in html and person.full_name not in html


def test_closed_registration_page(client, app):
    now = utcnow()
    event = make_event(
        registration_opens_at=now - timedelta(days=3),
        registration_closes_at=now - timedelta(days=1),
    )
    html = client.get(f"/kegiatan/{event.code}/daftar").get_data(as_text=True)
    assert "Pendaftaran sudah ditutup." in html and "registration-form" not in html
    response = client.post(f"/kegiatan/{event.code}/daftar", data=form_data())
    assert response.status_code == 403


def test_full_event_waitlists_on_the_form(client, app):
    event = make_event(capacity=1)
    make_participant(event)
    response = client.post(f"/kegiatan/{event.code}/daftar", data=form_data())
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "daftar tunggu nomor 1" in html


def test_participant_logs_in_with_nik(client, event):
    person = make_participant(event)
    response = client.post("/masuk", data={"identifier": person.nik, "password": PASSWORD})
    assert response.headers["Location"] == "/portal"
    stranger = client.application.test_client()
    wrong = stranger.post("/masuk", data={"identifier": person.nik, "password": "salah"})
    assert wrong.status_code == 400
    assert "Email/NIK atau kata sandi salah." in wrong.get_data(as_text=True)


def test_admin_list_search_filter_paginate(admin_client, event):
    for index in range(55):
        make_participant(event, full_name=f"Peserta {index:02d}")
    make_participant(event, full_name="Siti Bawaslu", institution_category="bawaslu", gender="P")
    page1 = admin_client.get(f"/admin/kegiatan/{event.code}/peserta").get_data(as_text=True)
    assert "56 peserta ditemukan" in page1 and "Halaman 1 dari 2" in page1
    found = admin_client.get(f"/admin/kegiatan/{event.code}/peserta?q=siti").get_data(as_text=True)
    assert "Siti Bawaslu" in found and "1 peserta ditemukan" in found
    filtered = admin_client.get(f"/admin/kegiatan/{event.code}/peserta?kategori=bawaslu").get_data(
        as_text=True
    )
    assert "1 peserta ditemukan" in filtered
    junk = admin_client.get(f"/admin/kegiatan/{event.code}/peserta?hal=abc&urut=zzz")
    assert junk.status_code == 200


def test_admin_edit_and_cancel_promotes(admin_client, app):
    event = make_event(capacity=1)
    seated = make_participant(event)
    waiting = make_participant(event)
    url = f"/admin/kegiatan/{event.code}/peserta/{seated.id}"
    data = {
        c: getattr(seated, c) or ""
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
    response = admin_client.post(url, data={**data, "phone": "bukan nomor"})
    assert response.status_code == 422
    assert admin_client.post(url, data={**data, "job_title": "Ketua PPK"}).status_code == 302
    response = admin_client.post(
        url + "/batal", data={"reason": "Berhalangan"}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "naik dari daftar tunggu" in html
    db.session.expire_all()
    assert db.session.get(Participant, waiting.id).status == "registered"
    assert db.session.get(Participant, seated.id).job_title == "Ketua PPK"


def test_panitia_sees_list_but_cannot_edit(panitia_client, event):
    person = make_participant(event)
    assert panitia_client.get(f"/admin/kegiatan/{event.code}/peserta").status_code == 200
    assert (
        panitia_client.get(f"/admin/kegiatan/{event.code}/peserta/{person.id}").status_code == 403
    )


def test_participant_cannot_open_admin(client, event):
    person = make_participant(event)
    login(client, person.nik)
    assert client.get(f"/admin/kegiatan/{event.code}/peserta").status_code == 403


def test_anonymous_is_sent_to_login(client, event):
    response = client.get(f"/admin/kegiatan/{event.code}/peserta")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_registration_in_english(client, event):
    client.post("/bahasa/en", data={"next": "/"})
    response = client.post(f"/kegiatan/{event.code}/daftar", data=form_data(nik="123", phone=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ">Full name" in html and "NIK must be 16 digits." in html
    assert "Mobile number is required." in html
    assert "NIK harus 16 digit angka." not in html

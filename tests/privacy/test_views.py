"""The manager's retention page and purge button, the CLI, and a participant's own data."""

import json
from datetime import date

from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.privacy import retention
from tests import factories
from tests.conftest import login
from tests.pdftext import pdf_text

LONG_AGO = date(2020, 3, 2)


def test_cli_refuses_before_and_purges_after_the_retention_period(runner, app):
    recent = factories.make_event("BARU24")
    person = factories.make_participant(recent)
    result = runner.invoke(args=["purge-personal-data", "BARU24", "--yes"])
    assert result.exit_code == 1
    assert retention.retention_of(recent).purge_from.strftime("%d-%m-%Y") in result.output
    old = factories.make_event("LAMA20", start=LONG_AGO)
    someone = factories.make_participant(old)
    result = runner.invoke(args=["purge-personal-data", "lama20"], input="LAMA20\n")
    assert result.exit_code == 0, result.output
    assert "1 peserta" in result.output
    db.session.expire_all()
    assert db.session.get(Participant, someone.id).nik.startswith("ANON")
    assert not db.session.get(Participant, person.id).nik.startswith("ANON")
    assert runner.invoke(args=["purge-personal-data", "NOPE"]).exit_code == 1


def test_cli_wrong_confirmation_changes_nothing(runner, app):
    old = factories.make_event("LAMA20", start=LONG_AGO)
    someone = factories.make_participant(old)
    result = runner.invoke(args=["purge-personal-data", "LAMA20"], input="SALAH\n")
    assert result.exit_code == 1
    db.session.expire_all()
    assert not db.session.get(Participant, someone.id).nik.startswith("ANON")


def test_manager_page_and_purge_button(client, app):
    old = factories.make_event("LAMA20", start=LONG_AGO)
    someone = factories.make_participant(old)
    manager = factories.make_staff("manager", event=old)
    panitia = factories.make_staff("panitia", event=old)
    base = "/admin/kegiatan/LAMA20/data-pribadi"
    login(client, panitia.email)
    assert client.get(base).status_code == 403
    assert client.post(base + "/anonimkan", data={"confirm_code": "LAMA20"}).status_code == 403
    client.post("/keluar")
    login(client, manager.email)
    page = client.get(base)
    assert page.status_code == 200 and "Anonimkan sekarang" in page.get_data(as_text=True)
    assert client.post(base + "/retensi", data={"retention_months": "500"}).status_code == 422
    assert client.post(base + "/anonimkan", data={"confirm_code": "SALAH"}).status_code == 422
    db.session.expire_all()
    assert not db.session.get(Participant, someone.id).nik.startswith("ANON")
    assert client.post(base + "/anonimkan", data={"confirm_code": "LAMA20"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, someone.id).nik.startswith("ANON")
    assert "sudah dianonimkan" in client.get(base).get_data(as_text=True)


def test_purge_button_refused_before_the_date(client, event):
    manager = factories.make_staff("manager", event=event)
    login(client, manager.email)
    base = f"/admin/kegiatan/{event.code}/data-pribadi"
    assert "Belum dapat dilakukan" in client.get(base).get_data(as_text=True)
    response = client.post(base + "/anonimkan", data={"confirm_code": event.code})
    assert response.status_code == 409


def test_participant_downloads_their_own_data(client, event):
    person = factories.make_participant(event, email="ani@contoh.id")
    other = factories.make_participant(event)
    assert client.get("/portal/data-saya.json").status_code == 302  # to the login page
    login(client, person.nik)
    assert client.get("/portal/data-saya").status_code == 200
    response = client.get("/portal/data-saya.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.data)
    assert data["account"]["nik"] == person.nik
    [registration] = data["registrations"]
    assert registration["email"] == "ani@contoh.id" and registration["phone"] == person.phone
    assert len(registration["attendance"]) == len(event.sessions)
    assert other.nik not in response.get_data(as_text=True)
    pdf = client.get("/portal/data-saya.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert person.nik in text and other.nik not in text


def test_staff_get_no_personal_data_download(client, admin):
    login(client, admin.email)
    assert client.get("/portal/data-saya.json").status_code == 403

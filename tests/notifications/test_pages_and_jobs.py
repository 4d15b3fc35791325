"""Announcements, test reminders, certificate mail, WhatsApp links and bundle jobs."""

import html as htmllib
import io
import logging
import re
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import sqlalchemy as sa

from bimtek.assessments.jobs import close_expired_attempts_job
from bimtek.assessments.settings import ensure_assessment
from bimtek.certificates.bundles import prepare
from bimtek.certificates.issuing import issue, issue_all
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.jobs import REGISTRY, enqueue
from bimtek.jobs.models import PreparedFile
from bimtek.notifications.models import Announcement, Delivery
from bimtek.participants import registration
from bimtek.storage import files
from tests.certificates.conftest import qualify
from tests.conftest import login
from tests.factories import make_event, make_staff, registration_data
from tests.notifications.conftest import settle


def _register(event, email="", **overrides):
    outcome = registration.register(
        event,
        registration_data(email=email, **overrides),
        registration.RegistrationTerms(channel="api"),
    )
    db.session.commit()
    return outcome.participant


def _manager(client, event):
    make_staff("manager", "manajer@bimtek.local", event=event)
    login(client, "manajer@bimtek.local")


def test_announcement_reaches_registered_once_not_waitlisted(app, client, mailbox):
    event = make_event("UMUM24", capacity=2)
    _register(event, "satu@contoh.id")
    _register(event, "dua@contoh.id")
    _register(event, "tunggu@contoh.id")  # waitlisted
    _register(event, "")  # no address
    assert settle(app)
    before = len(mailbox.messages)
    _manager(client, event)
    response = client.post(
        f"/admin/kegiatan/{event.code}/pengumuman",
        data={
            "subject": "Lokasi pindah",
            "body": "Kegiatan pindah ke\nAula Bupati.",
            "audience": "registered",
        },
    )
    assert response.status_code == 302
    assert settle(app)
    sent = mailbox.messages[before:]
    assert sorted(m["To"] for m in sent) == ["dua@contoh.id", "satu@contoh.id"]
    assert all(m["Subject"] == "Lokasi pindah" for m in sent)
    assert "Aula Bupati." in sent[0].get_body(preferencelist=("plain",)).get_content()
    assert "pindah ke<br>Aula Bupati." in sent[0].get_body(preferencelist=("html",)).get_content()
    # the announcement job run again (a retry) queues nobody twice
    from bimtek.notifications.services import send_announcement

    enqueue(send_announcement, db.session.scalar(sa.select(Announcement.id)))
    assert settle(app)
    assert len(mailbox.messages) == before + 2


def test_announcement_needs_subject_and_body(app, client, mailbox, event):
    _manager(client, event)
    response = client.post(
        f"/admin/kegiatan/{event.code}/pengumuman", data={"subject": "", "body": ""}
    )
    assert response.status_code == 422
    assert "Judul wajib diisi." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Announcement)) == 0


def test_pages_are_for_managers_only(app, client, mailbox, event):
    other = make_event("LAIN24")
    make_staff("panitia", "p@bimtek.local", event=event)
    make_staff("manager", "lain@bimtek.local", event=other)
    paths = [
        f"/admin/kegiatan/{event.code}/pengiriman",
        f"/admin/kegiatan/{event.code}/pengumuman",
        f"/admin/kegiatan/{event.code}/whatsapp",
    ]
    assert client.get(paths[0]).status_code == 302  # anonymous: to the login page
    login(client, "p@bimtek.local")
    for path in paths:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/admin/kegiatan/{event.code}/sertifikat/berkas/zip").status_code == 403
    client.post("/keluar")
    login(client, "lain@bimtek.local")
    for path in paths:
        assert client.get(path).status_code == 404, path


def test_whatsapp_links_carry_the_ticket_link_in_the_persons_language(app, client, mailbox):
    event = make_event("WA24")
    indonesian = _register(event, phone="081234567890", full_name="Budi Santoso")
    english = _register(event, phone="+6281298765432", full_name="Jane Doe")
    english.user.locale = "en"
    db.session.commit()
    _manager(client, event)
    html = client.get(f"/admin/kegiatan/{event.code}/whatsapp").get_data(as_text=True)

    links = [htmllib.unescape(h) for h in re.findall(r'href="(https://wa\.me/\d+[^"]*)"', html)]
    by_number = {
        urlparse(link).path.strip("/"): parse_qs(urlparse(link).query)["text"][0] for link in links
    }
    assert set(by_number) == {"6281234567890", "6281298765432"}
    text_id = by_number["6281234567890"]
    assert text_id.startswith("Halo Budi Santoso")
    assert f"http://bimtek.test/tiket/{indonesian.ticket_code}" in text_id
    text_en = by_number["6281298765432"]
    assert text_en.startswith("Hello Jane Doe")
    assert f"http://bimtek.test/tiket/{english.ticket_code}" in text_en


def test_whatsapp_link_on_the_participant_page_for_managers(app, client, mailbox, event, admin):
    participant = _register(event, phone="081234567890")
    login(client, admin.email)
    html = client.get(f"/admin/kegiatan/{event.code}/peserta/{participant.id}").get_data(
        as_text=True
    )
    assert "https://wa.me/6281234567890?text=" in html


def test_test_reminder_once_per_participant(app, client, mailbox, event):

    _register(event, "tes@contoh.id")
    assert settle(app)
    assessment = ensure_assessment(event, "pre")
    db.session.commit()
    _manager(client, event)
    for _ in range(2):
        response = client.post(
            f"/admin/kegiatan/{event.code}/pengumuman/pengingat-tes",
            data={"assessment_id": assessment.id},
        )
        assert response.status_code == 302
    assert settle(app)
    reminders = [m for m in mailbox.to("tes@contoh.id") if "Tes" in m["Subject"]]
    assert len(reminders) == 1
    body = reminders[0].get_body(preferencelist=("plain",)).get_content()
    assert "http://bimtek.test/peserta/" in body


def test_certificate_ready_mail_and_bundle_job(app, client, mailbox, tmp_path):

    event = make_event("SERT24", sessions=2)
    people = [_register(event, f"s{n}@contoh.id") for n in range(3)]
    for person in people:
        qualify(event, person)
    outcome = issue_all(event)
    db.session.commit()
    assert len(outcome.issued) == 3
    assert settle(app)
    mail = [m for m in mailbox.to("s0@contoh.id") if "Sertifikat" in m["Subject"]]
    assert len(mail) == 1
    body = mail[0].get_body(preferencelist=("plain",)).get_content()
    assert f"http://bimtek.test/portal/peserta/{people[0].id}/sertifikat" in body

    _manager(client, event)
    response = client.post(f"/admin/kegiatan/{event.code}/sertifikat/berkas/zip")
    assert response.status_code == 302
    progress_page = response.headers["Location"]
    assert settle(app)
    page = client.get(progress_page).get_data(as_text=True)
    assert "Unduh" in page
    again = client.post(f"/admin/kegiatan/{event.code}/sertifikat/berkas/zip")
    assert again.headers["Location"] == progress_page  # built once
    download = client.get(progress_page + "/unduh")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    download.close()
    assert len(names) == 3 and all(n.endswith(".pdf") for n in names)
    prepared = db.session.scalar(sa.select(PreparedFile))
    assert (prepared.status, prepared.done, prepared.total) == ("ready", 3, 3)
    merged = client.post(f"/admin/kegiatan/{event.code}/sertifikat/berkas/pdf")
    assert settle(app)
    pdf = client.get(merged.headers["Location"] + "/unduh")
    assert pdf.data.startswith(b"%PDF-")
    pdf.close()


def test_no_mail_server_writes_the_message_to_the_log(app, client, event, caplog):
    app.config["MAIL_SERVER"] = None

    caplog.set_level(logging.INFO, logger="bimtek.mail")
    participant = _register(event, "log@contoh.id")
    assert settle(app)
    assert participant.ticket_code in caplog.text
    assert "To: log@contoh.id" in caplog.text
    delivery = db.session.scalar(sa.select(Delivery))
    db.session.refresh(delivery)
    assert delivery.status == "sent"


def test_close_expired_attempts_job(app, event):

    assert REGISTRY["close_expired_attempts_job"].periodic is not None
    assert close_expired_attempts_job() == 0


def test_forms_need_the_csrf_token(app, client, mailbox, event):
    _manager(client, event)
    app.config["WTF_CSRF_ENABLED"] = True
    for path in ("pengumuman", "pengiriman/ulang", "pengumuman/pengingat-tes"):
        response = client.post(
            f"/admin/kegiatan/{event.code}/{path}", data={"subject": "x", "body": "y"}
        )
        assert response.status_code == 400, path
    response = client.post(f"/admin/kegiatan/{event.code}/sertifikat/berkas/zip")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Announcement)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PreparedFile)) == 0


def test_a_bundle_lost_with_its_process_is_prepared_again(app, mailbox, event, admin):

    first = prepare(event, "zip", actor=admin)
    db.session.commit()
    assert settle(app)
    db.session.refresh(first)
    assert first.status == "ready"
    assert prepare(event, "zip", actor=admin).id == first.id  # same certificates: same file
    files.delete(first.file_id)  # as if its process had died building it
    first.status, first.file_id = "running", None
    first.heartbeat_at = utcnow() - timedelta(minutes=20)
    db.session.commit()
    again = prepare(event, "zip", actor=admin)
    db.session.commit()
    assert again.id == first.id  # the same row, queued again
    assert settle(app)
    db.session.refresh(again)
    assert (again.status, again.attempts) == ("ready", 2)


def test_whatsapp_certificate_links_for_those_with_a_certificate(app, client, mailbox):

    event = make_event("WASERT24", sessions=2)
    holder = _register(event, phone="081200000001", full_name="Punya Sertifikat")
    _register(event, phone="081200000002", full_name="Belum Ada")
    qualify(event, holder)
    issue(holder)
    db.session.commit()
    _manager(client, event)
    html = client.get(f"/admin/kegiatan/{event.code}/whatsapp?status=certificate").get_data(
        as_text=True
    )

    links = [htmllib.unescape(h) for h in re.findall(r'href="(https://wa\.me/\d+[^"]*)"', html)]
    assert len(links) == 1 and "wa.me/6281200000001?" in links[0]
    text = parse_qs(urlparse(links[0]).query)["text"][0]
    assert f"http://bimtek.test/portal/peserta/{holder.id}/sertifikat" in text

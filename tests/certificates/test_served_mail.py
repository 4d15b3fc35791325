"""A served certificate goes to the email of whoever served (narasumber, moderator, panitia)
as participants' certificates do: the same signal, job queue and delivery log; the address is
personal data, which panitia never see."""

# ruff: noqa: F811  (the fixtures imported below are named as test arguments)
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.certificates import issuing, printing, served_issuing
from bimtek.errors import InvalidInput
from bimtek.events import cloning
from bimtek.events import contributors as team
from bimtek.extensions import db
from bimtek.notifications.models import Delivery
from tests import factories
from tests.certificates.conftest import qualify
from tests.certificates.test_served import curriculum, keys  # noqa: F401 (the fixture)
from tests.conftest import login
from tests.notifications.conftest import (  # noqa: F401 (the fixtures)
    app_config,
    mailbox,
    settle,
    smtp_port,
)

POLICE = "budi.kombes@polri.go.id"


@pytest.fixture
def addressed(curriculum):
    """The curriculum, its outside narasumber (Kombes Pol. Budi, M3) with an email address."""
    row = next(c for c in team.contributors_of(curriculum) if c.name == "Kombes Pol. Budi")
    team.set_contributor_email(row, POLICE)
    db.session.commit()
    return curriculum


def _manager(client, event):
    factories.make_staff("manager", "manajer@bimtek.local", event=event)
    login(client, "manajer@bimtek.local")


def _certificate_mail(address):
    return [m for m in address if "Sertifikat" in m["Subject"]]


# --- the address on the contributor form ----------------------------------------------------


def test_the_email_is_optional_and_normalised(curriculum):
    module = curriculum.modules[0]
    added = team.add_contributor(
        curriculum,
        {
            "role": "moderator",
            "name": "Prof. Dr. Lina",
            "email": "  Lina@Unmul.AC.ID ",
            "module_id": str(module.id),
        },
    )
    assert added.email == "Lina@unmul.ac.id"  # the domain in lower case, as participants'
    bare = team.add_contributor(curriculum, {"role": "panitia", "name": "Tanpa Email"})
    assert bare.email == ""


def test_a_bad_email_on_the_form_is_a_clear_indonesian_error(client, curriculum):
    with pytest.raises(InvalidInput) as refused:
        team.add_contributor(
            curriculum, {"role": "panitia", "name": "Salah Ketik", "email": "salah@ketik"}
        )
    assert refused.value.fields == {"email": "Alamat email tidak valid."}
    _manager(client, curriculum)
    before = len(team.contributors_of(curriculum))
    response = client.post(
        f"/admin/kegiatan/{curriculum.code}/tim",
        data={"role": "panitia", "name": "Salah Ketik", "email": "bukan email"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Alamat email tidak valid." in page
    assert 'value="bukan email"' in page  # kept for correcting
    assert len(team.contributors_of(curriculum)) == before
    response = client.post(
        f"/admin/kegiatan/{curriculum.code}/tim",
        data={"role": "panitia", "name": "Benar Ketik", "email": "benar@kutaitimurkab.go.id"},
    )
    assert response.status_code == 302
    page = client.get(f"/admin/kegiatan/{curriculum.code}/tim").get_data(as_text=True)
    assert "benar@kutaitimurkab.go.id" in page  # managers see it


def test_a_manager_sets_or_corrects_the_email_of_a_listed_person(client, curriculum):
    row = next(c for c in team.contributors_of(curriculum) if c.role == "moderator")
    _manager(client, curriculum)
    path = f"/admin/kegiatan/{curriculum.code}/tim/{row.id}/email"
    refused = client.post(path, data={"email": "siti@"})
    assert refused.status_code == 302
    db.session.refresh(row)
    assert row.email == ""
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Alamat email tidak valid." in page
    assert client.post(path, data={"email": "siti@kutaitimurkab.go.id"}).status_code == 302
    db.session.refresh(row)
    assert row.email == "siti@kutaitimurkab.go.id"


def test_a_cloned_event_keeps_the_email_of_its_narasumber(addressed, admin):
    copy = cloning.clone_event(
        addressed,
        {
            "code": "SALIN24",
            "title": "",
            "start_date": addressed.start_date,
            "end_date": addressed.end_date,
        },
        actor=admin,
    )
    db.session.commit()
    rows = [c for c in team.contributors_of(copy) if c.name == "Kombes Pol. Budi"]
    assert [c.email for c in rows] == [POLICE]


# --- the message --------------------------------------------------------------------------


def test_issuing_mails_the_signed_certificate_to_the_address(app, addressed, mailbox, admin):
    outcome = served_issuing.issue_served(
        addressed, "narasumber", keys(addressed, "narasumber"), actor=admin
    )
    db.session.commit()
    assert settle(app)
    budi = next(c for c in outcome.issued if c.name == "Kombes Pol. Budi")
    sent = _certificate_mail(mailbox.to(POLICE))
    assert len(sent) == 1
    message = sent[0]
    assert message["Subject"] == f"Sertifikat Anda siap: {addressed.title}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Kombes Pol. Budi" in text and "narasumber" in text
    assert f"http://bimtek.test/verify/{budi.verification_code}" in text
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [printing.certificate_filename(budi)]
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content() == budi.document  # the signed file, byte for byte
    # the delivery log, as participants' messages
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.to_address == POLICE))
    db.session.refresh(delivery)
    assert (delivery.kind, delivery.status, delivery.event_id) == (
        "served_certificate",
        "sent",
        addressed.id,
    )
    assert delivery.participant_id is None and delivery.certificate_id == budi.id
    # nobody without an address is written to
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 1


def test_the_delivery_log_names_who_served(app, client, addressed, mailbox, admin):
    served_issuing.issue_served(addressed, "narasumber", keys(addressed, "narasumber"))
    db.session.commit()
    assert settle(app)
    _manager(client, addressed)
    page = client.get(f"/admin/kegiatan/{addressed.code}/pengiriman").get_data(as_text=True)
    assert "Kombes Pol. Budi" in page and POLICE in page
    assert "Sertifikat bertugas" in page


def test_kirim_ulang_sends_it_again_to_the_address_now_on_file(
    app, client, addressed, mailbox, admin
):
    outcome = served_issuing.issue_served(
        addressed, "narasumber", keys(addressed, "narasumber"), actor=admin
    )
    db.session.commit()
    assert settle(app)
    budi = next(c for c in outcome.issued if c.name == "Kombes Pol. Budi")
    rizal = next(c for c in outcome.issued if c.name != "Kombes Pol. Budi")
    _manager(client, addressed)
    page = client.get(f"/admin/kegiatan/{addressed.code}/sertifikat/bertugas")
    html = page.get_data(as_text=True)
    resend = f"/admin/kegiatan/{addressed.code}/sertifikat/bertugas/{budi.id}/kirim-ulang"
    assert f'action="{resend}"' in html
    assert POLICE in html  # the manager sees where it goes
    response = client.post(resend)
    assert response.status_code == 302
    assert settle(app)
    assert len(_certificate_mail(mailbox.to(POLICE))) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 2

    # an address added afterwards: "Kirim ulang" writes to it
    row = next(c for c in team.contributors_of(addressed) if c.name == rizal.name)
    team.set_contributor_email(row, "rizal@unmul.ac.id")
    db.session.commit()
    assert (
        client.post(
            f"/admin/kegiatan/{addressed.code}/sertifikat/bertugas/{rizal.id}/kirim-ulang"
        ).status_code
        == 302
    )
    assert settle(app)
    assert len(_certificate_mail(mailbox.to("rizal@unmul.ac.id"))) == 1


def test_kirim_ulang_is_refused_without_an_address_or_once_revoked(
    app, client, addressed, mailbox, admin
):
    outcome = served_issuing.issue_served(
        addressed, "moderator", keys(addressed, "moderator"), actor=admin
    )
    db.session.commit()
    moderator = outcome.issued[0]
    with pytest.raises(InvalidInput) as refused:
        served_issuing.send_served_again(moderator, actor=admin)
    assert "belum punya alamat email" in refused.value.message
    _manager(client, addressed)
    response = client.post(
        f"/admin/kegiatan/{addressed.code}/sertifikat/bertugas/{moderator.id}/kirim-ulang",
        follow_redirects=True,
    )
    assert "belum punya alamat email" in response.get_data(as_text=True)
    budi_outcome = served_issuing.issue_served(
        addressed, "narasumber", keys(addressed, "narasumber"), actor=admin
    )
    budi = next(c for c in budi_outcome.issued if c.name == "Kombes Pol. Budi")
    issuing.revoke(budi, "Salah materi", actor=admin)
    db.session.commit()
    assert settle(app)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Delivery))
    with pytest.raises(InvalidInput):
        served_issuing.send_served_again(budi, actor=admin)
    # a participant's certificate is not one of these
    participant = factories.make_participant(addressed)
    qualify(addressed, participant)
    theirs = issuing.issue(participant)
    db.session.commit()
    answer = client.post(
        f"/admin/kegiatan/{addressed.code}/sertifikat/bertugas/{theirs.id}/kirim-ulang"
    )
    assert answer.status_code == 404
    assert settle(app)
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Delivery)
        .where(Delivery.kind == "served_certificate")
    )
    assert count == before


def test_kirim_ulang_sends_one_certificate_at_most_three_times_an_hour(
    app, client, addressed, mailbox, admin
):
    """A mistaken or scripted run of clicks does not bury the narasumber's inbox (or the
    sender's reputation): the log of resends is the count, on every server."""
    outcome = served_issuing.issue_served(
        addressed, "narasumber", keys(addressed, "narasumber"), actor=admin
    )
    db.session.commit()
    budi = next(c for c in outcome.issued if c.name == "Kombes Pol. Budi")
    for _ in range(3):
        served_issuing.send_served_again(budi, actor=admin)
        db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        served_issuing.send_served_again(budi, actor=admin)
    db.session.rollback()
    assert refused.value.code == "resent_too_often"
    assert "sudah dikirim ulang 3 kali dalam satu jam terakhir" in refused.value.message
    _manager(client, addressed)
    page = client.post(
        f"/admin/kegiatan/{addressed.code}/sertifikat/bertugas/{budi.id}/kirim-ulang",
        follow_redirects=True,
    )
    assert "sudah dikirim ulang 3 kali" in page.get_data(as_text=True)
    assert settle(app)
    assert len(_certificate_mail(mailbox.to(POLICE))) == 1 + 3

    # an hour after the first resend, one more may go
    for entry in db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "certificate.served_mail")
    ):
        entry.at -= timedelta(minutes=61)
    db.session.commit()
    assert served_issuing.send_served_again(budi, actor=admin) == POLICE


# --- panitia never see it --------------------------------------------------------------------


def test_panitia_never_see_the_address(app, client, addressed, mailbox, admin):
    served_issuing.issue_served(addressed, "narasumber", keys(addressed, "narasumber"))
    db.session.commit()
    assert settle(app)
    factories.make_staff("panitia", "panitia@bimtek.local", event=addressed)
    login(client, "panitia@bimtek.local")
    code = addressed.code
    for path in (
        f"/admin/kegiatan/{code}/tim",
        f"/admin/kegiatan/{code}/sertifikat/bertugas",
        f"/admin/kegiatan/{code}/pengiriman",
    ):
        assert client.get(path).status_code == 403, path
    opened = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or set(rule.arguments) != {"code"}:
            continue
        path = rule.build({"code": code})[1]
        response = client.get(path)
        if response.status_code == 200:
            opened.append(path)
            body = response.get_data()
            assert POLICE.encode() not in body, path
            assert b"budi.kombes" not in body, path
        response.close()
    assert f"/kegiatan/{code}/check-in" in opened  # the desk and the rest were looked at
    assert len(opened) >= 5, opened


def test_the_address_is_not_written_to_the_audit_log(addressed, admin):
    team.add_contributor(
        addressed,
        {"role": "panitia", "name": "Audit Uji", "email": "audit.uji@contoh.id"},
        actor=admin,
    )
    db.session.commit()
    stored = " ".join(
        str(value)
        for row in db.session.execute(sa.select(AuditLog.__table__)).all()
        for value in row
    )
    assert "audit.uji@contoh.id" not in stored
    assert POLICE not in stored
    assert re.search(r"Audit Uji", stored)

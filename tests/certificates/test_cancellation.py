"""Cancelling after the certificate: a certificate in force is revoked with the cancellation
or the cancellation is refused; an ended or closed event is locked for participants; every
page and file counts issued, in force and revoked alike."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from bimtek.audit.models import AuditLog
from bimtek.certificates import issuing, queries
from bimtek.certificates.models import Certificate
from bimtek.errors import Conflict
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants import cancellation
from bimtek.participants.models import Participant
from bimtek.reports.activity_report import activity_figures
from bimtek.reports.dashboard import certificate_panel
from tests import factories
from tests.certificates.conftest import qualify
from tests.conftest import login
from tests.pdftext import pdf_text


@pytest.fixture
def holders(five_sessions, admin):
    """Three participants with certificates 001–003 in force."""
    people = [
        factories.make_participant(five_sessions, full_name=name)
        for name in ("Agus Salim", "Budi Santoso", "Citra Dewi")
    ]
    for person in people:
        qualify(five_sessions, person)
    issuing.issue_all(five_sessions, actor=admin)
    db.session.commit()
    return people


def certificate_of(person) -> Certificate:
    return db.session.scalar(sa.select(Certificate).where(Certificate.participant_id == person.id))


def test_cancelling_a_certificate_holder_is_refused_on_every_path(
    client, admin, five_sessions, holders
):
    person = holders[2]
    with pytest.raises(Conflict) as refused:
        cancellation.cancel(person, actor=admin, reason="Pulang")
    assert refused.value.code == "certificate_in_force"
    db.session.rollback()
    # the participant, on the last day of the event, after the certificate
    login(client, person.nik)
    response = client.post(f"/portal/{person.id}/batal", data={"reason": "Pulang"})
    assert "sertifikat" in response.get_data(as_text=True).lower()
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "registered"
    assert certificate_of(person).revoked_at is None
    assert f"/portal/{person.id}/batal" not in client.get("/portal").get_data(as_text=True)


def test_the_managers_cancel_page_names_the_certificate_and_revokes_it(
    admin_client, five_sessions, holders
):
    person = holders[2]
    number = certificate_of(person).number
    base = f"/admin/kegiatan/{five_sessions.code}"
    page = admin_client.get(f"{base}/peserta/{person.id}/batal").get_data(as_text=True)
    confirm = f"{base}/sertifikat/peserta/{person.id}/batal"
    assert number in page and confirm in page
    # the old form, posted anyway, is refused and changes nothing
    refused = admin_client.post(f"{base}/peserta/{person.id}/batal", data={"reason": "Pulang"})
    assert refused.status_code == 409
    confirmation = admin_client.get(confirm).get_data(as_text=True)
    assert number in confirmation and "Agus Salim" not in confirmation
    assert admin_client.post(confirm, data={"reason": ""}).status_code == 422
    done = admin_client.post(confirm, data={"reason": "Pulang sebelum penutupan"})
    assert done.status_code == 302
    db.session.expire_all()
    certificate = certificate_of(person)
    assert db.session.get(Participant, person.id).status == "cancelled"
    assert certificate.revoked_at is not None
    assert "Pulang sebelum penutupan" in certificate.revoke_reason
    verify = admin_client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "DICABUT" in verify.upper() and "SAH" not in verify.replace("SAHKAN", "")
    actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-2:] == ["certificate.revoke", "participant.cancel"]


def test_participants_cannot_cancel_once_closed_or_over(client, admin_client, admin, app):
    event = factories.make_event("TUTUP24", sessions=1)
    person = factories.make_participant(event)
    base = f"/admin/kegiatan/{event.code}"
    assert admin_client.post(f"{base}/tutup").status_code == 302
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.closed_at is not None and event.locked()
    assert not cancellation.may_cancel_own(person)
    with pytest.raises(cancellation.EventOver) as refused:
        cancellation.cancel_own(person, actor=person.user)
    assert "ditutup" in refused.value.message
    # a manager still can, and can reopen it
    assert admin_client.post(f"{base}/buka").status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).closed_at is None
    assert cancellation.may_cancel_own(db.session.get(Participant, person.id))
    actions = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.action.like("event.%")).order_by(AuditLog.id)
    ).all()
    assert actions[-2:] == ["event.close", "event.reopen"]


def test_issued_in_force_and_revoked_agree_everywhere(
    admin_client, admin_headers, admin, five_sessions, holders
):
    """One revoked with its cancellation; one holder cancelled by the code before the rule
    (her certificate still in force): every view counts 3 issued, 2 in force, 1 revoked."""
    cancelled_before = holders[1]
    cancelled_before.status = "cancelled"
    issuing.revoke(certificate_of(holders[0]), "Data salah", actor=admin)
    db.session.commit()
    counts = queries.certificate_counts(five_sessions)
    assert (counts.issued, counts.in_force, counts.revoked) == (3, 2, 1)
    page = admin_client.get(f"/admin/kegiatan/{five_sessions.code}/sertifikat").get_data(
        as_text=True
    )
    assert "Sudah terbit (2)" in page
    assert certificate_of(cancelled_before).number in page  # listed, so it can be revoked
    panel = certificate_panel(five_sessions)
    assert (panel["issued"], panel["in_force"], panel["revoked"]) == (3, 2, 1)
    figures = activity_figures(five_sessions)
    assert len(figures["issued"]) == 2 and len(figures["revoked"]) == 1
    export = admin_client.get(f"/admin/kegiatan/{five_sessions.code}/ekspor/sertifikat.xlsx")
    cells = [
        str(cell.value)
        for row in load_workbook(io.BytesIO(export.data)).active.iter_rows()
        for cell in row
        if cell.value
    ]
    assert any("3 nomor diterbitkan: 2 berlaku, 1 dicabut." in cell for cell in cells)
    assert cells.count("Berlaku") == 2 and cells.count("Dicabut") == 2  # header + 1 row
    summary = admin_client.get(
        f"/api/v1/events/{five_sessions.code}/summary", headers=admin_headers
    ).get_json()["certificates"]
    assert (summary["issued"], summary["in_force"], summary["revoked"]) == (3, 2, 1)
    report = admin_client.get(f"/admin/kegiatan/{five_sessions.code}/laporan-kegiatan.pdf")
    text = " ".join(pdf_text(report.data).split())
    assert "Sertifikat berlaku 2" in text and "Dicabut 1" in text

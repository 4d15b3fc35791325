"""Every list, count, export, the dashboard and the laporan agree on issued, in force and
revoked, for participants' certificates and for those who served (issue 19); a panitia
member with a staff account downloads their own certificate."""

import re
from collections import Counter

import pytest

from bimtek.audit.models import AuditLog
from bimtek.certificates import issuing, queries, served, served_issuing, withdrawal
from bimtek.certificates.models import SERVED_ROLES, Certificate
from bimtek.core.xlsx_reader import XlsxFile, XlsxLimits
from bimtek.events import contributors as team
from bimtek.extensions import db
from bimtek.spj.bundle import parts
from tests import factories
from tests.certificates.conftest import qualify
from tests.certificates.test_served import curriculum, keys  # noqa: F401 (the fixture)
from tests.conftest import login
from tests.pdftext import pdf_text

ROLE_LABELS = {
    "participant": "Peserta",
    "narasumber": "Narasumber",
    "moderator": "Moderator",
    "panitia": "Panitia",
}


def sentence(counts) -> str:
    return (
        f"{counts.issued} nomor diterbitkan: {counts.in_force} berlaku, {counts.revoked} dicabut."
    )


@pytest.fixture
def figures(curriculum, admin):  # noqa: F811 (the fixture imported above)
    """Three participants issued: one revoked, one cancelled after issue (withdrawal revokes),
    one in force; every served person issued, one narasumber revoked."""
    event = curriculum
    people = []
    for name in ("Ani Rahmawati", "Budi Santoso", "Citra Lestari"):
        person = factories.make_participant(event, full_name=name)
        qualify(event, person)
        people.append(person)
    held = [issuing.issue(person, actor=admin) for person in people]
    issuing.revoke(held[0], "Salah nama", actor=admin)
    withdrawal.cancel_holder(people[1], "Mengundurkan diri", actor=admin)
    for role in SERVED_ROLES:
        served_issuing.issue_served(event, role, keys(event, role), actor=admin)
    narasumber = queries.issued_certificates(event, role="narasumber")[0]
    issuing.revoke(narasumber, "Materi tidak disampaikan", actor=admin)
    db.session.commit()
    return event


def test_the_counts_are_what_happened(figures):
    assert queries.certificate_counts(figures) == (3, 1, 2)
    assert queries.served_counts(figures) == {
        "narasumber": (2, 1, 1),
        "moderator": (1, 1, 0),
        "panitia": (2, 2, 0),
    }


def _all_counts(event) -> dict:
    return {"participant": queries.certificate_counts(event), **queries.served_counts(event)}


def test_pages_show_the_counts_of_every_role(figures, admin_client):
    counts = _all_counts(figures)
    overview = admin_client.get(f"/admin/kegiatan/{figures.code}/sertifikat")
    dashboard = admin_client.get(f"/admin/kegiatan/{figures.code}/ringkasan")
    for page in (overview, dashboard):
        assert page.status_code == 200
        text = " ".join(page.get_data(as_text=True).split())
        for role, label in ROLE_LABELS.items():
            assert f"{label}: {sentence(counts[role])}" in text, role
    assert "Sudah terbit (1)" in overview.get_data(as_text=True)
    # the revoked list names every revoked certificate, a served one with its role
    revoked_list = overview.get_data(as_text=True).split("Sertifikat dicabut")[-1]
    for certificate in db.session.scalars(
        db.select(Certificate).where(Certificate.revoked_at.is_not(None))
    ):
        assert certificate.number in revoked_list
    assert "Materi tidak disampaikan" in revoked_list and "Narasumber" in revoked_list


def _laporan_figures(text: str) -> dict:
    """The participants' sentence and the served table's rows of a laporan's text."""
    flat = " ".join(text.split())
    found = {}
    match = re.search(r"\((\d+) nomor\): (\d+) berlaku, (\d+) dicabut", flat)
    found["participant"] = tuple(int(n) for n in match.groups())
    for role in SERVED_ROLES:
        match = re.search(rf"{ROLE_LABELS[role]} (\d+) (\d+) (\d+)", flat)
        found[role] = tuple(int(n) for n in match.groups())
    return found


def test_the_laporan_and_the_spj_laporan_agree(figures, admin_client):
    counts = {role: tuple(c) for role, c in _all_counts(figures).items()}
    laporan = admin_client.get(f"/admin/kegiatan/{figures.code}/laporan-kegiatan.pdf")
    assert laporan.status_code == 200
    text = " ".join(pdf_text(laporan.data, raw=True).split())
    assert _laporan_figures(text) == counts
    # every revoked certificate is listed with its reason, the served one with its role
    assert "Salah nama" in text and "Mengundurkan diri" in text
    assert "(Narasumber)" in text and "Materi tidak disampaikan" in text
    (part,) = [p for p in parts(figures) if p.title == "Laporan kegiatan"]
    assert _laporan_figures(pdf_text(part.make(), raw=True)) == counts


def test_the_register_lists_every_certificate_with_its_role(figures, admin_client):
    response = admin_client.get(f"/admin/kegiatan/{figures.code}/ekspor/sertifikat.xlsx")
    assert response.status_code == 200
    with XlsxFile(response.data, XlsxLimits.for_import("IMPORT")) as xlsx:
        sheet = xlsx.workbook()["Register sertifikat"]
        rows = [row for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Urut")
    header = rows[header_at]
    lines = [dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :] if row[1]]
    seen = Counter((line["Peran"], line["Status"]) for line in lines)
    note = " ".join(str(cell) for row in rows[header_at + 1 :] for cell in row if cell)
    for role, counts in _all_counts(figures).items():
        label = ROLE_LABELS[role]
        assert seen[(label, "Berlaku")] == counts.in_force, role
        assert seen[(label, "Dicabut")] == counts.revoked, role
        assert f"{label}: {sentence(counts)}" in note
    assert len(lines) == sum(c.issued for c in _all_counts(figures).values())
    speakers = [line for line in lines if line["Peran"] == "Narasumber"]
    assert {line["Instansi"] for line in speakers} == {"Universitas Mulawarman"}


def test_the_api_lists_every_certificate_with_its_role(figures, client, admin_headers):
    answer = client.get(f"/api/v1/events/{figures.code}/certificates", headers=admin_headers)
    assert answer.status_code == 200
    body = answer.get_json()
    seen = Counter((row["role"], row["status"]) for row in body["certificates"])
    for role, counts in _all_counts(figures).items():
        assert seen[(role, "valid")] == counts.in_force, role
        assert seen[(role, "revoked")] == counts.revoked, role
    assert body["total"] == len(body["certificates"]) == db.session.query(Certificate).count()
    speaker = next(row for row in body["certificates"] if row["role"] == "narasumber")
    assert speaker["participant_id"] is None and speaker["document_sha256"]
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    listed = schema["IssuedCertificate"]["properties"]
    assert "role" in listed and "participant_id" in listed


def test_the_audit_records_each_issue_and_revoke_with_its_role(figures):
    records = db.session.scalars(db.select(AuditLog).where(AuditLog.event_id == figures.id))
    issued, revoked = Counter(), Counter()
    for record in records:
        if record.action == "certificate.issue":
            issued["participant"] += 1
        elif record.action == "certificate.issue_served":
            issued[record.details["role"]] += record.details["count"]
        elif record.action == "certificate.revoke":
            revoked[record.details["role"]] += 1
    for role, counts in _all_counts(figures).items():
        assert (issued[role], revoked[role]) == (counts.issued, counts.revoked), role


# --- a panitia member's own certificate -------------------------------------------------------


def test_a_panitia_member_downloads_their_own_from_their_account(
    curriculum,  # noqa: F811 (the fixture imported above)
    client,
    admin,
):
    member = factories.make_staff("panitia", event=curriculum)
    other = factories.make_staff("panitia", event=curriculum)
    member.full_name, other.full_name = "Dewi Panitia", "Eko Panitia"
    assert team.add_staff_as_panitia(curriculum) == 2
    outcome = served_issuing.issue_served(
        curriculum, "panitia", keys(curriculum, "panitia"), actor=admin
    )
    db.session.commit()
    own = next(c for c in outcome.issued if c.name == member.full_name)
    theirs = next(c for c in outcome.issued if c.name == other.full_name)
    unlinked = next(c for c in outcome.issued if c.name == "Rina Sekretariat")
    assert own.id != theirs.id
    assert [c.id for c in served.own_served_certificates(member)] == [own.id]

    login(client, member.email)
    page = client.get("/akun/bertugas").get_data(as_text=True)
    assert own.number in page and theirs.number not in page and unlinked.number not in page
    assert 'href="/akun/bertugas"' in page  # in the staff's own menu
    download = client.get(f"/akun/bertugas/{own.id}.pdf")
    assert download.status_code == 200 and download.data == own.document
    for other_id in (theirs.id, unlinked.id, 999999):
        assert client.get(f"/akun/bertugas/{other_id}.pdf").status_code == 404

    issuing.revoke(own, "Tidak bertugas", actor=admin)
    db.session.commit()
    assert client.get(f"/akun/bertugas/{own.id}.pdf").status_code == 404
    assert own.number not in client.get("/akun/bertugas").get_data(as_text=True)


def test_a_narasumber_without_an_account_gets_theirs_from_the_manager(
    curriculum,  # noqa: F811 (the fixture imported above)
    admin_client,
    admin,
):
    outcome = served_issuing.issue_served(
        curriculum, "narasumber", keys(curriculum, "narasumber"), actor=admin
    )
    db.session.commit()
    certificate = outcome.issued[0]
    download = admin_client.get(
        f"/admin/kegiatan/{curriculum.code}/sertifikat/{certificate.id}.pdf"
    )
    assert download.status_code == 200 and download.data == certificate.document
    assert certificate.number in pdf_text(download.data)

"""Every PDF the app makes embeds every font it uses (pdffonts shows no "no"): a viewer or
printer without DejaVu, or without Helvetica's metrics, shows what was drawn."""

import subprocess

import pytest

from bimtek.attendance.pdf import badges_pdf, sign_in_sheet_pdf
from bimtek.attendance.queries import session_attendance
from bimtek.certificates import issuing, printing, served, served_issuing
from bimtek.events import contributors as team
from bimtek.extensions import db
from bimtek.participants.pdf import ticket_pdf
from bimtek.privacy.personal_data import personal_data_pdf
from bimtek.reports.activity_report import activity_report_pdf
from bimtek.spj import documents as spj_documents
from bimtek.spj import dokumentasi as spj_dokumentasi
from bimtek.spj import honor as spj_honor
from bimtek.spj import kontribusi as spj_kontribusi
from bimtek.spj import letters as spj_letters
from bimtek.spj import money as spj_money
from bimtek.spj import pdf as spj_pdf
from tests import factories
from tests.certificates.conftest import qualify

#: every route that answers with a PDF, and the maker below that draws it
PDF_ROUTES = {
    "participants.ticket_download": "ticket",
    "attendance.sign_in_sheet": "sign_in_sheet",
    "attendance.badges": "badges",
    "certificates.admin_download": "certificate",
    "certificates.mine_download": "certificate",
    "api.certificate_pdf": "certificate",
    "certificates.preview": "certificate_sample",
    "served_certificates.preview": "served_sample",
    "served_certificates.own_download": "served_certificate",
    "activity_report.download": "activity_report",
    "privacy.mine_pdf": "personal_data",
    "spj.sample": "spj_sample",
    "spj.penerimaan_pdf": "spj_penerimaan",
    "spj.honor_list_pdf": "spj_honor_list",
    "spj.honor_kuitansi_pdf": "spj_honor_kuitansi",
    "spj.tagihan_pdf": "spj_tagihan",
    "spj.kontribusi_kuitansi_pdf": "spj_kontribusi_kuitansi",
    "spj.letter_pdf": "spj_letter",
    "spj.photos_pdf": "spj_photos",
}


def not_embedded(data: bytes, tmp_path) -> list[str]:
    """The pdffonts lines of fonts not embedded; none at all is an error too."""
    path = tmp_path / "file.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    fonts = done.stdout.splitlines()[2:]
    assert fonts, "no fonts listed"
    return [line for line in fonts if line.split()[-5] != "yes"]


@pytest.fixture
def made(app, admin):
    """One PDF of each kind, from an event with a participant, attendance and certificates."""
    event = factories.make_event("FONT24", sessions=2)
    person = factories.make_participant(event, full_name="Siti Rahmawati, S.Sos.")
    other = factories.make_participant(event, full_name="Budi Santoso")
    for participant in (person, other):
        qualify(event, participant)
    issued = issuing.issue_all(event, actor=admin).issued
    issuing.revoke(issued[1], "Data salah", actor=admin)
    db.session.commit()
    session = event.sessions[0]
    return {
        "ticket": ticket_pdf(person).getvalue(),
        "sign_in_sheet": sign_in_sheet_pdf(session, session_attendance(session)).getvalue(),
        "sign_in_sheet_empty": sign_in_sheet_pdf(session, []).getvalue(),
        "badges": badges_pdf(event, [person, other]).getvalue(),
        "badges_empty": badges_pdf(event, []).getvalue(),
        "certificate": printing.issued_pdf(issued[0]),
        "certificate_revoked": printing.issued_pdf(issued[1]),
        "certificate_sample": printing.sample_pdf(event),
        "served_sample": _served_sample(event),
        "served_certificate": _served_certificate(event, admin),
        "certificate_print_copy": printing.print_copy_pdf(event, issued[:1]),
        "activity_report": activity_report_pdf(event),
        "personal_data": personal_data_pdf(person.user),
        "spj_sample": spj_documents.sample_pdf(event),
        "spj_penerimaan": spj_pdf.penerimaan_pdf(event, spj_money.penerimaan(event)[0]),
        **_spj_documents(event),
    }


def _served_sample(event) -> bytes:
    """A narasumber's certificate as previewed before issuing."""
    team.add_contributor(
        event,
        {
            "role": "narasumber",
            "name": "Dr. Narasumber, M.Si",
            "module_id": str(event.modules[0].id),
        },
    )
    person = served.served_people(event, "narasumber")[0]
    return served.preview_pdf(event, "narasumber", person, "https://bimtek.example")


def _served_certificate(event, admin) -> bytes:
    """A narasumber's certificate as issued and signed (the file a holder downloads)."""
    person = served.served_people(event, "narasumber")[0]
    issued = served_issuing.issue_served(event, "narasumber", [person.key], actor=admin).issued
    db.session.commit()
    return printing.issued_pdf(issued[0])


def _spj_documents(event) -> dict:
    """The SPJ's documents of one honor, one paid tagihan and one letter."""
    spj_honor.save_honor(event, {"name": "Dr. Narasumber", "jp": "2", "rate_per_jp": "900000"})
    line = spj_honor.honor_lines(event)[0]
    spj_kontribusi.update_fee_settings(
        event, {"fee_per_participant": "2.500.000", "number_format": "{seq:03d}/TG/{code}"}
    )
    invoice = spj_kontribusi.issue_invoice(event, "KPU Kabupaten Kutai Timur")
    spj_kontribusi.record_payment(
        invoice, event, {"paid_on": invoice.issued_on.isoformat(), "payment_method": "tunai"}
    )
    letter = spj_letters.number_letter(event, "undangan", "KPU Kabupaten Kutai Timur")
    return {
        "spj_photos": spj_pdf.dokumentasi_pdf(event, spj_dokumentasi.photos_by_session(event)),
        "spj_letter": spj_pdf.letter_pdf(event, spj_letters.letter_text(event, letter)),
        "spj_tagihan": spj_pdf.tagihan_pdf(event, invoice),
        "spj_kontribusi_kuitansi": spj_pdf.kontribusi_kuitansi_pdf(event, invoice),
        "spj_honor_list": spj_pdf.honor_list_pdf(event, [line]),
        "spj_honor_kuitansi": spj_pdf.honor_kuitansi_pdf(event, line),
    }


def test_every_font_of_every_pdf_is_embedded(made, tmp_path):
    missing = {kind: not_embedded(data, tmp_path) for kind, data in made.items()}
    assert {kind: lines for kind, lines in missing.items() if lines} == {}


def test_every_pdf_route_is_covered(app):
    """A new route answering with a PDF must be added to PDF_ROUTES (and its maker above)."""
    pdf_routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.endswith(".pdf") or rule.rule.endswith("/pdf")
    }
    assert pdf_routes == set(PDF_ROUTES)

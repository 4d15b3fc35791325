"""The SPJ in the personal-data purge and in a person's data download (UU 27/2022): names,
NIPs, payment notes and photos go; every amount, count and agency name an auditor checks
stays the same."""

import json
from datetime import date

import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.extensions import db
from bimtek.privacy import purge
from bimtek.spj import dokumentasi, honor, kontribusi, letters, money
from bimtek.spj.letterhead import save_signature_block
from bimtek.spj.models import Honorarium, Invoice, Photo, SignatureBlock
from bimtek.storage import files
from tests.conftest import login
from tests.pdftext import pdf_text
from tests.spj.conftest import two_days  # noqa: F401
from tests.spj.helpers import jpeg_with_exif

LATER = date(2100, 1, 1)
NARASUMBER_NIP = "197001012000031001"
SIGNER_NIP = "196805051990031002"


def _spj(event, two_days):  # noqa: F811
    """Rates by origin (Andi from inside the regency), an honor, a paid tagihan with a
    note naming the payer, Andi's surat keterangan, a photo."""
    money.update_rates(
        event,
        {
            "rate_basis": "asal",
            "home_districts": "Sangatta Utara",
            "rate-transport-dalam": "100.000",
            "rate-transport-luar": "250.000",
            "rate-saku-dalam": "150.000",
            "rate-saku-luar": "150.000",
        },
    )
    honor.save_honor(
        event,
        {
            "name": "Dr. Wahyuni",
            "office": "Universitas Mulawarman",
            "nip": NARASUMBER_NIP,
            "jp": "4",
            "rate_per_jp": "900.000",
            "is_asn": "1",
            "golongan": "IV",
        },
    )
    save_signature_block(event, {"office": "Kepala Badan", "name": "Budi", "nip": SIGNER_NIP})
    kontribusi.update_fee_settings(
        event, {"fee_per_participant": "2.500.000", "number_format": "{seq:03d}/TG/{code}"}
    )
    invoice = kontribusi.issue_invoice(event, "KPU Kabupaten Kutai Timur")
    kontribusi.record_payment(
        invoice,
        event,
        {
            "paid_on": invoice.issued_on.isoformat(),
            "payment_method": "tunai",
            "payment_note": "diserahkan oleh Pak Rahmat",
        },
    )
    letters.number_letter(event, "keterangan", str(two_days["andi"].id))
    photo = dokumentasi.add_photo(event, two_days["day1"], jpeg_with_exif(), "Ibu Sari bertanya")
    db.session.commit()
    return photo.file_id


def _audit_figures(event) -> dict:
    lists = money.penerimaan(event)
    lines = honor.honor_lines(event)
    return {
        "days": [(d.day, len(d.rows), d.sum("transport"), d.sum("saku"), d.total) for d in lists],
        "honor": honor.totals(lines),
        "honor_rows": [(line.gross, line.tax, line.net) for line in lines],
        "invoices": [
            (i.institution, i.number, i.participants, i.amount, i.paid_on, i.payment_method)
            for i in db.session.scalars(sa.select(Invoice).where(Invoice.event_id == event.id))
        ],
    }


def test_the_purge_erases_the_spjs_personal_data_and_keeps_every_figure(
    event,
    two_days,  # noqa: F811
    admin,
):
    file_id = _spj(event, two_days)
    before = _audit_figures(event)
    assert before["days"][0][2] == 100_000  # Andi, from inside the regency
    outcome = purge.purge_personal_data(event, confirm_code=event.code, actor=admin, today=LATER)
    db.session.commit()
    db.session.expire_all()
    assert outcome["honoraria"] == 1 and outcome["photos"] == 1
    assert _audit_figures(event) == before
    [row] = db.session.scalars(sa.select(Honorarium).where(Honorarium.event_id == event.id))
    assert (row.name, row.nip, row.office) == ("Narasumber 1", "", "Universitas Mulawarman")
    [invoice] = db.session.scalars(sa.select(Invoice).where(Invoice.event_id == event.id))
    assert invoice.payment_note == "" and invoice.institution == "KPU Kabupaten Kutai Timur"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Photo)) == 0
    assert files.get(file_id) is None
    [signer] = db.session.scalars(sa.select(SignatureBlock))
    assert signer.nip == SIGNER_NIP  # an official signing in office: kept
    letter = db.session.scalar(sa.select(letters.Letter).where(letters.Letter.kind == "keterangan"))
    text = letters.letter_text(event, letter)
    assert dict(text.details)["Nama"] == "Andi"
    assert dict(text.details)["NIP"] == "-"


def _spj_audit(event) -> list[AuditLog]:
    return list(
        db.session.scalars(
            sa.select(AuditLog)
            .where(AuditLog.event_id == event.id, AuditLog.action.like("spj.%"))
            .order_by(AuditLog.id)
        )
    )


def test_the_purge_erases_the_spjs_personal_data_from_the_audit_log_too(
    event,
    two_days,  # noqa: F811
    admin,
):
    """The audit rows of the SPJ's changes held what the purge erased from its tables: the
    narasumber's names and NIPs (added, changed, deleted), the captions (added, deleted),
    the payment note. They go there too; every amount, count and agency name stays."""
    _spj(event, two_days)
    [wahyuni] = db.session.scalars(sa.select(Honorarium).where(Honorarium.event_id == event.id))
    other_nip = "198202022005012003"
    fields = {"office": "Dinas", "jp": "2", "rate_per_jp": "500.000", "nip": other_nip}
    bambang = honor.save_honor(event, {**fields, "name": "Ir. Bambang"})
    honor.save_honor(event, {**fields, "name": "Ir. Bambang Sutejo"}, honor=bambang)
    honor.delete_honor(bambang, event)
    honor.save_honor(
        event,
        {
            "name": "Dr. Wahyuni Lestari",
            "office": "Universitas Mulawarman",
            "nip": NARASUMBER_NIP,
            "jp": "5",
            "rate_per_jp": "900.000",
            "is_asn": "1",
            "golongan": "IV",
        },
        honor=wahyuni,
    )
    gone = dokumentasi.add_photo(event, two_days["day2"], jpeg_with_exif(), "Pak Joko memaparkan")
    dokumentasi.delete_photo(event, gone)
    db.session.commit()
    personal = [
        "Wahyuni",
        "Bambang",
        NARASUMBER_NIP,
        other_nip,
        "Ibu Sari",
        "Pak Joko",
        "Pak Rahmat",
    ]
    written = json.dumps([entry.details for entry in _spj_audit(event)])
    assert all(text in written for text in personal if text != "Pak Rahmat")
    purge.purge_personal_data(event, confirm_code=event.code, actor=admin, today=LATER)
    db.session.commit()
    db.session.expire_all()
    entries = _spj_audit(event)
    left = json.dumps([entry.details for entry in entries])
    assert [text for text in personal if text in left] == []
    by_action: dict[str, list[dict]] = {}
    for entry in entries:
        by_action.setdefault(entry.action, []).append(entry.details)
    # what the auditor checks stays: amounts, counts, agency names, the office, the rule
    [issued] = by_action["spj.invoice_issue"]
    assert (issued["institution"], issued["amount"]) == ("KPU Kabupaten Kutai Timur", 7_500_000)
    [paid] = by_action["spj.invoice_paid"]
    assert (paid["amount"], paid["method"]) == (7_500_000, "tunai")
    first_add = by_action["spj.honor_add"][0]["changes"]
    assert first_add["jp"] == [None, 4] and first_add["rate_per_jp"] == [None, 900_000]
    assert first_add["office"] == [None, "Universitas Mulawarman"]
    assert first_add["name"] == [None, "Narasumber 1"]  # as the honor table now names it
    [deleted] = by_action["spj.honor_delete"]
    assert (deleted["jp"], deleted["rate_per_jp"]) == (2, 500_000)
    assert [d["bytes"] > 0 for d in by_action["spj.photo_add"]] == [True, True]
    [signer] = by_action["spj.signature_add"]
    assert signer["name"] == "Budi"  # an official signing in office: kept
    assert by_action["spj.rates"][0]["changes"]  # the rates, as they were
    [purged] = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "privacy.purge"))
    assert purged.details["honoraria"] == 1 and purged.details["photos"] == 1


def test_a_persons_download_holds_their_money_and_statements(client, event, two_days):  # noqa: F811
    _spj(event, two_days)
    andi = two_days["andi"]
    letter = letters.numbered(event)[("keterangan", str(andi.id))]
    login(client, andi.nik)
    data = json.loads(client.get("/portal/data-saya.json").data)
    [registration] = data["registrations"]
    spj = registration["spj"]
    assert [(r["day"], r["transport"], r["saku"], r["total"]) for r in spj["received"]] == [
        (event.start_date.isoformat(), 100_000, 150_000, 250_000),
        (two_days["day2"].local_day.isoformat(), 100_000, 150_000, 250_000),
    ]
    assert spj["statements"] == [
        {"number": letter.number, "issued_on": letter.issued_on.isoformat()}
    ]
    text = pdf_text(client.get("/portal/data-saya.pdf").data)
    assert "Rp 250.000" in text and letter.number in text

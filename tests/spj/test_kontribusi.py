"""Kontribusi per agency: numbered tagihan, payment, kuitansi once paid, who still owes."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput
from bimtek.extensions import db
from bimtek.spj import kontribusi
from bimtek.spj.locking import EventLocked
from bimtek.spj.models import Invoice
from bimtek.spj.rupiah import format_rupiah, terbilang
from tests import factories
from tests.spj.helpers import check_pdf

SETTINGS = {"fee_per_participant": "2.500.000", "number_format": "{seq:03d}/TG/{code}/{year}"}


@pytest.fixture
def agencies(event):
    for _n in range(3):
        factories.make_participant(event, institution="KPU Kabupaten Kutai Timur")
    factories.make_participant(event, institution="Bawaslu  Kutai Timur ")  # spaces normalised
    factories.make_participant(event, institution="Bawaslu Kutai Timur")
    cancelled = factories.make_participant(event, institution="Polres Kutai Timur")
    cancelled.status = "cancelled"
    db.session.commit()
    kontribusi.update_fee_settings(event, SETTINGS)
    return event


def test_agencies_count_registered_participants_only(agencies):
    counts = {a.institution: a.participants for a in kontribusi.agencies(agencies)}
    assert counts == {"Bawaslu Kutai Timur": 2, "KPU Kabupaten Kutai Timur": 3}


def test_a_tagihan_is_numbered_in_sequence_and_never_twice(agencies, manager):
    first = kontribusi.issue_invoice(agencies, "KPU Kabupaten Kutai Timur", actor=manager)
    second = kontribusi.issue_invoice(agencies, "Bawaslu Kutai Timur", actor=manager)
    year = first.issued_on.year
    assert (first.number, second.number) == (f"001/TG/UJI24/{year}", f"002/TG/UJI24/{year}")
    assert (first.amount, second.amount) == (7_500_000, 5_000_000)
    with pytest.raises(Conflict) as refused:
        kontribusi.issue_invoice(agencies, "KPU Kabupaten Kutai Timur")
    assert refused.value.code == "invoice_exists"
    with pytest.raises(InvalidInput):
        kontribusi.issue_invoice(agencies, "Polres Kutai Timur")


def test_payment_is_recorded_once_with_date_and_method(agencies, manager):
    invoice = kontribusi.issue_invoice(agencies, "KPU Kabupaten Kutai Timur")
    with pytest.raises(InvalidInput) as refused:
        kontribusi.record_payment(invoice, agencies, {"paid_on": "kemarin", "payment_method": "x"})
    assert set(refused.value.fields) == {"paid_on", "payment_method"}
    early = (invoice.issued_on - timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput):
        kontribusi.record_payment(invoice, agencies, {"paid_on": early, "payment_method": "tunai"})
    kontribusi.record_payment(
        invoice,
        agencies,
        {
            "paid_on": invoice.issued_on.isoformat(),
            "payment_method": "transfer",
            "payment_note": "BPD Kaltim 123",
        },
        actor=manager,
    )
    db.session.commit()
    with pytest.raises(Conflict):
        kontribusi.record_payment(
            invoice, agencies, {"paid_on": invoice.issued_on.isoformat(), "payment_method": "tunai"}
        )
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "spj.invoice_paid"))
    assert entry.details["amount"] == 7_500_000


def test_who_still_owes(agencies):
    invoice = kontribusi.issue_invoice(agencies, "KPU Kabupaten Kutai Timur")
    items = kontribusi.agencies(agencies)
    assert [a.institution for a in items if a.owes] == [
        "Bawaslu Kutai Timur",
        "KPU Kabupaten Kutai Timur",
    ]
    kontribusi.record_payment(
        invoice, agencies, {"paid_on": invoice.issued_on.isoformat(), "payment_method": "tunai"}
    )
    items = kontribusi.agencies(agencies)
    assert [a.institution for a in items if a.owes] == ["Bawaslu Kutai Timur"]
    assert kontribusi.summary(items) == {
        "billed": 7_500_000,
        "paid": 7_500_000,
        "unpaid": 0,
        "owing": 1,
    }


def test_bad_settings_are_refused(event):
    with pytest.raises(InvalidInput) as refused:
        kontribusi.update_fee_settings(event, {"fee_per_participant": "1,5", "number_format": "x"})
    assert set(refused.value.fields) == {"fee_per_participant", "number_format"}


def test_a_locked_event_takes_kontribusi_changes_only_as_corrections(agencies, manager):
    agencies.closed_at = utcnow()
    db.session.commit()
    with pytest.raises(EventLocked):
        kontribusi.issue_invoice(agencies, "KPU Kabupaten Kutai Timur")
    db.session.rollback()
    invoice = kontribusi.issue_invoice(
        agencies, "KPU Kabupaten Kutai Timur", {"reason": "Tagihan susulan"}, actor=manager
    )
    assert invoice.number
    with pytest.raises(EventLocked):
        kontribusi.update_fee_settings(agencies, SETTINGS)


def _paid_entries():
    return list(
        db.session.scalars(
            sa.select(AuditLog)
            .where(AuditLog.action.like("spj.invoice_paid%"))
            .order_by(AuditLog.id)
        )
    )


def test_a_payment_received_after_the_event_is_recorded_without_a_reason(agencies, manager):
    """Agencies pay after the Bimtek: recording a payment is a new fact, not a correction,
    on an event past its last day or closed; recording it again still is refused."""
    kpu = kontribusi.issue_invoice(agencies, "KPU Kabupaten Kutai Timur")
    bawaslu = kontribusi.issue_invoice(agencies, "Bawaslu Kutai Timur")
    db.session.commit()
    agencies.start_date -= timedelta(days=30)  # past its last day
    agencies.end_date -= timedelta(days=30)
    db.session.commit()
    assert agencies.locked() and agencies.closed_at is None
    paid = {"paid_on": kpu.issued_on.isoformat(), "payment_method": "transfer"}
    kontribusi.record_payment(kpu, agencies, paid, actor=manager)
    db.session.commit()
    agencies.closed_at = utcnow()
    db.session.commit()
    kontribusi.record_payment(bawaslu, agencies, {**paid, "payment_method": "tunai"})
    db.session.commit()
    assert (kpu.paid_on, bawaslu.paid_on) == (kpu.issued_on, bawaslu.issued_on)
    entries = _paid_entries()
    assert [e.action for e in entries] == ["spj.invoice_paid", "spj.invoice_paid"]
    assert ["reason" in e.details for e in entries] == [False, False]
    with pytest.raises(Conflict) as refused:
        kontribusi.record_payment(kpu, agencies, {**paid, "reason": "Salah tanggal"})
    assert refused.value.code == "already_paid"


def test_the_locked_page_asks_no_reason_to_record_a_payment(agencies, manager, manager_client):
    code = agencies.code
    kontribusi.issue_invoice(agencies, "KPU Kabupaten Kutai Timur")
    agencies.closed_at = utcnow()
    db.session.commit()
    page = manager_client.get(f"/admin/kegiatan/{code}/spj/kontribusi").get_data(as_text=True)
    forms = re.findall(r"<form [^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", page, re.S)
    asks_reason = {
        action.rsplit("/", 1)[-1]: 'name="reason"' in body
        for action, body in forms
        if "/spj/kontribusi/" in action
    }
    assert asks_reason == {"bayar": False, "tagihan": True, "pengaturan": True}
    invoice = kontribusi.agencies(agencies)[1].invoice
    answer = manager_client.post(
        f"/admin/kegiatan/{code}/spj/kontribusi/{invoice.id}/bayar",
        data={"paid_on": invoice.issued_on.isoformat(), "payment_method": "transfer"},
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).paid_on == invoice.issued_on
    [entry] = _paid_entries()
    assert entry.action == "spj.invoice_paid" and entry.actor_id == manager.id
    refused = manager_client.post(
        f"/admin/kegiatan/{code}/spj/kontribusi/tagihan",
        data={"institution": "Bawaslu Kutai Timur"},
    )
    assert refused.status_code == 422  # a new tagihan on a locked event is still a correction


def test_the_pages_and_the_pdfs_agree(agencies, manager_client, tmp_path):
    code = agencies.code
    answer = manager_client.post(
        f"/admin/kegiatan/{code}/spj/kontribusi/tagihan",
        data={"institution": "KPU Kabupaten Kutai Timur"},
    )
    assert answer.status_code == 302
    invoice = kontribusi.agencies(agencies)[1].invoice
    not_yet = manager_client.get(f"/admin/kegiatan/{code}/spj/kontribusi/{invoice.id}/kuitansi.pdf")
    assert not_yet.status_code == 409
    refused = manager_client.post(
        f"/admin/kegiatan/{code}/spj/kontribusi/{invoice.id}/bayar", data={"paid_on": ""}
    )
    assert refused.status_code == 422
    manager_client.post(
        f"/admin/kegiatan/{code}/spj/kontribusi/{invoice.id}/bayar",
        data={"paid_on": invoice.issued_on.isoformat(), "payment_method": "transfer"},
    )
    page = manager_client.get(f"/admin/kegiatan/{code}/spj/kontribusi").get_data(as_text=True)
    assert format_rupiah(7_500_000) in page and invoice.number in page
    for kind in ("tagihan", "kuitansi"):
        data = manager_client.get(f"/admin/kegiatan/{code}/spj/kontribusi/{invoice.id}/{kind}.pdf")
        check_pdf(data.data, tmp_path, kind)
        text = "".join(p.extract_text() for p in PdfReader(tmp_path / f"{kind}.pdf").pages)
        assert format_rupiah(7_500_000) in text
        assert terbilang(7_500_000) in text

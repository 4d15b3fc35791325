"""Rates and the daftar penerimaan: rules without HTTP, the locked event's corrections, and
the same totals on the page and in the PDF."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.spj import money, pdf
from bimtek.spj.locking import EventLocked
from bimtek.spj.rupiah import format_rupiah, terbilang
from tests.spj.helpers import check_pdf

FLAT = {"rate-transport-": "100.000", "rate-saku-": "150000", "rate-harian-": ""}


def _by_name(day_list):
    return {row.participant.full_name: row for row in day_list.rows}


def test_one_rate_for_everyone_paid_for_each_day_present(two_days, event, manager):
    money.update_rates(event, FLAT, actor=manager)
    day1, day2 = money.penerimaan(event)
    assert set(_by_name(day1)) == {"Andi"}  # Citra was izin: not paid
    assert set(_by_name(day2)) == {"Andi", "Budi"}  # terlambat is present
    assert _by_name(day1)["Andi"].total == 250_000
    assert day2.total == 500_000
    assert (day2.sum("transport"), day2.sum("saku"), day2.sum("harian")) == (200_000, 300_000, 0)


def test_transport_once_is_paid_on_the_first_day_attended(two_days, event, manager):
    money.update_rates(event, {**FLAT, "transport_per_day": "0"}, actor=manager)
    day1, day2 = money.penerimaan(event)
    rows = _by_name(day2)
    assert _by_name(day1)["Andi"].transport == 100_000
    assert rows["Andi"].transport == 0  # already paid on day one
    assert rows["Budi"].transport == 100_000  # day two is Budi's first


def test_rates_by_category_and_by_origin(two_days, event, manager):
    money.update_rates(
        event,
        {"rate_basis": "kategori", "rate-saku-kpu": "100000", "rate-saku-polri": "200000"},
        actor=manager,
    )
    rows = _by_name(money.penerimaan(event)[1])
    assert (rows["Andi"].saku, rows["Budi"].saku) == (100_000, 200_000)
    money.update_rates(
        event,
        {
            "rate_basis": "asal",
            "home_districts": "Sangatta  Utara\nBengalon",
            "rate-transport-dalam": "50.000",
            "rate-transport-luar": "300.000",
        },
        actor=manager,
    )
    rows = _by_name(money.penerimaan(event)[1])
    assert (rows["Andi"].transport, rows["Budi"].transport) == (50_000, 300_000)
    # rates of the basis left behind are gone, not silently kept
    assert ("saku", "kpu") not in money.rates(event)


def test_a_bad_amount_is_refused_with_nothing_written(two_days, event, manager):
    with pytest.raises(InvalidInput) as refused:
        money.update_rates(event, {"rate-saku-": "150.000,50", "rate-transport-": "-1"})
    assert set(refused.value.fields) == {"rate-saku-", "rate-transport-"}
    db.session.rollback()
    assert money.rates(event) == {}


def test_every_change_of_rates_is_audited_with_before_and_after(two_days, event, manager):
    money.update_rates(event, FLAT, actor=manager)
    money.update_rates(event, {**FLAT, "rate-saku-": "175.000"}, actor=manager)
    db.session.commit()
    last = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "spj.rates").order_by(AuditLog.id.desc())
    ).first()
    assert last.details["changes"] == {"saku:": [150_000, 175_000]}
    assert last.actor_id == manager.id


def test_a_locked_event_changes_rates_only_by_a_correction_with_a_reason(two_days, event, manager):
    money.update_rates(event, FLAT, actor=manager)
    event.closed_at = utcnow()
    db.session.commit()
    with pytest.raises(EventLocked) as refused:
        money.update_rates(event, {**FLAT, "rate-saku-": "1"}, actor=manager)
    assert refused.value.code == "event_locked"
    db.session.rollback()
    assert money.rates(event)[("saku", "")] == 150_000
    money.update_rates(
        event, {**FLAT, "rate-saku-": "160.000", "reason": "Salah ketik SK"}, actor=manager
    )
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "spj.rates_correction"))
    assert entry.details["reason"] == "Salah ketik SK"


def test_an_event_past_its_last_day_is_locked_too(two_days, event, manager):
    later = utcnow() + timedelta(days=30)
    with pytest.raises(EventLocked):
        money.update_rates(event, FLAT, actor=manager, now=later)


def test_the_same_totals_on_the_page_and_in_the_pdf(
    two_days, event, manager, manager_client, tmp_path
):
    money.update_rates(event, FLAT, actor=manager)
    db.session.commit()
    day2 = money.penerimaan(event)[1]
    page = manager_client.get(f"/admin/kegiatan/{event.code}/spj/uang").get_data(as_text=True)
    assert format_rupiah(day2.total) in page
    assert terbilang(750_000) in page  # both days together
    answer = manager_client.get(f"/admin/kegiatan/{event.code}/spj/penerimaan/2.pdf")
    assert answer.status_code == 200
    check_pdf(answer.data, tmp_path, "penerimaan")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "penerimaan.pdf").pages)
    assert format_rupiah(day2.total) in text
    assert "Lima ratus ribu rupiah" in text
    assert (
        manager_client.get(f"/admin/kegiatan/{event.code}/spj/penerimaan/9.pdf").status_code == 404
    )


def test_the_locked_page_asks_for_a_reason(two_days, event, manager_client):
    event.closed_at = utcnow()
    db.session.commit()
    page = manager_client.get(f"/admin/kegiatan/{event.code}/spj/uang").get_data(as_text=True)
    assert "Alasan koreksi" in page
    answer = manager_client.post(f"/admin/kegiatan/{event.code}/spj/uang", data={"rate-saku-": "1"})
    assert answer.status_code == 422


def test_a_day_list_of_many_pages_prints(two_days, event, manager, tmp_path):
    money.update_rates(event, FLAT, actor=manager)
    day = money.penerimaan(event)[1]
    day.rows = day.rows * 40
    check_pdf(pdf.penerimaan_pdf(event, day), tmp_path, "long")

"""Honor narasumber: PPh 21 by the rule for the person, its rounding, the locked event's
corrections, and the same totals on the page, in the list and on the kuitansi."""

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.spj import honor
from bimtek.spj.locking import EventLocked
from bimtek.spj.rupiah import format_rupiah, terbilang
from tests import factories
from tests.spj.helpers import check_pdf


def _add(event, **data):
    values = {"name": "Narasumber", "jp": "2", "rate_per_jp": "900.000", **data}
    return honor.save_honor(event, values)


@pytest.mark.parametrize(
    ("golongan", "tax"),
    [("I", 0), ("II", 0), ("III", 90_000), ("IV", 270_000)],
)
def test_asn_are_taxed_by_golongan_under_pmk_262(event, golongan, tax):
    _add(event, is_asn="1", golongan=golongan, nip="196801011990031005")
    line = honor.honor_lines(event)[0]
    assert line.gross == 1_800_000
    assert (line.tax, line.net) == (tax, 1_800_000 - tax)
    assert line.source == "PMK 262/PMK.03/2010"
    assert line.rule == f"ASN golongan {golongan}"


def test_others_are_taxed_at_the_configurable_rate_under_pmk_168(event, manager):
    _add(event)
    line = honor.honor_lines(event)[0]
    assert (line.basis_points, line.tax, line.net) == (250, 45_000, 1_755_000)
    assert line.source.startswith("PMK 168 Tahun 2023")
    honor.update_honor_settings(
        event,
        {
            "bp_gol_i": "0",
            "bp_gol_ii": "0",
            "bp_gol_iii": "5",
            "bp_gol_iv": "15",
            "bp_non_asn": "3",
            "source_asn": "PMK 262/PMK.03/2010",
            "source_non_asn": "PMK 168 Tahun 2023, TER",
        },
        actor=manager,
    )
    line = honor.honor_lines(event)[0]
    assert (line.tax, line.source) == (54_000, "PMK 168 Tahun 2023, TER")


@pytest.mark.parametrize(
    ("gross", "basis_points", "tax"),
    [
        (1_800_000, 500, 90_000),
        (333_333, 500, 16_666),  # 16,666.65 → down
        (333_339, 250, 8_333),  # 8,333.475 → down, never 8,334
        (1, 1500, 0),  # 0.15 → 0
        (7, 1500, 1),  # 1.05 → 1
        (999_999_999_999, 1500, 149_999_999_999),
    ],
)
def test_the_tax_is_rounded_down_to_a_whole_rupiah(gross, basis_points, tax):
    assert honor.withheld(gross, basis_points) == tax


def test_gross_is_tax_plus_net_on_every_line_and_in_the_totals(event):
    for n, (jp, rate, gol) in enumerate(
        [(3, "333.333", "III"), (1, "777.777", "IV"), (2, "5", "")]
    ):
        _add(
            event,
            name=f"N{n}",
            jp=str(jp),
            rate_per_jp=rate,
            is_asn="1" if gol else "",
            golongan=gol,
        )
    lines = honor.honor_lines(event)
    assert all(line.gross == line.tax + line.net for line in lines)
    sums = honor.totals(lines)
    assert sums["gross"] == sums["tax"] + sums["net"]


@pytest.mark.parametrize("raw", ["2.5", "2,5", "2,50", "2.5%"])
def test_percent_is_read_with_a_comma_or_a_dot(raw):
    assert honor._percent_to_bp(raw) == 250


@pytest.mark.parametrize("raw", ["", "x", "101", "2.555", "-1"])
def test_bad_percent_is_refused(raw):
    assert honor._percent_to_bp(raw) is None


def test_an_asn_needs_a_golongan_and_amounts_are_whole(event):
    with pytest.raises(InvalidInput) as refused:
        _add(event, is_asn="1", rate_per_jp="900.000,50", jp="0")
    assert set(refused.value.fields) == {"golongan", "rate_per_jp", "jp"}


def test_a_module_of_another_event_is_refused(event):

    other = factories.make_event("LAIN24")
    with pytest.raises(InvalidInput) as refused:
        _add(event, module_id=str(other.modules[0].id))
    assert "module_id" in refused.value.fields


def test_a_locked_event_changes_honor_only_by_a_correction(event, manager):
    row = _add(event)
    event.closed_at = utcnow()
    db.session.commit()
    with pytest.raises(EventLocked):
        honor.save_honor(event, {"name": "X", "jp": "1", "rate_per_jp": "1"}, honor=row)
    with pytest.raises(EventLocked):
        honor.delete_honor(row, event)
    db.session.rollback()
    honor.save_honor(
        event,
        {"name": "Narasumber", "jp": "3", "rate_per_jp": "900000", "reason": "JP salah"},
        honor=row,
        actor=manager,
    )
    db.session.commit()
    entry = db.session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "spj.honor_change_correction")
    )
    assert entry.details["reason"] == "JP salah"
    assert entry.details["changes"] == {"jp": [2, 3]}


def test_the_same_totals_on_the_page_in_the_list_and_on_the_kuitansi(
    event, manager_client, tmp_path
):
    row = _add(event, is_asn="1", golongan="IV", nip="196801011990031005", office="Kepala")
    _add(event, name="Tokoh", jp="1", rate_per_jp="500.000")
    db.session.commit()
    lines = honor.honor_lines(event)
    sums = honor.totals(lines)
    page = manager_client.get(f"/admin/kegiatan/{event.code}/spj/honor").get_data(as_text=True)
    for value in (sums["gross"], sums["tax"], sums["net"]):
        assert format_rupiah(value) in page
    assert terbilang(sums["net"]) in page
    listed = manager_client.get(f"/admin/kegiatan/{event.code}/spj/honor/daftar.pdf")
    check_pdf(listed.data, tmp_path, "honor-list")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "honor-list.pdf").pages)
    assert format_rupiah(sums["net"], prefix=False) in text
    assert "PMK 262/PMK.03/2010" in text and "PMK 168 Tahun 2023" in text
    receipt = manager_client.get(f"/admin/kegiatan/{event.code}/spj/honor/{row.id}/kuitansi.pdf")
    check_pdf(receipt.data, tmp_path, "kuitansi")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "kuitansi.pdf").pages)
    line = next(line for line in lines if line.honor.id == row.id)
    assert format_rupiah(line.net) in text
    assert "Satu juta lima ratus tiga puluh ribu rupiah" in text  # 1.800.000 − 15 %


def test_the_pages_refuse_bad_input_with_422(event, manager_client):
    answer = manager_client.post(
        f"/admin/kegiatan/{event.code}/spj/honor/simpan", data={"name": "", "jp": "x"}
    )
    assert answer.status_code == 422
    answer = manager_client.post(
        f"/admin/kegiatan/{event.code}/spj/honor/pph", data={"bp_gol_i": "abc"}
    )
    assert answer.status_code == 422
    assert honor.honor_lines(event) == []

"""Exports and the dashboard over attendance, assessments and certificates (busy_event)."""

import io
from datetime import datetime, time, timedelta

import openpyxl

from bimtek.certificates.issuing import issue, revoke
from bimtek.certificates.queries import active_certificate
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.reports import dashboard, exports
from bimtek.staff.assignments import assign_staff
from tests.reports.conftest import rows_of


def test_attendance_recap_sheets(busy_event):
    evening = busy_event.at(23, 0)
    content, _name = exports.export_workbook(busy_event, "kehadiran", now=evening)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Rekap kehadiran", "Kehadiran per sesi"]
    recap = book["Rekap kehadiran"]
    header = [c.value for c in recap[4]]
    assert header[:4] == ["No. registrasi", "Nama lengkap", "Instansi", "Kategori instansi"]
    assert header[4].endswith("08:00)") and header[5].endswith("10:00)")
    assert header[6:] == ["Hadir", "Terlambat", "Izin", "Sakit", "Alpa", "Sesi wajib", "Kehadiran"]
    assert recap.freeze_panes == "A5" and recap.auto_filter.ref == "A4:M7"
    data = {row[1]: row[4:13] for row in rows_of(recap)[:3]}
    # the waitlisted Dedi is not in the recap; sessions over at 23:00: no row = alpa
    assert data == {
        "Ani": ["Hadir", "Hadir", 2, 0, 0, 0, 0, 2, 1.0],
        "Budi": ["Terlambat", "Alpa", 0, 1, 0, 0, 1, 2, 0.5],
        "Citra": ["Izin", "Alpa", 0, 0, 1, 0, 1, 2, 0.0],
    }
    assert recap["M5"].number_format == "0.0%"
    per_session = book["Kehadiran per sesi"]
    first, second = rows_of(per_session)[:2]
    assert first[1] == datetime.combine(busy_event.local(evening).date(), time(0))
    assert first[2] == time(8, 0) and per_session["C5"].number_format == "hh:mm"
    assert first[6:13] == [3, 1, 1, 1, 0, 0, 2 / 3]
    assert second[6:13] == [3, 1, 0, 0, 0, 2, 1 / 3]


def test_assessment_results_sheets(busy_event):
    content, _name = exports.export_workbook(busy_event, "nilai")
    book = openpyxl.load_workbook(io.BytesIO(content))
    results = book["Hasil pre-post test"]
    data = {row[1]: row[5:10] for row in rows_of(results)}
    # Ani: g = (70-40)/(100-40) = 0.5 sedang; Budi: (50-60)/40 = -0.25 rendah
    assert data["Ani"] == [40, 70, 30, 0.5, "Sedang"]
    assert data["Budi"] == [60, 50, -10, -0.25, "Rendah"]
    assert data["Citra"][:4] == [None, None, None, None]
    assert isinstance(data["Ani"][0], int | float)
    assert results["I5"].number_format == "0.000"
    summary = book["Ringkasan gain"]
    whole = rows_of(summary)[0]
    # means 50 → 60: <g> = 10/50 = 0.2; mean of g = (0.5 - 0.25)/2 = 0.125; one negative
    assert whole[0] == "Seluruh peserta"
    assert whole[2:10] == [2, 50, 60, 0.2, 0.125, "Rendah", 1, 0]


def test_certificate_register_sheet(busy_event):
    content, _name = exports.export_workbook(busy_event, "sertifikat")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Register sertifikat"]
    assert [c.value for c in sheet[4]] == [
        "Urut",
        "Nomor sertifikat",
        "Nama pada sertifikat",
        "Peran",
        "No. registrasi",
        "Instansi",
        "Kategori instansi",
        "JP",
        "Diterbitkan",
        "Diterbitkan oleh",
        "Status",
        "Dicabut",
        "Alasan pencabutan",
        "Kode verifikasi",
        "Tautan verifikasi",
    ]
    (row,) = rows_of(sheet)
    assert row[0] == 1 and row[1].startswith("001/BIMTEK-RAMAI/")
    assert row[2] == "Ani" and row[3] == "Peserta" and row[4] == "RAMAI-0001"
    assert row[6] == "KPU"
    assert isinstance(row[8], datetime) and sheet["I5"].number_format == "dd/mm/yyyy hh:mm"
    assert row[9] == "Admin Uji" and row[10] == "Berlaku"
    assert row[11] is None and row[12] is None
    code = row[13]
    assert len(code) >= 10 and row[14] == f"http://bimtek.test/verify/{code}"


def test_certificate_register_keeps_revoked_numbers(busy_event, admin):

    ani = db.session.scalar(db.select(Participant).where(Participant.full_name == "Ani"))
    first = active_certificate(ani)
    revoke(first, "=salah nama", actor=admin)
    second = issue(ani, actor=admin)
    db.session.commit()
    content, _name = exports.export_workbook(busy_event, "sertifikat")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Register sertifikat"]
    old, new = rows_of(sheet)
    assert (old[1], old[10], old[12]) == (first.number, "Dicabut", "'=salah nama")
    assert isinstance(old[11], datetime)
    assert (new[0], new[1], new[10], new[11]) == (2, second.number, "Berlaku", None)


def test_everything_in_one_workbook(busy_event):
    content, name = exports.export_workbook(busy_event, "semua")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert name.startswith("RAMAI-semua-")
    assert book.sheetnames == [
        "Peserta",
        "Rekap kehadiran",
        "Kehadiran per sesi",
        "Hasil pre-post test",
        "Ringkasan tes",
        "Ringkasan gain",
        "Butir soal pre",
        "Butir soal post",
        "Register sertifikat",
        "Evaluasi",
        "Saran evaluasi",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A5"
        assert all(cell.font.b for cell in sheet[4] if cell.value)


def test_dashboard_panels(busy_event):
    data = dashboard.overview(busy_event)
    registration = data["registration"]
    assert registration["counts"] == {"registered": 3, "waitlisted": 1, "cancelled": 0}
    assert registration["seats_left"] == 0 and registration["fill_percent"] == 100
    assert [(c["label"], c["registered"], c["waitlisted"]) for c in registration["categories"]] == [
        ("KPU", 2, 0),
        ("Polri", 1, 0),
        ("TNI", 0, 1),
    ]
    first, second = data["attendance"]["sessions"]
    assert (first["counts"]["checked_in"], first["counts"]["izin"]) == (2, 1)
    assert second["counts"]["checked_in"] == 1
    assert len(data["today"]) == 2
    tests = data["assessments"]
    assert (tests["pre_taken"], tests["post_taken"], tests["pairs"]) == (2, 2, 2)
    assert (tests["mean_pre"], tests["mean_post"]) == (50, 60)
    assert round(tests["g_of_means"], 3) == 0.2 and round(tests["mean_g"], 3) == 0.125
    assert tests["negative"] == 1
    certificates = data["certificates"]
    assert (certificates["issued"], certificates["to_issue"], certificates["not_eligible"]) == (
        1,
        1,
        1,
    )


def test_dashboard_page_and_live_json(admin_client, busy_event):
    page = admin_client.get("/admin/kegiatan/RAMAI/ringkasan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Pendaftaran", "Per kategori instansi", "Sesi hari ini", "Kehadiran per sesi"):
        assert text in html
    assert 'class="gain">0,2 ' in html and 'class="gain">0,125' in html  # Indonesian decimals
    assert 'href="/admin/kegiatan/RAMAI/ekspor/semua.xlsx"' in html
    assert "style=" not in html and "<script>" not in html
    live = admin_client.get("/admin/kegiatan/RAMAI/ringkasan/langsung.json").get_json()
    assert live["counts"]["registered"] == 3 and live["seats_left"] == 0
    assert [s["counts"]["checked_in"] for s in live["sessions"]] == [2, 1]
    assert live["sessions"][0]["counts"]["expected"] == 3


def test_dashboard_of_an_empty_event(admin_client, event):
    page = admin_client.get("/admin/kegiatan/UJI24/ringkasan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Belum ada pendaftar." in html
    assert "Belum ada yang mengerjakan pre-test" in html


def test_panitia_is_sent_to_the_desk_not_the_dashboard(panitia_client, panitia, busy_event):
    assert panitia_client.get("/admin/kegiatan/RAMAI/ringkasan").status_code == 404
    assign_staff(busy_event, panitia, "panitia")
    db.session.commit()
    assert panitia_client.get("/admin/kegiatan/RAMAI/ringkasan").status_code == 403
    listing = panitia_client.get("/admin/").get_data(as_text=True)
    assert 'href="/kegiatan/RAMAI/check-in"' in listing and "ringkasan" not in listing
    desk = panitia_client.get("/kegiatan/RAMAI/check-in").get_data(as_text=True)
    assert "/ringkasan" not in desk and "/sertifikat" not in desk and "/peserta" in desk


def test_registration_timeline_fills_gaps(busy_event):

    people = db.session.scalars(db.select(Participant).order_by(Participant.id)).all()
    people[0].created_at = people[0].created_at - timedelta(days=3)
    db.session.commit()
    timeline = dashboard.registration_panel(busy_event)["timeline"]
    assert timeline["days"] == 4 and timeline["peak"] == 3
    assert [c.value for c in timeline["columns"]] == [1, 0, 0, 3]

"""The desk page and its JSON endpoints, the recap, the PDFs and the participant's page."""

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from bimtek.attendance import checkin, queries
from bimtek.attendance.models import Attendance
from bimtek.attendance.pdf import sign_in_sheet_pdf
from bimtek.extensions import db
from bimtek.staff.assignments import assign_staff
from tests import factories
from tests.conftest import login
from tests.pdftext import decode_qr, pdf_pages, pdf_text


def desk_url(event, session, action):
    return f"/kegiatan/{event.code}/check-in/{session.id}/{action}"


def test_desk_needs_staff(client, event, person):
    assert client.get(f"/kegiatan/{event.code}/check-in").status_code == 302
    login(client, person.nik)
    assert client.get(f"/kegiatan/{event.code}/check-in").status_code == 403
    answer = client.post(desk_url(event, event.sessions[0], "scan"), json={"code": "X"})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "forbidden"


def test_desk_json_without_login_is_401_json(client, event):
    answer = client.post(desk_url(event, event.sessions[0], "scan"), json={"code": "X"})
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"


def test_desk_page_picks_a_session(panitia_client, event):
    s1, s2 = event.sessions
    page = panitia_client.get(f"/kegiatan/{event.code}/check-in")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="scan-input"' in html and 'name="csrf-token"' in html
    chosen = panitia_client.get(f"/kegiatan/{event.code}/check-in?sesi={s2.id}")
    assert f'data-session-id="{s2.id}"' in chosen.get_data(as_text=True)
    assert "terlambat setelah 10.15" in chosen.get_data(as_text=True)
    running = queries.is_running(s2)
    assert ("tidak sedang berlangsung" in chosen.get_data(as_text=True)) is not running
    junk = panitia_client.get(f"/kegiatan/{event.code}/check-in?sesi=abc")
    assert junk.status_code == 200
    other = factories.make_event("LAIN24")
    foreign = panitia_client.get(f"/kegiatan/{event.code}/check-in?sesi={other.sessions[0].id}")
    assert f'data-session-id="{other.sessions[0].id}"' not in foreign.get_data(as_text=True)
    assert panitia_client.get("/kegiatan/TIDAKADA/check-in").status_code == 404


def test_desk_without_sessions(panitia_client, panitia):
    event = factories.make_event("KOSONG", sessions=0)
    assign_staff(event, panitia, "panitia")
    db.session.commit()
    page = panitia_client.get(f"/kegiatan/{event.code}/check-in")
    assert page.status_code == 200
    assert "belum punya sesi" in page.get_data(as_text=True)


def test_desk_scan_search_excuse_undo(panitia_client, event, session, person):
    other = factories.make_participant(event, full_name="Rahmat Hidayat")
    scan = panitia_client.post(
        desk_url(event, session, "scan"), json={"code": person.ticket_code, "scan_id": "t-1"}
    )
    assert scan.status_code == 201
    body = scan.get_json()
    assert body["counts"]["checked_in"] == 1 and body["counts"]["expected"] == 2
    assert body["recent"][0]["participant"]["full_name"] == "Siti Aminah"
    scan_url = desk_url(event, session, "scan")
    repeat = panitia_client.post(scan_url, json={"code": person.ticket_code})
    assert repeat.status_code == 200 and repeat.get_json()["already"] is True

    found = panitia_client.get(desk_url(event, session, "search") + "?q=rahmat").get_json()
    assert [r["participant"]["id"] for r in found["results"]] == [other.id]
    assert found["results"][0]["attendance"] is None
    by_number = panitia_client.get(desk_url(event, session, "search") + "?q=UJI24-0001").get_json()
    assert by_number["results"][0]["attendance"]["status"] in ("hadir", "terlambat")
    assert panitia_client.get(desk_url(event, session, "search") + "?q=a").get_json() == {
        "results": []
    }

    excuse = panitia_client.post(
        desk_url(event, session, "excuse"),
        json={"participant_id": other.id, "status": "izin", "note": "Surat tugas"},
    )
    assert excuse.status_code == 200
    assert excuse.get_json()["counts"]["izin"] == 1
    refused = panitia_client.post(
        desk_url(event, session, "excuse"),
        json={"participant_id": person.id, "status": "izin", "note": "x"},
    )
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "already_present"

    undo = panitia_client.post(desk_url(event, session, "undo"), json={"participant_id": person.id})
    assert undo.status_code == 200
    assert undo.get_json()["counts"]["checked_in"] == 0
    status = panitia_client.get(desk_url(event, session, "status")).get_json()
    assert status["counts"]["izin"] == 1 and status["counts"]["checked_in"] == 0

    picked = panitia_client.post(scan_url, json={"participant_id": person.id})
    assert picked.status_code == 201
    row = db.session.scalar(sa.select(Attendance).where(Attendance.participant_id == person.id))
    assert row.source == "manual"


def test_desk_errors_are_json(panitia_client, event, session):
    unknown = panitia_client.post(desk_url(event, session, "scan"), json={"code": "ZZZZ"})
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "unknown_code"
    not_json = panitia_client.post(desk_url(event, session, "scan"), data="x")
    assert not_json.status_code == 422
    nobody = panitia_client.post(desk_url(event, session, "undo"), json={"participant_id": 999})
    assert nobody.status_code == 404
    text_id = panitia_client.post(desk_url(event, session, "undo"), json={"participant_id": "x"})
    assert text_id.status_code == 422 and text_id.get_json()["error"]["code"] == "wrong_type"
    other = factories.make_event("LAIN24")
    wrong_session = panitia_client.post(
        desk_url(event, other.sessions[0], "scan"), json={"code": "ZZZZ"}
    )
    assert wrong_session.status_code == 404


def _people(event, names):
    return [
        factories.make_participant(event, full_name=name, institution=f"Instansi {name}")
        for name in names
    ]


def test_sign_in_sheet_pdf(panitia_client, event, session, panitia, on_time):
    names = [f"Peserta {i:02d}" for i in range(30, 0, -1)]  # registered in reverse order
    people = _people(event, names)
    checkin.check_in(session, people[-1].ticket_code, actor=panitia, now=on_time)  # Peserta 01
    db.session.commit()
    answer = panitia_client.get(f"/kegiatan/{event.code}/sesi/{session.id}/daftar-hadir.pdf")
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    pages = len(reader.pages)
    assert pages >= 2
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 portrait
    text = pdf_text(answer.data)
    assert "DAFTAR HADIR PESERTA" in text
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    assert text.index("Peserta 01") < text.index("Peserta 02") < text.index("Peserta 30")
    assert "08.05 Hadir" in text
    assert "Panitia Pelaksana" in text
    assert "Jumlah peserta terdaftar: 30" in text


def test_sign_in_sheet_says_alpa_by_the_one_rule(event, session, panitia, on_time):
    """No row is blank while the session runs and "Alpa" once it is over
    (``queries.status_at``), in each line and in the tally."""
    ani, _budi = _people(event, ["Ani", "Budi"])
    checkin.check_in(session, ani.ticket_code, actor=panitia, now=on_time)
    rows = queries.session_attendance(session)
    during = pdf_text(sign_in_sheet_pdf(session, rows, now=on_time).read())
    after = pdf_text(sign_in_sheet_pdf(session, rows, now=session.ends_at).read())
    assert "Alpa" not in during
    assert "(Hadir 1 · Terlambat 0 · Izin 0 · Sakit 0)" in during
    assert "(Hadir 1 · Terlambat 0 · Izin 0 · Sakit 0 · Alpa 1)" in after
    assert after.count("Alpa") == 2  # Budi's line and the tally


def test_badges_pdf_has_8_per_page_and_scannable_qr(panitia_client, event, tmp_path):
    people = _people(event, [f"Dr. H. Nama Panjang Sekali Peserta {i}, M.Si" for i in range(9)])
    answer = panitia_client.get(f"/kegiatan/{event.code}/kartu-peserta.pdf")
    assert answer.status_code == 200
    reader = PdfReader(io.BytesIO(answer.data))
    assert len(reader.pages) == 2  # 8 + 1
    first_page_codes = set(decode_qr(answer.data, tmp_path))
    sorted_people = sorted(people, key=lambda p: p.full_name.lower())
    assert first_page_codes == {p.ticket_code for p in sorted_people[:8]}
    text = pdf_pages(answer.data)[0]
    assert "UJI24-0001" in text and "KPU" in text


def test_recap_page(panitia_client, event, session, panitia, on_time):
    ani, budi = _people(event, ["Ani", "Budi"])
    checkin.check_in(session, ani.ticket_code, actor=panitia, now=on_time)
    db.session.commit()
    page = panitia_client.get(f"/kegiatan/{event.code}/rekap-kehadiran")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ani" in html and "Budi" in html
    assert "50%" in html  # Ani: 1 of 2 mandatory sessions
    assert "Per kategori instansi" in html


def test_pages_need_staff(client, event, person):
    for path in (
        f"/kegiatan/{event.code}/rekap-kehadiran",
        f"/kegiatan/{event.code}/kartu-peserta.pdf",
        f"/kegiatan/{event.code}/sesi/{event.sessions[0].id}/daftar-hadir.pdf",
    ):
        assert client.get(path).status_code == 302
    login(client, person.nik)
    assert client.get(f"/kegiatan/{event.code}/rekap-kehadiran").status_code == 403


def test_my_attendance_is_only_for_that_participant(client, app, event, person, panitia):
    checkin.check_in(
        event.sessions[0], person.ticket_code, actor=panitia, now=event.sessions[0].starts_at
    )
    db.session.commit()
    path = f"/peserta/{person.id}/kehadiran"
    assert client.get(path).status_code == 302
    other = factories.make_participant(event)
    login(client, other.nik)
    assert client.get(path).status_code == 404
    assert client.get("/peserta/999999/kehadiran").status_code == 404
    client.post("/keluar")
    login(client, person.nik)
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kehadiran saya" in html and "Hadir" in html and "08.00" in html


def test_staff_cannot_open_a_participants_own_page(panitia_client, person):
    assert panitia_client.get(f"/peserta/{person.id}/kehadiran").status_code == 403

"""Checking and importing participant rows: same rules as registration, all or nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.auth.models import User
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.participants import cancellation, importing, queries, registration
from bimtek.participants.models import Participant
from bimtek.participants.uploads import ImportUpload
from tests.factories import make_event, make_participant, registration_data, valid_nik
from tests.participants.sheets import person_row, xlsx_bytes


def problems_of(report):
    return {
        (row.number, problem.field): problem.message
        for row in report.rows
        for problem in row.problems
    }


def test_valid_rows_preview_then_import(event, admin):
    rows = [person_row(full_name=f"Peserta {n}") for n in range(3)]
    rows[1][5] = "bawaslu"  # a category code is accepted too
    rows[2][3] = "Laki-laki"
    report = importing.preview_import(event, xlsx_bytes(rows))
    assert [r.number for r in report.valid] == [2, 3, 4]
    assert report.invalid == [] and report.will_register == 3 and report.will_waitlist == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0

    result = importing.import_participants(event, report, actor=admin, filename="kpu.xlsx")
    db.session.commit()
    assert (result.registered, result.waitlisted, result.skipped) == (3, 0, 0)
    people = db.session.scalars(
        sa.select(Participant).order_by(Participant.registration_number)
    ).all()
    assert [p.full_name for p in people] == ["Peserta 0", "Peserta 1", "Peserta 2"]
    assert [p.registration_number for p in people] == [1, 2, 3]
    assert people[1].institution_category == "bawaslu"
    assert people[0].phone.startswith("+628")
    assert all(p.user.password_hash is None for p in people)  # a password comes later
    summary = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "participant.import"))
    assert summary.actor_id == admin.id
    assert summary.details == {
        "file": "kpu.xlsx",
        "rows": 3,
        "registered": 3,
        "waitlisted": 0,
        "skipped": 0,
    }
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "participant.register")
    ).all()
    assert len(entries) == 3 and {e.channel for e in entries} == {"import"}


def test_every_bad_row_reason_with_row_and_column(event):
    already = make_participant(event)
    good = person_row(full_name="Baik")
    rows = [
        good,  # row 2
        person_row(nik="6408011705900"),  # 3: bad NIK (13 digits)
        person_row(nik=good[1]),  # 4: duplicate of row 2
        person_row(nik=already.nik),  # 5: already in the event
        person_row(full_name=""),  # 6: missing name
        person_row(institution_category="Partai Politik"),  # 7: unknown category
        person_row(phone="12345"),  # 8: bad phone
        person_row(nik=valid_nik(gender="P"), gender="L"),  # 9: gender against NIK
    ]
    report = importing.preview_import(event, xlsx_bytes(rows))
    found = problems_of(report)
    assert found == {
        (3, "nik"): "NIK harus 16 digit angka.",
        (4, "nik"): "NIK sama dengan baris 2 di berkas ini.",
        (5, "nik"): "NIK sudah terdaftar pada kegiatan ini (status: Terdaftar).",
        (6, "full_name"): "Nama lengkap wajib diisi.",
        (7, "institution_category"): "Pilih kategori instansi dari daftar.",
        (8, "phone"): "Nomor HP harus nomor seluler (diawali 08 atau +628).",
        (9, "gender"): (
            "Jenis kelamin tidak sesuai dengan NIK (tanggal lahir pada NIK perempuan ditambah 40)."
        ),
    }
    by_number = {row.number: row for row in report.rows}
    assert by_number[4].problems[0].column == "B (NIK)"
    assert by_number[7].problems[0].column == "F (Kategori instansi)"
    assert [row.number for row in report.valid] == [2]
    assert report.problem_counts() == {
        "nik": 3,
        "full_name": 1,
        "institution_category": 1,
        "phone": 1,
        "gender": 1,
    }


def test_a_cancelled_nik_counts_as_taken(event):
    person = make_participant(event)
    cancellation.cancel(person, actor=None)
    db.session.commit()
    report = importing.preview_import(event, xlsx_bytes([person_row(nik=person.nik)]))
    assert "status: Dibatalkan" in report.rows[0].problems[0].message


def test_lost_digits_reported_in_the_nik_column(event):
    row = person_row()
    row[1] = 6408011705900000
    report = importing.preview_import(event, xlsx_bytes([row]))
    (problem,) = report.rows[0].problems
    assert problem.column == "B (NIK)"
    assert problem.message.startswith("NIK tersimpan sebagai angka di Excel")


def test_import_beyond_capacity_goes_to_the_waitlist_in_row_order(app):
    event = make_event("PENUH", capacity=3)
    make_participant(event)
    rows = [person_row(full_name=f"P{n}") for n in range(4)]
    report = importing.preview_import(event, xlsx_bytes(rows))
    assert report.seats_left == 2
    assert [row.outcome for row in report.rows] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    result = importing.import_participants(event, report)
    db.session.commit()
    assert (result.registered, result.waitlisted) == (2, 2)
    assert queries.status_counts(event.id) == {
        "registered": 3,
        "waitlisted": 2,
        "cancelled": 0,
    }
    waiting = [p for p in result.participants if p.status == "waitlisted"]
    assert [p.full_name for p in waiting] == ["P2", "P3"]
    assert [queries.waitlist_position(p) for p in waiting] == [1, 2]


def test_all_or_nothing_when_a_row_is_taken_after_the_preview(event):
    rows = [person_row(full_name=f"P{n}") for n in range(5)]
    report = importing.preview_import(event, xlsx_bytes(rows))
    assert len(report.valid) == 5
    # between preview and confirm, the fourth person registers on their phone
    late = registration_data()
    late["nik"] = report.rows[3].clean["nik"]
    late["gender"] = report.rows[3].clean["gender"]
    registration.register(event, late)
    db.session.commit()
    with pytest.raises(importing.ImportFailed) as caught:
        importing.import_participants(event, report)
    db.session.rollback()
    assert "tidak ada peserta yang disimpan" in caught.value.message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 1
    assert registration.lock_event(event.id) == 1  # the counter was not advanced
    db.session.rollback()


def test_nothing_valid_to_import(event):
    report = importing.preview_import(event, xlsx_bytes([person_row(nik="123")]))
    with pytest.raises(InvalidInput, match="Tidak ada baris yang valid"):
        importing.import_participants(event, report)


def test_existing_account_is_linked_not_duplicated(app):
    first = make_event("A1")
    second = make_event("A2")
    person = make_participant(first)
    row = person_row(nik=person.nik, full_name=person.full_name)
    report = importing.preview_import(second, xlsx_bytes([row]))
    result = importing.import_participants(second, report)
    db.session.commit()
    assert result.participants[0].user_id == person.user_id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_format_report_lines(event):
    rows = [person_row(full_name="Andi"), person_row(phone="abc")]
    lines = importing.format_report(importing.preview_import(event, xlsx_bytes(rows)))
    assert any(line.startswith("baris     2  OK     Andi") for line in lines)
    assert any("baris     3  SALAH  kolom H (Nomor HP):" in line for line in lines)
    assert lines[-1].startswith("2 baris: 1 valid, 1 bermasalah.")


def test_upload_store_load_and_discard(event, admin, panitia):
    token = importing.store_upload(b"PK data", event=event, user=admin, filename="../x/kpu.xlsx")
    db.session.commit()
    upload = importing.load_upload(token, event=event, user=admin)
    assert upload.content == b"PK data" and upload.filename == "kpu.xlsx"
    other = make_event("LAIN")
    for wrong in (
        {"token": token, "event": other, "user": admin},
        {"token": token, "event": event, "user": panitia},
        {"token": "../../config", "event": event, "user": admin},
    ):
        with pytest.raises(importing.NotFound):
            importing.load_upload(wrong.pop("token"), **wrong)
    importing.discard_upload(upload)
    db.session.commit()
    with pytest.raises(importing.NotFound):
        importing.load_upload(token, event=event, user=admin)


def test_uploads_expire_after_a_day(event, admin):

    old = importing.store_upload(b"PK old", event=event, user=admin, filename="lama.xlsx")
    stale = db.session.scalar(sa.select(ImportUpload).where(ImportUpload.token == old))
    stale.created_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    with pytest.raises(importing.NotFound):
        importing.load_upload(old, event=event, user=admin)
    importing.store_upload(b"PK new", event=event, user=admin, filename="baru.xlsx")
    db.session.commit()
    assert db.session.scalars(sa.select(ImportUpload.filename)).all() == ["baru.xlsx"]

"""Builders for test data (CTFd's tests/helpers.py style). Call inside an app context."""

import functools
import io
import itertools
import zipfile
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from bimtek.assessments.settings import ensure_assessment
from bimtek.auth.models import User
from bimtek.events import services as event_services
from bimtek.extensions import db
from bimtek.participants import registration
from bimtek.staff.assignments import assign_staff

_serial = itertools.count(1)
PASSWORD = "rahasia-123"


def valid_nik(
    serial: int | None = None,
    *,
    gender: str = "L",
    born: date = date(1990, 5, 17),
    region: str = "640801",
) -> str:
    """A well-formed NIK: region (Kutai Timur), birth date (+40 for women), serial."""
    serial = next(_serial) if serial is None else serial
    day = born.day + (40 if gender == "P" else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial % 10000 or 1:04d}"


def registration_data(**overrides) -> dict:
    serial = next(_serial)
    data = {
        "full_name": f"Peserta Uji {serial}",
        "nik": valid_nik(serial, gender=overrides.get("gender", "L")),
        "nip": "",
        "gender": "L",
        "institution": "KPU Kabupaten Kutai Timur",
        "institution_category": "kpu",
        "job_title": "Anggota PPK",
        "phone": f"0812{serial:08d}",
        "email": "",
        "district": "Sangatta Utara",
        "password": PASSWORD,
        "consent": True,
    }
    data.update(overrides)
    return data


def make_event(
    code: str = "UJI24",
    *,
    capacity: int = 400,
    sessions: int = 2,
    start: date | None = None,
    **overrides,
):
    """An open event with one module and ``sessions`` sessions on its first day."""
    # "today" at the venue: between 16:00 and 24:00 UTC it is already tomorrow in WITA
    zone = overrides.get("timezone", "Asia/Makassar")
    start = start or datetime.now(ZoneInfo(zone)).date()
    data = {
        "code": code,
        "title": f"Bimtek Uji {code}",
        "organizer": "Pemkab Kutai Timur",
        "provider": "Smart Academy",
        "venue": "Hotel Uji",
        "city": "Samarinda",
        "start_date": start,
        "end_date": start + timedelta(days=3),
        "capacity": capacity,
        "timezone": "Asia/Makassar",
    }
    data.update(overrides)
    event = event_services.create_event(data, channel="cli")
    module = event_services.save_module(
        event,
        {"code": "M1", "title": "Mitigasi Konflik", "jp": 2 * max(sessions, 1)},
        channel="cli",
    )
    for index in range(sessions):
        start_at = time(8 + 2 * index, 0)
        end_at = time(9 + 2 * index, 30)
        event_services.save_session(
            event,
            {
                "module_id": module.id,
                "day": start,
                "start_time": start_at,
                "end_time": end_at,
                "room": "Ballroom",
            },
            channel="cli",
        )
    db.session.commit()
    return event


def make_participant(event, **overrides):
    outcome = registration.register(
        event,
        registration_data(**overrides),
        registration.RegistrationTerms(channel="cli", enforce_window=False),
    )
    db.session.commit()
    return outcome.participant


def make_staff(role: str = "admin", email: str | None = None, event=None) -> User:
    """An admin, or a staff account with ``role`` ("manager"/"panitia") in ``event``."""
    user = User(
        email=email or f"{role}{next(_serial)}@bimtek.local",
        role="admin" if role == "admin" else "staff",
        full_name=f"{role.title()} Uji",
    )
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.flush()
    if event is not None and role != "admin":
        assign_staff(event, user, role, channel="cli")
    db.session.commit()
    return user


@functools.cache
def zip_bomb_xlsx(unpacked_mb: int = 51) -> bytes:
    """A small .xlsx (about 125 KB) whose shared strings unpack to ``unpacked_mb`` MB.

    A real workbook made by openpyxl, with its sharedStrings.xml replaced by one string of
    that many megabytes, written in chunks so the test never holds it in memory.
    """

    workbook = Workbook()
    workbook.active.append(["Nama lengkap", "NIK", "Kode materi", "Pertanyaan"])
    plain = io.BytesIO()
    workbook.save(plain)
    bomb = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        entry = zipfile.ZipInfo("xl/sharedStrings.xml")
        entry.compress_type = zipfile.ZIP_DEFLATED
        with target.open(entry, "w", force_zip64=True) as stream:
            stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            stream.write(b"<si><t>")
            chunk = b"A" * (1024 * 1024)
            for _ in range(unpacked_mb):
                stream.write(chunk)
            stream.write(b"</t></si></sst>")
    return bomb.getvalue()


def open_tests(event):
    """Both tests open at any time, the post-test too while the pre-test is open (as a
    manager may choose): for tests about taking them, not about their window."""
    for kind in ("pre", "post"):
        assessment = ensure_assessment(event, kind)
        assessment.opens_at = assessment.closes_at = None
        assessment.opens_before_pre_closes = kind == "post"
    db.session.commit()

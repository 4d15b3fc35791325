"""Export workbooks of an event: one sheet per list, or every list in one workbook."""

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from bimtek.core.timeutil import format_date_range_id, utcnow
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.reports.excel import Sheet, SheetColumn, write_workbook

STATUS_LABELS = {
    "registered": "Terdaftar",
    "waitlisted": "Daftar tunggu",
    "cancelled": "Dibatalkan",
}


def _naive_local(event: Event, moment: datetime | None) -> datetime | None:
    """Excel has no time zones: a moment as the event's wall-clock time."""
    local = event.local(moment)
    return local.replace(tzinfo=None, microsecond=0) if local else None


def _subheading(event: Event, now: datetime) -> str:
    generated = _naive_local(event, now)
    parts = [event.code, format_date_range_id(event.start_date, event.end_date)]
    if event.venue:
        parts.append(event.venue)
    parts.append(f"dibuat {generated:%d/%m/%Y %H:%M}")
    return " · ".join(parts)


def local_phone(phone: str) -> str:
    """+6281234567890 as 081234567890: how phones are written locally, and never a formula."""
    return "0" + phone[3:] if phone.startswith("+62") else phone


def participants_sheet(event: Event, now: datetime) -> Sheet:
    """Every participant of the event (cancelled ones too), in registration order."""
    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id)
        .order_by(Participant.registration_number, Participant.id)
    ).all()
    columns = [
        SheetColumn("No. registrasi"),
        SheetColumn("Nama lengkap"),
        SheetColumn("NIK", "digits"),
        SheetColumn("NIP", "digits"),
        SheetColumn("Jenis kelamin"),
        SheetColumn("Instansi"),
        SheetColumn("Kategori instansi"),
        SheetColumn("Jabatan"),
        SheetColumn("Nomor HP", "digits"),
        SheetColumn("Email"),
        SheetColumn("Kecamatan asal"),
        SheetColumn("Status"),
        SheetColumn("Waktu daftar", "datetime"),
        SheetColumn("Waktu batal", "datetime"),
    ]
    rows = [
        [
            f"{event.code}-{p.registration_number:04d}",
            p.full_name,
            p.nik,
            p.nip or None,
            p.gender_label,
            p.institution,
            p.category_label,
            p.job_title,
            local_phone(p.phone),
            p.email or None,
            p.district or None,
            STATUS_LABELS.get(p.status, p.status),
            _naive_local(event, p.created_at),
            _naive_local(event, p.cancelled_at),
        ]
        for p in people
    ]
    return Sheet(
        title="Peserta",
        heading=f"Daftar Peserta — {event.title}",
        subheading=_subheading(event, now),
        columns=columns,
        rows=rows,
    )


#: kind -> (label, sheet builder). Lists of other domains join as their services land.
EXPORTS: dict[str, tuple[str, Callable[[Event, datetime], Sheet]]] = {
    "peserta": ("Daftar peserta", participants_sheet),
}
ALL = "semua"


def available() -> dict[str, str]:
    """kind -> label of every export, with "semua" (every sheet in one workbook) last."""
    kinds = {kind: label for kind, (label, _builder) in EXPORTS.items()}
    kinds[ALL] = "Semua (satu berkas)"
    return kinds


def export_workbook(event: Event, kind: str, *, now: datetime | None = None) -> tuple[bytes, str]:
    """The .xlsx bytes of one export (or all) and a file name for the download."""
    now = now or utcnow()
    kinds = list(EXPORTS) if kind == ALL else [kind]
    sheets = [EXPORTS[name][1](event, now) for name in kinds]
    stamp = _naive_local(event, now).strftime("%Y%m%d-%H%M")
    return write_workbook(sheets), f"{event.code}-{kind}-{stamp}.xlsx"

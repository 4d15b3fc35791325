"""Reading an event's audit log: the manager's viewer and its .xlsx export.

Only what a manager may see anyway: names, registration numbers, the action and its
details without network addresses; never a NIK or a phone number (the log does not hold
them, and ``_shown_details`` drops keys that could).
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from bimtek.audit.models import AuditLog
from bimtek.audit.services import CORRECTION_SUFFIX
from bimtek.auth.models import User
from bimtek.core.xlsx_writer import Sheet, SheetColumn, write_workbook
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.queries import participant_query
from bimtek.reports.headings import naive_local, subheading

#: what each action means, in the organizer's words; unknown actions show their code
ACTION_LABELS = {
    "participant.register": _l("Pendaftaran"),
    "participant.cancel": _l("Pembatalan pendaftaran"),
    "participant.reactivate": _l("Pendaftaran diaktifkan kembali"),
    "participant.promote": _l("Naik dari daftar tunggu"),
    "participant.update": _l("Data peserta diubah"),
    "checkin.create": _l("Check-in"),
    "checkin.late": _l("Check-in (terlambat)"),
    "certificate.issue_all": _l("Sertifikat diterbitkan untuk semua"),
    "certificate.issue_run": _l("Penerbitan sertifikat untuk semua dimulai"),
    "certificate.issue_served": _l("Sertifikat narasumber/moderator/panitia diterbitkan"),
    "certificate.served_texts": _l("Teks sertifikat narasumber/moderator/panitia diubah"),
    "contributor.add": _l("Narasumber/moderator/panitia ditambahkan"),
    "contributor.remove": _l("Narasumber/moderator/panitia dihapus"),
    "contributor.add_staff": _l("Staf ditambahkan sebagai panitia"),
    "contributor.email": _l("Email narasumber/moderator/panitia diubah"),
    "contributor.import": _l("Impor narasumber/moderator/panitia"),
    "certificate.served_mail": _l("Sertifikat narasumber/moderator/panitia dikirim ulang"),
    "checkin.undo": _l("Check-in dibatalkan"),
    "attendance.izin": _l("Izin"),
    "attendance.sakit": _l("Sakit"),
    "attendance.correct": _l("Koreksi kehadiran"),
    "assessment.update": _l("Pengaturan tes diubah"),
    "assessment.open": _l("Tes dibuka"),
    "assessment.close": _l("Tes ditutup"),
    "certificate.issue": _l("Sertifikat diterbitkan"),
    "certificate.revoke": _l("Sertifikat dicabut"),
    "event.clone": _l("Kegiatan disalin"),
    "attendance.roster": _l("Daftar hadir sesi diisi"),
    "event.clone_review": _l("Salinan diperiksa"),
    "event.create": _l("Kegiatan dibuat"),
    "event.update": _l("Data kegiatan diubah"),
    "event.close": _l("Kegiatan ditutup"),
    "event.reopen": _l("Kegiatan dibuka kembali"),
    "event_staff.assign": _l("Staf ditugaskan"),
    "event_staff.unassign": _l("Tugas staf dicabut"),
    "module.create": _l("Materi ditambahkan"),
    "module.update": _l("Materi diubah"),
    "module.delete": _l("Materi dihapus"),
    "session.create": _l("Sesi ditambahkan"),
    "session.update": _l("Sesi diubah"),
    "session.delete": _l("Sesi dihapus"),
    "material.upload": _l("Bahan materi diunggah"),
    "material.delete": _l("Bahan materi dihapus"),
    "participant.import": _l("Impor peserta"),
    "question.create": _l("Soal ditambahkan"),
    "question.update": _l("Soal diubah"),
    "question.delete": _l("Soal dihapus"),
    "question.import": _l("Impor soal"),
    "attempt.start": _l("Tes dimulai"),
    "attempt.submit": _l("Tes dikumpulkan"),
    "attempt.extend": _l("Waktu tes ditambah"),
    "attempt.reset": _l("Pengerjaan tes diulang"),
    "evaluation.settings": _l("Pengaturan evaluasi diubah"),
    "evaluation.items": _l("Butir evaluasi diubah"),
    "evaluation.submit": _l("Evaluasi diisi"),
    "certificate.settings": _l("Pengaturan sertifikat diubah"),
    "certificate.image_upload": _l("Gambar sertifikat diunggah"),
    "certificate.image_remove": _l("Gambar sertifikat dihapus"),
    "certificate.signatory_create": _l("Penanda tangan ditambahkan"),
    "certificate.signatory_update": _l("Penanda tangan diubah"),
    "certificate.signatory_delete": _l("Penanda tangan dihapus"),
    "certificate.bundle": _l("Berkas sertifikat disiapkan"),
    "report.export_job": _l("Ekspor laporan disiapkan"),
    "announcement.create": _l("Pengumuman dikirim"),
    "notification.retry": _l("Pesan dikirim ulang"),
    "notification.test_open": _l("Pengingat tes dibuka dikirim"),
    "privacy.retention": _l("Masa simpan data diubah"),
    "privacy.purge": _l("Data pribadi dianonimkan"),
    "privacy.served_data": _l("Data pribadi narasumber/moderator/panitia diserahkan"),
    "backup.restore": _l("Cadangan dipulihkan"),
    "user.create": _l("Akun dibuat"),
    "user.claim": _l("Akun peserta diaktifkan"),
    "user.recover": _l("Akun peserta dipulihkan"),
    "user.account_link": _l("Tautan akun dikirim"),
    "user.activation_code": _l("Kode aktivasi dibuat"),
    "user.hand_back": _l("Akun dikembalikan ke pemilik KTP"),
    "user.change_password": _l("Kata sandi diganti"),
    "user.reset_password": _l("Kata sandi diatur ulang"),
    "user.logout_everywhere": _l("Keluar dari semua perangkat"),
    "user.deactivate": _l("Akun dinonaktifkan"),
    "user.reactivate": _l("Akun diaktifkan kembali"),
    "api_token.create": _l("Token API dibuat"),
    "api_token.revoke": _l("Token API dicabut"),
    "class.create": _l("Kelas dibuat"),
    "class.update": _l("Kelas diubah"),
    "class.delete": _l("Kelas dihapus"),
    "participant.class": _l("Peserta dipindah kelas"),
    "whatsapp.turn": _l("Giliran pesan WhatsApp dicatat"),
    "certificate.signing_key_set": _l("Kunci tanda tangan sertifikat dipasang"),
    "certificate.signing_key_remove": _l("Kunci tanda tangan sertifikat dilepas"),
    "spj.bundle_job": _l("Berkas SPJ disiapkan"),
    "spj.fee_settings": _l("Pengaturan kontribusi diubah"),
    "spj.invoice_issue": _l("Tagihan diterbitkan"),
    "spj.invoice_paid": _l("Pembayaran tagihan dicatat"),
    "spj.honor_settings": _l("Pengaturan honor diubah"),
    "spj.honor_add": _l("Honor narasumber ditambahkan"),
    "spj.honor_change": _l("Honor narasumber diubah"),
    "spj.honor_delete": _l("Honor narasumber dihapus"),
    "spj.rates": _l("Tarif SPJ diubah"),
    "spj.letter_number": _l("Nomor surat diberikan"),
    "spj.letter_settings": _l("Pengaturan surat diubah"),
    "spj.letterhead": _l("Kop surat diubah"),
    "spj.letterhead_logo": _l("Logo kop surat diubah"),
    "spj.photo_add": _l("Foto dokumentasi ditambahkan"),
    "spj.photo_delete": _l("Foto dokumentasi dihapus"),
    "spj.signature_add": _l("Penanda tangan SPJ ditambahkan"),
    "spj.signature_change": _l("Penanda tangan SPJ diubah"),
    "spj.signature_delete": _l("Penanda tangan SPJ dihapus"),
}
#: detail keys never shown (a network address is personal data, not an organizer's business)
HIDDEN_DETAILS = {"ip", "nik", "nip", "phone", "email", "user_agent"}
PER_PAGE = 50


@dataclass(frozen=True)
class LogFilters:
    #: name, registration number or ticket-free search of a participant (empty: everyone)
    person: str = ""
    action: str = ""
    actor_id: int | None = None


def action_label(action: str) -> str:
    """The organizer's words for ``action``; a correction is its action's words with
    "(koreksi)"; an unknown code shows as itself."""
    if action not in ACTION_LABELS and action.endswith(CORRECTION_SUFFIX):
        base = action.removesuffix(CORRECTION_SUFFIX)
        if base in ACTION_LABELS:
            return f"{ACTION_LABELS[base]} ({_l('koreksi')})"
    return str(ACTION_LABELS.get(action, action))


def _shown_details(details) -> dict:
    if not isinstance(details, dict):
        return {}
    return {k: v for k, v in details.items() if k not in HIDDEN_DETAILS}


def details_text(details) -> str:
    """Details as one line, ``key: value; …`` (nested values compact)."""
    parts = []
    for key, value in _shown_details(details).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in _shown_details(value).items())
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def log_query(event: Event, filters: LogFilters):
    """The select of the event's entries, newest first, narrowed by ``filters``."""

    query = sa.select(AuditLog).where(AuditLog.event_id == event.id)
    if filters.person:
        ids = participant_query(event.id, search=filters.person).with_only_columns(Participant.id)
        query = query.where(AuditLog.target_type == "participant", AuditLog.target_id.in_(ids))
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.actor_id:
        query = query.where(AuditLog.actor_id == filters.actor_id)
    return query.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def actions_in(event: Event) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditLog.action)
            .where(AuditLog.event_id == event.id)
            .distinct()
            .order_by(AuditLog.action)
        )
    )


def staff_in_log(event: Event) -> list[User]:
    """Staff members (not participants) who acted in the event, by name."""
    actor_ids = sa.select(AuditLog.actor_id).where(AuditLog.event_id == event.id).distinct()
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(actor_ids), User.role != "participant")
            .order_by(User.full_name)
        )
    )


@dataclass(frozen=True)
class LogRow:
    at: datetime
    action: str
    label: str
    actor: str
    channel: str
    subject: str
    details: str


def rows_for(event: Event, entries: list[AuditLog]) -> list[LogRow]:
    """Entries with names: the actor (staff name, or "peserta" + name) and what was acted on."""
    people_ids = {e.target_id for e in entries if e.target_type == "participant"}
    people = {
        p.id: p
        for p in db.session.scalars(sa.select(Participant).where(Participant.id.in_(people_ids)))
    }
    rows = []
    for entry in entries:
        actor = entry.actor
        if actor is None:
            who = str(_l("sistem")) if entry.channel in ("cli", "system") else "—"
        elif actor.role == "participant":
            who = f"{_l('peserta')}: {actor.full_name}"
        else:
            who = actor.full_name or actor.email or f"#{actor.id}"
        subject = ""
        if entry.target_type == "participant":
            person = people.get(entry.target_id)
            subject = (
                f"{person.full_name} ({person.registration_label})"
                if person
                else f"{_l('peserta')} #{entry.target_id}"
            )
        elif entry.target_type:
            subject = f"{entry.target_type} #{entry.target_id}"
        rows.append(
            LogRow(
                at=entry.at,
                action=entry.action,
                label=action_label(entry.action),
                actor=who,
                channel=entry.channel,
                subject=subject,
                details=details_text(entry.details),
            )
        )
    return rows


def log_workbook(event: Event, filters: LogFilters, now: datetime) -> bytes:
    """Every entry matching ``filters`` as an .xlsx (text cells neutralised by the writer)."""

    entries = list(db.session.scalars(log_query(event, filters)))
    columns = [
        SheetColumn("Waktu", "datetime"),
        SheetColumn("Tindakan"),
        SheetColumn("Kode tindakan"),
        SheetColumn("Oleh"),
        SheetColumn("Kanal"),
        SheetColumn("Peserta / objek"),
        SheetColumn("Rincian", "wrap"),
    ]
    rows = [
        [naive_local(event, r.at), r.label, r.action, r.actor, r.channel, r.subject, r.details]
        for r in rows_for(event, entries)
    ]
    sheet = Sheet(
        title="Log audit",
        heading=f"Log Audit — {event.title}",
        subheading=subheading(event, now),
        columns=columns,
        rows=rows,
    )
    return write_workbook([sheet])

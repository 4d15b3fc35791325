"""Export workbooks of an event: one sheet per list, or every list in one workbook."""

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bimtek.assessments.bank import LETTERS
from bimtek.assessments.labels import BAND_LABELS, KIND_LABELS
from bimtek.assessments.models import MAX_OPTIONS
from bimtek.assessments.results import results
from bimtek.attendance.labels import STATUS_LABELS as ATTENDANCE_LABELS
from bimtek.attendance.queries import attendance_matrix
from bimtek.certificates.queries import (
    certificate_counts,
    issued_certificates,
    served_counts,
    verification_url,
)
from bimtek.core.timeutil import utcnow
from bimtek.core.xlsx_writer import Sheet, SheetColumn, write_workbook
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.jobs import prepared as files
from bimtek.participants.labels import STATUS_LABELS
from bimtek.participants.models import Participant
from bimtek.reports.evaluation_export import evaluation_sheets
from bimtek.reports.headings import naive_local as _naive_local
from bimtek.reports.headings import subheading as _subheading


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
    waiting = sorted(
        (p for p in people if p.status == "waitlisted"),
        key=lambda p: (p.waitlist_seq or p.registration_number, p.registration_number),
    )
    #: participant id -> place on the waitlist (1 = next to get a seat), as in waitlist_position
    queue = {p.id: place for place, p in enumerate(waiting, start=1)}
    class_names = {c.id: c.name for c in event.classes}
    columns = [
        SheetColumn(_("No. registrasi")),
        SheetColumn(_("Nama lengkap")),
        SheetColumn(_("NIK"), "digits"),
        SheetColumn(_("NIP"), "digits"),
        SheetColumn(_("Jenis kelamin")),
        SheetColumn(_("Instansi")),
        SheetColumn(_("Kategori instansi")),
        SheetColumn(_("Jabatan")),
        SheetColumn(_("Nomor HP"), "digits"),
        SheetColumn(_("Email")),
        SheetColumn(_("Kecamatan asal")),
        SheetColumn(_("Status")),
        SheetColumn(_("Antrean"), "int"),
        SheetColumn(_("Waktu daftar"), "datetime"),
        SheetColumn(_("Waktu batal"), "datetime"),
        SheetColumn(_("Kelas")),
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
            queue.get(p.id),
            _naive_local(event, p.created_at),
            _naive_local(event, p.cancelled_at),
            class_names.get(p.class_id),
        ]
        for p in people
    ]
    return Sheet(
        title=_("Peserta"),
        heading=_("Daftar Peserta — %(title)s", title=event.title),
        subheading=_subheading(event, now),
        columns=columns,
        rows=rows,
    )


def _person_columns() -> list[SheetColumn]:
    return [
        SheetColumn(_("No. registrasi")),
        SheetColumn(_("Nama lengkap")),
        SheetColumn(_("Instansi")),
        SheetColumn(_("Kategori instansi")),
    ]


def _person_cells(event: Event, person: Participant) -> list:
    return [
        f"{event.code}-{person.registration_number:04d}",
        person.full_name,
        person.institution,
        person.category_label,
    ]


def attendance_sheets(event: Event, now: datetime) -> list[Sheet]:
    """The attendance recap: participants × sessions with a percentage; totals per session."""
    matrix = attendance_matrix(event, now=now)
    session_headers = [
        SheetColumn(
            f"{session.title} ({_naive_local(event, session.starts_at):%d/%m %H:%M})"
            + ("" if session.mandatory else " — " + _("tidak wajib")),
            width=16,
        )
        for session in matrix.sessions
    ]
    columns = [
        *_person_columns(),
        *session_headers,
        SheetColumn(_("Hadir"), "int"),
        SheetColumn(_("Terlambat"), "int"),
        SheetColumn(_("Izin"), "int"),
        SheetColumn(_("Sakit"), "int"),
        SheetColumn(_("Alpa"), "int"),
        SheetColumn(_("Sesi wajib"), "int"),
        SheetColumn(_("Kehadiran"), "percent"),
    ]
    rows = []
    for row in matrix.rows:
        summary = row.summary
        rows.append(
            [
                *_person_cells(event, row.participant),
                *(ATTENDANCE_LABELS.get(status, None) for status in row.statuses),
                summary.present - summary.late,
                summary.late,
                summary.excused,
                summary.sick,
                summary.absent,
                summary.mandatory_total,
                summary.percent / 100,
            ]
        )
    per_participant = Sheet(
        title=_("Rekap kehadiran"),
        heading=_("Rekap Kehadiran — %(title)s", title=event.title),
        subheading=_subheading(event, now),
        columns=columns,
        rows=rows,
        note=_(
            "Kehadiran = (hadir + terlambat) ÷ semua sesi wajib. Alpa: sesi wajib yang sudah "
            "selesai tanpa catatan. Sel kosong: sesi belum selesai dan belum ada catatan."
        ),
    )
    session_rows = []
    for session, totals in zip(matrix.sessions, matrix.session_totals, strict=True):
        expected = totals["expected"]
        session_rows.append(
            [
                session.title,
                _naive_local(event, session.starts_at).date(),
                _naive_local(event, session.starts_at).time(),
                _naive_local(event, session.ends_at).time(),
                session.room or None,
                _("Ya") if session.mandatory else _("Tidak"),
                expected,
                totals["hadir"],
                totals["terlambat"],
                totals["izin"],
                totals["sakit"],
                totals["alpa"],
                totals["checked_in"] / expected if expected else None,
            ]
        )
    per_session = Sheet(
        title=_("Kehadiran per sesi"),
        heading=_("Kehadiran per Sesi — %(title)s", title=event.title),
        subheading=_subheading(event, now),
        columns=[
            SheetColumn(_("Sesi")),
            SheetColumn(_("Tanggal"), "date"),
            SheetColumn(_("Mulai"), "time"),
            SheetColumn(_("Selesai"), "time"),
            SheetColumn(_("Ruang")),
            SheetColumn(_("Wajib")),
            SheetColumn(_("Peserta"), "int"),
            SheetColumn(_("Hadir"), "int"),
            SheetColumn(_("Terlambat"), "int"),
            SheetColumn(_("Izin"), "int"),
            SheetColumn(_("Sakit"), "int"),
            SheetColumn(_("Alpa"), "int"),
            SheetColumn(_("Check-in"), "percent"),
        ],
        rows=session_rows,
    )
    return [per_participant, per_session]


def assessment_sheets(event: Event, now: datetime) -> list[Sheet]:
    """The pre/post-test results: scores, gain and normalised gain per participant; the
    test in figures; gain per class, module and category; item analysis of each test."""
    data = results(event)
    rows = [
        [
            row["registration_number"],
            row["full_name"],
            row["institution"],
            row["category_label"],
            STATUS_LABELS.get(row["status"], row["status"]),
            row["pre"],
            row["post"],
            row["gain"],
            row["g"],
            BAND_LABELS.get(row["band"]),
            row["note"] or None,
        ]
        for row in data["participants"]
    ]
    per_participant = Sheet(
        title=_("Hasil pre-post test"),
        heading=_("Hasil Pre-test dan Post-test — %(title)s", title=event.title),
        subheading=_subheading(event, now),
        columns=[
            *_person_columns(),
            SheetColumn(_("Status")),
            SheetColumn(_("Pre-test"), "number"),
            SheetColumn(_("Post-test"), "number"),
            SheetColumn(_("Selisih"), "number"),
            SheetColumn(_("Gain ternormalisasi (g)"), "gain"),
            SheetColumn(_("Kategori g")),
            SheetColumn(_("Catatan"), width=50),
        ],
        rows=rows,
        note=_(
            "g = (post − pre) ÷ (100 − pre). Kategori Hake: tinggi ≥ 0,7; sedang ≥ 0,3; "
            "rendah di bawahnya (termasuk g negatif)."
        ),
    )
    klass = data["class"]
    summary_rows = [[_("Seluruh peserta"), None, *_gain_cells(klass)]]
    summary_rows += [
        [_("Materi %(code)s", code=m["code"]), m["title"], *_gain_cells(m)] for m in data["modules"]
    ]
    summary_rows += [
        [_("Kategori instansi"), c["label"], *_gain_cells(c)] for c in data["categories"]
    ]
    summary = Sheet(
        title=_("Ringkasan gain"),
        heading=_("Ringkasan Gain Pre-Post — %(title)s", title=event.title),
        subheading=_subheading(event, now),
        columns=[
            SheetColumn(_("Kelompok")),
            SheetColumn(_("Keterangan")),
            SheetColumn(_("Peserta (pre & post)"), "int"),
            SheetColumn(_("Rata-rata pre"), "number"),
            SheetColumn(_("Rata-rata post"), "number"),
            SheetColumn(_("⟨g⟩ dari rata-rata"), "gain"),
            SheetColumn(_("Rata-rata g individu"), "gain"),
            SheetColumn(_("Kategori ⟨g⟩")),
            SheetColumn(_("g negatif"), "int"),
            SheetColumn(_("g tak terdefinisi (pre = 100)"), "int"),
        ],
        rows=summary_rows,
        note=_(
            "⟨g⟩ dari rata-rata dihitung dari rata-rata pre dan post kelompok; rata-rata g "
            "individu adalah rata-rata g tiap peserta. Keduanya berbeda dan dilaporkan bersama."
        ),
    )
    items = [_item_sheet(event, now, kind, data["items"][kind]) for kind in KIND_LABELS]
    return [per_participant, _test_figures_sheet(event, now, klass), summary, *items]


def _gain_cells(group: dict) -> list:
    return [
        group["n"],
        group["mean_pre"],
        group["mean_post"],
        group["g_of_means"],
        group["mean_g"],
        BAND_LABELS.get(group["band"]),
        group["negative"],
        group["g_undefined"],
    ]


def _test_figures_sheet(event: Event, now: datetime, klass: dict) -> Sheet:
    """The whole class in a few figures: who took which test, means, both gains."""
    figures = [
        (_("Peserta terdaftar"), klass["participants"], None),
        (_("Mengikuti pre-test"), klass["pre_taken"], None),
        (_("Mengikuti post-test"), klass["post_taken"], None),
        (_("Peserta dengan pre dan post (n)"), klass["n"], _("Dasar semua angka gain")),
        (_("Rata-rata pre-test"), klass["mean_pre"], _("Peserta dengan pre dan post")),
        (_("Rata-rata post-test"), klass["mean_post"], _("Peserta dengan pre dan post")),
        (
            _("⟨g⟩ dari rata-rata"),
            klass["g_of_means"],
            _("(rata post − rata pre) ÷ (100 − rata pre)"),
        ),
        (_("Rata-rata g individu"), klass["mean_g"], _("Tanpa peserta dengan pre = 100")),
        (_("g tak terdefinisi (pre = 100)"), klass["g_undefined"], None),
        (_("Skor turun (gain negatif)"), klass["negative"], None),
    ]
    return Sheet(
        title=_("Ringkasan tes"),
        heading=_("Ringkasan Pre-test dan Post-test — %(title)s", title=event.title),
        subheading=_subheading(event, now),
        columns=[
            SheetColumn(_("Ukuran"), width=42),
            SheetColumn(_("Nilai"), "general", width=14),
            SheetColumn(_("Keterangan"), width=60),
        ],
        rows=[list(figure) for figure in figures],
    )


def _item_sheet(event: Event, now: datetime, kind: str, items: list[dict]) -> Sheet:
    """Item analysis of one test: per question its key, difficulty, discrimination,
    point-biserial, how often each option was chosen, and what needs a look."""
    letters = LETTERS[:MAX_OPTIONS]
    rows = []
    for item in items:
        counts = [option["chosen"] for option in item["options"]]
        counts += [None] * (MAX_OPTIONS - len(counts))
        notes = []
        if "low_discrimination" in item["flags"]:
            notes.append(_("Daya beda < 0,2"))
        if item["unused_distractors"]:
            notes.append(
                _(
                    "Pengecoh tidak dipilih: %(letters)s",
                    letters=", ".join(item["unused_distractors"]),
                )
            )
        rows.append(
            [
                item["number"],
                item["module_code"],
                item["text"],
                item["correct"],
                item["n"],
                item["difficulty"],
                item["discrimination"],
                item["point_biserial"],
                *counts[:MAX_OPTIONS],
                item["blank"],
                "; ".join(notes) or None,
            ]
        )
    label = KIND_LABELS[kind]
    return Sheet(
        title=_("Butir soal %(kind)s", kind=kind),
        heading=_("Analisis Butir Soal %(test)s — %(title)s", test=label, title=event.title),
        subheading=_subheading(event, now),
        columns=[
            SheetColumn(_("No"), "int"),
            SheetColumn(_("Materi")),
            SheetColumn(_("Pertanyaan"), "wrap", width=60),
            SheetColumn(_("Kunci")),
            SheetColumn(_("n"), "int"),
            SheetColumn(_("Tingkat kesukaran (p)"), "gain"),
            SheetColumn(_("Daya beda (D)"), "gain"),
            SheetColumn(_("Point-biserial"), "gain"),
            *(SheetColumn(_("Pilihan %(letter)s", letter=letter), "int") for letter in letters),
            SheetColumn(_("Kosong"), "int"),
            SheetColumn(_("Catatan"), width=50),
        ],
        rows=rows,
        note=_(
            "n: peserta %(test)s yang mendapat soal ini. p: bagian yang menjawab benar "
            "(makin besar makin mudah). D: p kelompok atas 27%% − p kelompok bawah 27%% menurut "
            "skor total; di bawah 0,2 daya bedanya rendah. Point-biserial: korelasi jawaban "
            "benar dengan skor total.",
            test=str(label).lower(),
        ),
    )


#: certificate status -> label (the certificates domain names none for a register)
CERTIFICATE_STATUS = {"valid": _l("Berlaku"), "revoked": _l("Dicabut")}
#: certificate role -> label: participants, then those who served, each its own number series
CERTIFICATE_ROLES = {
    "participant": _l("Peserta"),
    "narasumber": _l("Narasumber"),
    "moderator": _l("Moderator"),
    "panitia": _l("Panitia"),
}


def certificate_sheets(event: Event, now: datetime, base: str | None = None) -> list[Sheet]:
    """The certificate register: every certificate issued for the event, revoked ones too,
    participants' then each served role's, in number order, with who issued it and how to
    verify it (the office's official list)."""
    rows = []
    counts = {"participant": certificate_counts(event), **served_counts(event)}
    certificates = [
        certificate
        for role in CERTIFICATE_ROLES
        for certificate in issued_certificates(
            event, include_revoked=True, with_people=True, role=role
        )
    ]
    for certificate in certificates:
        person = certificate.participant
        rows.append(
            [
                certificate.seq,
                certificate.number,
                certificate.name,
                str(CERTIFICATE_ROLES[certificate.role]),
                person.registration_label if person else None,
                person.institution if person else (certificate.institution or None),
                person.category_label if person else None,
                certificate.total_jp,
                _naive_local(event, certificate.issued_at),
                certificate.issued_by.full_name if certificate.issued_by else None,
                CERTIFICATE_STATUS.get(certificate.status, certificate.status),
                _naive_local(event, certificate.revoked_at),
                certificate.revoke_reason or None,
                certificate.verification_code,
                verification_url(certificate.verification_code, base),
            ]
        )
    return [
        Sheet(
            title=_("Register sertifikat"),
            heading=_("Register Sertifikat — %(title)s", title=event.title),
            subheading=_subheading(event, now),
            columns=[
                SheetColumn(_("Urut"), "int"),
                SheetColumn(_("Nomor sertifikat")),
                SheetColumn(_("Nama pada sertifikat")),
                SheetColumn(_("Peran")),
                SheetColumn(_("No. registrasi")),
                SheetColumn(_("Instansi")),
                SheetColumn(_("Kategori instansi")),
                SheetColumn(_("JP"), "int"),
                SheetColumn(_("Diterbitkan"), "datetime"),
                SheetColumn(_("Diterbitkan oleh")),
                SheetColumn(_("Status")),
                SheetColumn(_("Dicabut"), "datetime"),
                SheetColumn(_("Alasan pencabutan")),
                SheetColumn(_("Kode verifikasi")),
                SheetColumn(_("Tautan verifikasi"), width=48),
            ],
            rows=rows,
            note=" ".join(
                f"{CERTIFICATE_ROLES[role]}: "
                + _(
                    "%(i)s nomor diterbitkan: %(f)s berlaku, %(r)s dicabut.",
                    i=figures.issued,
                    f=figures.in_force,
                    r=figures.revoked,
                )
                for role, figures in counts.items()
            )
            + " "
            + _("Nomor yang dicabut tetap tercatat dan tidak dipakai ulang."),
        )
    ]


#: kind -> (label, builder of its sheets from the event, the time and the public address that
#: links are written on; only the certificate register has links)
EXPORTS: dict[str, tuple[str, Callable[[Event, datetime, str | None], list[Sheet]]]] = {
    "peserta": (_l("Daftar peserta"), lambda event, now, _base: [participants_sheet(event, now)]),
    "kehadiran": (_l("Rekap kehadiran"), lambda event, now, _base: attendance_sheets(event, now)),
    "nilai": (_l("Hasil pre/post-test"), lambda event, now, _base: assessment_sheets(event, now)),
    "sertifikat": (_l("Register sertifikat"), certificate_sheets),
    "evaluasi": (
        _l("Evaluasi narasumber & penyelenggara"),
        lambda event, now, _base: evaluation_sheets(event, now),
    ),
}
ALL = "semua"


def available() -> dict[str, str]:
    """kind -> label of every export, with "semua" (every sheet in one workbook) last."""
    kinds = {kind: label for kind, (label, _builder) in EXPORTS.items()}
    kinds[ALL] = _("Semua (satu berkas)")
    return kinds


def export_workbook(
    event: Event, kind: str, *, now: datetime | None = None, base: str | None = None
) -> tuple[bytes, str]:
    """The .xlsx bytes of one export (or all) and a file name for the download; links on
    ``base`` (the view passes this install's address), else PUBLIC_BASE_URL."""
    now = now or utcnow()
    kinds = list(EXPORTS) if kind == ALL else [kind]
    sheets = [sheet for name in kinds for sheet in EXPORTS[name][1](event, now, base)]
    stamp = _naive_local(event, now).strftime("%Y%m%d-%H%M")
    return write_workbook(sheets), f"{event.code}-{kind}-{stamp}.xlsx"


# --- large exports, prepared by a job ------------------------------------------------------


def participant_count(event: Event) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Participant).where(Participant.event_id == event.id)
    )


def needs_job(event: Event) -> bool:
    """Whether the event is big enough for its exports to be prepared by a job."""
    threshold = current_app.config.get("EXPORT_JOB_THRESHOLD")
    return threshold is not None and participant_count(event) > threshold


def prepare_export(event: Event, kind: str, *, actor, channel: str = "web"):
    """Queue the export ``kind`` of ``event`` (one already being built is reused; a ready
    one is not, since the data may have changed since)."""
    stamp = _naive_local(event, utcnow()).strftime("%Y%m%d-%H%M")
    return files.prepare(
        event,
        f"export_{kind}",
        fingerprint=kind,
        total=1,
        filename=f"{event.code}-{kind}-{stamp}.xlsx",
        actor=actor,
        channel=channel,
        action="report.export_job",
        details={"participants": participant_count(event)},
        reuse_ready=False,
    )


def _build_export(prepared) -> bytes:
    """The job's work: the same workbook as the direct download."""
    event = db.session.get(Event, prepared.event_id)
    content, _filename = export_workbook(event, prepared.kind.removeprefix("export_"))
    return content


def _register_builders() -> None:
    kinds = [f"export_{kind}" for kind in available()]
    files.builder(*kinds, back="reports.dashboard")(_build_export)


_register_builders()

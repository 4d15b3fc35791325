"""Everything the install holds about one participant account, for the person to download
(UU 27/2022: the data subject's right to access), as JSON and as a readable PDF."""

import io
import json
from datetime import date, datetime

import sqlalchemy as sa
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from bimtek.assessments.models import Attempt
from bimtek.attendance.models import status_labels
from bimtek.attendance.queries import participant_attendance
from bimtek.auth.models import User
from bimtek.certificates.queries import certificates_of, verification_url
from bimtek.core.pdflists import NumberedCanvas, a4_document, escape, grid_table, paragraph_styles
from bimtek.core.timeutil import to_local, utcnow, zone_abbreviation
from bimtek.evaluation.models import EvaluationDraft, EvaluationSubmission
from bimtek.evaluation.queries import find_part
from bimtek.extensions import db
from bimtek.participants.models import Participant, category_labels, gender_labels
from bimtek.spj.personal_data import spj_of
from bimtek.spj.rupiah import format_rupiah

REGISTRATION_FIELDS = (
    ("registration", "No. registrasi"),
    ("status", "Status"),
    ("full_name", "Nama lengkap"),
    ("nik", "NIK"),
    ("nip", "NIP"),
    ("gender", "Jenis kelamin"),
    ("institution", "Instansi"),
    ("institution_category", "Kategori instansi"),
    ("job_title", "Jabatan"),
    ("phone", "Nomor HP"),
    ("email", "Email"),
    ("district", "Kecamatan asal"),
    ("ticket_code", "Kode tiket"),
    ("registered_at", "Mendaftar"),
    ("waitlisted_at", "Masuk daftar tunggu"),
    ("promoted_at", "Mendapat kursi"),
    ("cancelled_at", "Dibatalkan"),
    ("cancel_reason", "Alasan pembatalan"),
)
EVALUATION_NOTE = (
    "Jawaban evaluasi yang sudah dikirim disimpan tanpa identitas dan tidak dapat dihubungkan "
    "kembali kepada Anda, sehingga tidak termasuk di sini; yang tercatat hanya bagian mana "
    "yang sudah Anda kirim."
)


def _iso(moment) -> str | None:
    return moment.isoformat() if isinstance(moment, (datetime, date)) else None


def personal_data(user: User, base: str | None = None) -> dict:
    """The account, each registration with its attendance, tests, certificates and
    evaluation progress; verification links on ``base`` (else PUBLIC_BASE_URL). Reads only."""

    registrations = []
    people = db.session.scalars(
        sa.select(Participant).where(Participant.user_id == user.id).order_by(Participant.id)
    )
    for person in people:
        event = person.event
        attempts = db.session.scalars(
            sa.select(Attempt).where(Attempt.participant_id == person.id).order_by(Attempt.id)
        )
        submissions = db.session.scalars(
            sa.select(EvaluationSubmission).where(EvaluationSubmission.participant_id == person.id)
        )
        drafts = db.session.scalars(
            sa.select(EvaluationDraft).where(EvaluationDraft.participant_id == person.id)
        )

        def part_title(key, event=event):
            part = find_part(event, key)
            return part.title if part else key

        registrations.append(
            {
                "event": {
                    "code": event.code,
                    "title": event.title,
                    "start_date": _iso(event.start_date),
                    "end_date": _iso(event.end_date),
                },
                "registration": person.registration_label,
                "status": person.status,
                "full_name": person.full_name,
                "nik": person.nik,
                "nip": person.nip,
                "gender": person.gender,
                "institution": person.institution,
                "institution_category": person.institution_category,
                "job_title": person.job_title,
                "phone": person.phone,
                "email": person.email,
                "district": person.district,
                "ticket_code": person.ticket_code,
                "registered_at": _iso(person.created_at),
                "waitlisted_at": _iso(person.waitlisted_at),
                "promoted_at": _iso(person.promoted_at),
                "cancelled_at": _iso(person.cancelled_at),
                "cancel_reason": person.cancel_reason or None,
                "attendance": [
                    {
                        "session": session.title,
                        "starts_at": _iso(session.starts_at),
                        "status": status,
                        "checked_in_at": _iso(row.checked_in_at) if row else None,
                        "note": (row.note or None) if row else None,
                    }
                    for session, status, row in participant_attendance(person)
                ],
                "tests": [
                    {
                        "kind": attempt.assessment.kind,
                        "started_at": _iso(attempt.started_at),
                        "submitted_at": _iso(attempt.submitted_at),
                        "score": attempt.score,
                    }
                    for attempt in attempts
                ],
                "certificates": [
                    {
                        "number": certificate.number,
                        "name": certificate.name,
                        "issued_at": _iso(certificate.issued_at),
                        "revoked_at": _iso(certificate.revoked_at),
                        "verification_url": verification_url(certificate.verification_code, base),
                    }
                    for certificate in certificates_of(person)
                ],
                "spj": spj_of(person),
                "evaluation": {
                    "submitted": [
                        {"part": part_title(s.part_key), "submitted_at": _iso(s.submitted_at)}
                        for s in submissions
                    ],
                    "unsent_answers": [
                        {"part": part_title(d.part_key), "scores": d.scores, "comment": d.comment}
                        for d in drafts
                    ],
                    "note": EVALUATION_NOTE,
                },
            }
        )
    return {
        "generated_at": _iso(utcnow()),
        "account": {
            "full_name": user.full_name,
            "nik": user.nik,
            "email": user.email,
            "role": user.role,
            "language": user.locale,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "registrations": registrations,
    }


def personal_data_json(user: User, base: str | None = None) -> bytes:
    return json.dumps(personal_data(user, base), ensure_ascii=False, indent=2).encode()


STATUS_WORDS = {"registered": "Terdaftar", "waitlisted": "Daftar tunggu", "cancelled": "Dibatalkan"}
KIND_WORDS = {"pre": "Pre-test", "post": "Post-test"}


def _readable(key: str, value, timezone: str):
    """A value of the JSON as a person reads it: local times, words instead of codes."""

    if value is None or value == "":
        return "—"
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        local = to_local(datetime.fromisoformat(value), timezone)
        return f"{local:%d-%m-%Y %H:%M} {zone_abbreviation(timezone)}"
    words = {
        "status": {**STATUS_WORDS, **status_labels()},
        "gender": gender_labels(),
        "institution_category": category_labels(),
        "kind": KIND_WORDS,
    }.get(key, {})
    return words.get(value, value)


def personal_data_pdf(user: User, base: str | None = None) -> bytes:
    """The same data, laid out for reading and printing (times in the event's zone)."""
    data = personal_data(user, base)
    zones = {
        person.event.code: person.event.timezone
        for person in db.session.scalars(
            sa.select(Participant).where(Participant.user_id == user.id)
        )
    }
    default_zone = next(iter(zones.values()), "Asia/Makassar")
    styles = paragraph_styles()
    buffer = io.BytesIO()
    doc = a4_document(buffer, title="Data pribadi")
    width = doc.width

    def table(rows, widths):
        return grid_table(rows, widths, styles)

    account = data["account"]
    story = [
        Paragraph("Data pribadi yang disimpan tentang Anda", styles["title"]),
        Spacer(1, 3 * mm),
        Paragraph(
            escape(f"Dibuat {data['generated_at'][:16].replace('T', ' ')} UTC"), styles["center"]
        ),
        Spacer(1, 5 * mm),
        Paragraph("Akun", styles["subtitle"]),
        table(
            [
                ["Nama", account["full_name"]],
                ["NIK", account["nik"]],
                ["Email", account["email"]],
                ["Bahasa", account["language"]],
                ["Akun dibuat", _readable("", account["created_at"], default_zone)],
                ["Terakhir masuk", _readable("", account["last_login_at"], default_zone)],
            ],
            [45 * mm, width - 45 * mm],
        ),
    ]
    labels = dict(REGISTRATION_FIELDS)
    for registration in data["registrations"]:
        event = registration["event"]
        zone = zones.get(event["code"], default_zone)
        story += [
            Spacer(1, 6 * mm),
            Paragraph(escape(f"{event['title']} ({event['code']})"), styles["subtitle"]),
            table(
                [
                    [labels[key], _readable(key, registration[key], zone)]
                    for key, _label in REGISTRATION_FIELDS
                ],
                [45 * mm, width - 45 * mm],
            ),
        ]
        if registration["attendance"]:
            story += [
                Spacer(1, 3 * mm),
                table(
                    [["Sesi", "Mulai", "Status", "Check-in"]]
                    + [
                        [
                            a["session"],
                            _readable("", a["starts_at"], zone),
                            _readable("status", a["status"], zone),
                            _readable("", a["checked_in_at"], zone),
                        ]
                        for a in registration["attendance"]
                    ],
                    [width - 110 * mm, 40 * mm, 25 * mm, 45 * mm],
                ),
            ]
        if registration["tests"]:
            story += [
                Spacer(1, 3 * mm),
                table(
                    [["Tes", "Mulai", "Selesai", "Nilai"]]
                    + [
                        [
                            _readable("kind", t["kind"], zone),
                            _readable("", t["started_at"], zone),
                            _readable("", t["submitted_at"], zone),
                            t["score"],
                        ]
                        for t in registration["tests"]
                    ],
                    [25 * mm, 50 * mm, 50 * mm, width - 125 * mm],
                ),
            ]
        spj = registration["spj"]
        if spj["received"]:
            story += [
                Spacer(1, 3 * mm),
                Paragraph("Uang yang Anda terima (daftar penerimaan SPJ)", styles["base"]),
                table(
                    [["Tanggal", "Transport", "Uang saku", "Uang harian", "Jumlah"]]
                    + [
                        [
                            format(date.fromisoformat(r["day"]), "%d-%m-%Y"),
                            *(
                                format_rupiah(r[k])
                                for k in ("transport", "saku", "harian", "total")
                            ),
                        ]
                        for r in spj["received"]
                    ],
                    [width - 120 * mm, 30 * mm, 30 * mm, 30 * mm, 30 * mm],
                ),
            ]
        for statement in spj["statements"]:
            story.append(
                Paragraph(
                    escape(
                        f"Surat keterangan {statement['number']}, "
                        f"{format(date.fromisoformat(statement['issued_on']), '%d-%m-%Y')}"
                    ),
                    styles["base"],
                )
            )
        for certificate in registration["certificates"]:
            story.append(
                Paragraph(
                    escape(
                        f"Sertifikat {certificate['number']} · {certificate['verification_url']}"
                        + (" · dicabut" if certificate["revoked_at"] else "")
                    ),
                    styles["base"],
                )
            )
        evaluation = registration["evaluation"]
        parts = ", ".join(s["part"] for s in evaluation["submitted"]) or "belum ada"
        story += [
            Spacer(1, 2 * mm),
            Paragraph(escape(f"Evaluasi terkirim: {parts}."), styles["base"]),
            Paragraph(escape(evaluation["note"]), styles["cell_small"]),
        ]
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()

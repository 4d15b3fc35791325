"""Everything an event holds about one person who served it (a narasumber, moderator or
panitia member), for a manager to hand to that person when they ask (UU 27/2022: the data
subject's right of access). An outside narasumber has no account to download it from, as a
participant does (``personal_data``); so a manager of the event gives it, and the hand-over
is audited (``hand_over``), since it discloses one person's data to whoever asked.

A person is a name as compared (``same_name``): their rows on the team list, the served
certificates with that holder, the honor rows with that name, and the mails that carried
their certificates. JSON for a program, and a PDF to read.
"""

import io
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from bimtek.audit.services import record
from bimtek.certificates.models import SERVED_ROLES, Certificate
from bimtek.certificates.queries import verification_url
from bimtek.certificates.served import holder_key
from bimtek.core.pdflists import (
    NumberedCanvas,
    a4_document,
    escape,
    grid_table,
    paragraph_styles,
)
from bimtek.core.timeutil import to_local, utcnow, zone_abbreviation
from bimtek.errors import NotFound
from bimtek.events.contributors import contributors_of, same_name
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.notifications.messages import served_role_label
from bimtek.notifications.models import Delivery, status_labels
from bimtek.privacy.retention import retention_period
from bimtek.spj import honor
from bimtek.spj.models import Honorarium
from bimtek.spj.rupiah import format_rupiah

FORMATS = {"json": "application/json", "pdf": "application/pdf"}


@dataclass(frozen=True)
class ServedName:
    """One person who served, as the page lists them: the key names them in a URL or a form
    without their name (which would end in access logs)."""

    key: str
    name: str
    roles: tuple[str, ...]


def served_names(event: Event) -> list[ServedName]:
    """Everyone on the event's team list or holding a served certificate, by name."""
    names: dict[str, str] = {}
    roles: dict[str, list[str]] = {}
    for contributor in contributors_of(event):
        key = holder_key(contributor.name)
        names.setdefault(key, contributor.name)
        if contributor.role not in roles.setdefault(key, []):
            roles[key].append(contributor.role)
    for certificate in db.session.scalars(
        sa.select(Certificate)
        .where(Certificate.event_id == event.id, Certificate.role.in_(SERVED_ROLES))
        .order_by(Certificate.role, Certificate.seq)
    ):
        names.setdefault(certificate.holder_key, certificate.name)
        if certificate.role not in roles.setdefault(certificate.holder_key, []):
            roles[certificate.holder_key].append(certificate.role)
    people = [ServedName(key, name, tuple(roles[key])) for key, name in names.items()]
    return sorted(people, key=lambda person: (same_name(person.name), person.key))


def served_choices(event: Event) -> list[tuple[str, str]]:
    """(key, "name (roles)") of everyone who served, for the page's list."""
    return [
        (p.key, f"{p.name} ({', '.join(served_role_label(r).capitalize() for r in p.roles)})")
        for p in served_names(event)
    ]


def _iso(moment) -> str | None:
    return moment.isoformat() if isinstance(moment, datetime) else None


def served_data(event: Event, key: str, base: str | None = None) -> dict:
    """What ``event`` holds about the person ``key`` (a ``holder_key``); NotFound when
    nobody of that key served it. Verification links on ``base``. Reads only."""
    listed = [c for c in contributors_of(event) if holder_key(c.name) == key]
    certificates = db.session.scalars(
        sa.select(Certificate)
        .where(
            Certificate.event_id == event.id,
            Certificate.role.in_(SERVED_ROLES),
            Certificate.holder_key == key,
        )
        .order_by(Certificate.role, Certificate.seq)
    ).all()
    if not listed and not certificates:
        raise NotFound(_("Orang ini tidak tercatat bertugas di kegiatan ini."))
    name = listed[0].name if listed else certificates[0].name
    mails = (
        db.session.scalars(
            sa.select(Delivery)
            .where(Delivery.certificate_id.in_([c.id for c in certificates]))
            .order_by(Delivery.created_at, Delivery.id)
        ).all()
        if certificates
        else []
    )
    settings = honor.get_honor_settings(event)
    honor_rows = [
        honor.line_for(row, settings)
        for row in db.session.scalars(
            sa.select(Honorarium)
            .where(Honorarium.event_id == event.id)
            .order_by(Honorarium.module_id, Honorarium.id)
        )
        if holder_key(row.name) == key
    ]
    return {
        "generated_at": _iso(utcnow()),
        "event": {"code": event.code, "title": event.title},
        "name": name,
        "served": [
            {
                "role": row.role,
                "module": row.module.title if row.module else None,
                "name": row.name,
                "institution": row.institution or None,
                "nip": row.nip or None,
                "email": row.email or None,
            }
            for row in listed
        ],
        "certificates": [
            {
                "role": certificate.role,
                "number": certificate.number,
                "name": certificate.name,
                "institution": certificate.institution or None,
                "issued_at": _iso(certificate.issued_at),
                "revoked_at": _iso(certificate.revoked_at),
                "verification_url": verification_url(certificate.verification_code, base),
            }
            for certificate in certificates
        ],
        "certificate_mails": [
            {
                "to": mail.to_address or None,
                "status": mail.status,
                "queued_at": _iso(mail.created_at),
                "sent_at": _iso(mail.sent_at),
            }
            for mail in mails
        ],
        "honor": [
            {
                "module": line.module.title if line.module else None,
                "name": line.honor.name,
                "office": line.honor.office or None,
                "nip": line.honor.nip or None,
                "rule": line.rule,
                "jp": line.honor.jp,
                "rate_per_jp": line.honor.rate_per_jp,
                "gross": line.gross,
                "pph21": line.tax,
                "net": line.net,
            }
            for line in honor_rows
        ],
        "retention": retention_period(event),
    }


def served_data_json(event: Event, key: str, base: str | None = None) -> bytes:
    return json.dumps(served_data(event, key, base), ensure_ascii=False, indent=2).encode()


def _when(value: str | None, timezone: str) -> str:
    if not value:
        return "—"
    local = to_local(datetime.fromisoformat(value), timezone)
    return f"{local:%d-%m-%Y %H:%M} {zone_abbreviation(timezone)}"


def served_data_pdf(event: Event, key: str, base: str | None = None) -> bytes:
    """The same data, laid out to read and print (times in the event's zone)."""
    data = served_data(event, key, base)
    zone = event.timezone
    styles = paragraph_styles()
    buffer = io.BytesIO()
    doc = a4_document(buffer, title="Data pribadi")
    width = doc.width

    def table(rows, widths):
        return grid_table(rows, widths, styles, empty="—")

    def pairs(title, items):
        """One two-column table (what, value) per item, under ``title``."""
        if not items:
            return []
        flow = [Spacer(1, 5 * mm), Paragraph(escape(title), styles["subtitle"])]
        for item in items:
            flow += [Spacer(1, 2 * mm), table(item, [45 * mm, width - 45 * mm])]
        return flow

    story = [
        Paragraph("Data pribadi yang disimpan tentang Anda", styles["title"]),
        Spacer(1, 3 * mm),
        Paragraph(escape(f"{data['name']} · {event.title} ({event.code})"), styles["center"]),
        Paragraph(escape(f"Dibuat {_when(data['generated_at'], zone)}"), styles["center"]),
    ]
    story += pairs(
        "Tugas di kegiatan",
        [
            [
                ["Peran", served_role_label(row["role"]).capitalize()],
                ["Materi", row["module"]],
                ["Nama", row["name"]],
                ["Instansi", row["institution"]],
                ["NIP", row["nip"]],
                ["Email", row["email"]],
            ]
            for row in data["served"]
        ],
    )
    story += pairs(
        "Sertifikat",
        [
            [
                ["Peran", served_role_label(c["role"]).capitalize()],
                ["Nomor", c["number"]],
                ["Terbit", _when(c["issued_at"], zone)],
                ["Dicabut", _when(c["revoked_at"], zone) if c["revoked_at"] else None],
                ["Verifikasi", c["verification_url"]],
            ]
            for c in data["certificates"]
        ],
    )
    if data["certificate_mails"]:
        statuses = status_labels()
        story += [
            Spacer(1, 5 * mm),
            Paragraph("Pengiriman sertifikat lewat email", styles["subtitle"]),
            table(
                [["Ke", "Status", "Diantrekan", "Terkirim"]]
                + [
                    [
                        m["to"],
                        statuses.get(m["status"], m["status"]),
                        _when(m["queued_at"], zone),
                        _when(m["sent_at"], zone),
                    ]
                    for m in data["certificate_mails"]
                ],
                [width - 100 * mm, 20 * mm, 40 * mm, 40 * mm],
            ),
        ]
    story += pairs(
        "Honor narasumber (SPJ)",
        [
            [
                ["Materi", h["module"]],
                ["Nama", h["name"]],
                ["Jabatan", h["office"]],
                ["NIP", h["nip"]],
                ["Aturan PPh 21", h["rule"]],
                ["JP × honor per JP", f"{h['jp']} × {format_rupiah(h['rate_per_jp'])}"],
                ["Bruto", format_rupiah(h["gross"])],
                ["PPh 21", format_rupiah(h["pph21"])],
                ["Neto", format_rupiah(h["net"])],
            ]
            for h in data["honor"]
        ],
    )
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            escape(
                f"Data ini disimpan selama {data['retention']} setelah hari terakhir kegiatan. "
                "Lalu NIP dan email dihapus, dan nama di daftar honor diganti; nama dan nomor "
                "sertifikat serta jumlah honor tetap ada untuk pemeriksaan SPJ."
            ),
            styles["base"],
        ),
    ]
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def hand_over(event: Event, key: str, fmt: str, *, actor, channel: str = "web", base=None):
    """The person's data as ``fmt`` ("json" or "pdf"), and the hand-over in the audit log
    (who gave whose data; the name is not written there). (bytes, mimetype, filename)."""
    if fmt not in FORMATS:
        raise NotFound(_("Format tidak dikenal."))
    content = (served_data_json if fmt == "json" else served_data_pdf)(event, key, base)
    record(
        "privacy.served_data",
        actor=actor,
        channel=channel,
        event_id=event.id,
        details={"holder_key": key, "format": fmt},
    )
    db.session.flush()
    return content, FORMATS[fmt], f"data-pribadi-{event.code}-{key[:8]}.{fmt}"

"""Letters: the surat undangan to each agency (its participants listed) and the surat
keterangan of a participant, numbered from the event's agenda sequence in the organizer's
formats. A number is given once, by a manager's POST, and stays with its letter; the text
(``invitation``, ``statement``) is drawn from the event's data for the PDF and the .docx
alike, so both say the same.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from bimtek.attendance.models import PRESENT, Attendance
from bimtek.audit.services import record
from bimtek.certificates.numbering import format_number, validate_number_format
from bimtek.core.timeutil import format_date_id, format_date_range_id, utcnow
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.events.access import load_in_event
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.spj.documents import Signer, event_signers
from bimtek.spj.kontribusi import agencies, agency_name
from bimtek.spj.letterhead import get_letterhead
from bimtek.spj.models import Letter, LetterSettings

DEFAULTS = {
    "invitation_format": "{seq:03d}/UND/{code}/{month_roman}/{year}",
    "statement_format": "{seq:03d}/KET/{code}/{month_roman}/{year}",
}


def get_letter_settings(event: Event) -> LetterSettings:
    stored = db.session.get(LetterSettings, event.id)
    return (
        stored if stored is not None else LetterSettings(event_id=event.id, last_seq=0, **DEFAULTS)
    )


def numbered(event: Event) -> dict[tuple[str, str], Letter]:
    """(kind, subject) → the letter numbered for it."""
    rows = db.session.scalars(sa.select(Letter).where(Letter.event_id == event.id))
    return {(letter.kind, letter.subject): letter for letter in rows}


def get_letter(event: Event, letter_id) -> Letter:
    return load_in_event(Letter, letter_id, event)


def agency_participants(event: Event, institution: str) -> list[Participant]:
    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "registered")
        .order_by(Participant.sort_name, Participant.full_name, Participant.id)
    )
    name = agency_name(institution)
    return [p for p in people if agency_name(p.institution) == name]


def registered(event: Event) -> list[Participant]:
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(Participant.event_id == event.id, Participant.status == "registered")
            .order_by(Participant.sort_name, Participant.full_name, Participant.id)
        )
    )


# --- what a letter says -----------------------------------------------------------------------


@dataclass
class LetterText:
    """One letter as words, drawn the same in the PDF and in the .docx."""

    title: str
    number: str
    meta: list[tuple[str, str]] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    place_date: str = ""
    signers: list[Signer] = field(default_factory=list)


def _place_date(event: Event, letter: Letter) -> str:
    return f"{event.city or ''}, {format_date_id(letter.issued_on)}".lstrip(", ")


def invitation(event: Event, letter: Letter) -> LetterText:
    people = agency_participants(event, letter.subject)
    organizer = get_letterhead(event).name
    return LetterText(
        title="",
        number=letter.number,
        meta=[
            ("Nomor", letter.number),
            ("Sifat", "Penting"),
            ("Lampiran", "1 (satu) berkas"),
            ("Perihal", f"Undangan {event.title}"),
        ],
        to=["Kepada Yth.", f"Pimpinan {letter.subject}", "di tempat"],
        paragraphs=[
            "Dengan hormat,",
            f"Dalam rangka pelaksanaan {event.title}, {organizer} mengundang peserta dari "
            f"instansi Bapak/Ibu sebagaimana tercantum di bawah ini untuk mengikuti kegiatan "
            f"tersebut, yang akan dilaksanakan pada:",
        ],
        details=[
            ("Hari/tanggal", format_date_range_id(event.start_date, event.end_date)),
            ("Tempat", event.place),
            ("Jumlah peserta", f"{len(people)} orang"),
        ],
        table_head=["No.", "Nama", "Jabatan", "NIP"],
        table=[
            [str(n), p.full_name, p.job_title or "", p.nip or "-"]
            for n, p in enumerate(people, start=1)
        ],
        closing=[
            "Peserta diharapkan hadir tepat waktu dan membawa tiket (kode QR) yang diterima "
            "saat pendaftaran.",
            "Demikian undangan ini kami sampaikan. Atas perhatian dan kerja samanya kami "
            "ucapkan terima kasih.",
        ],
        place_date=_place_date(event, letter),
        signers=event_signers(event)[-1:],
    )


def attendance_of(event: Event, participant: Participant) -> tuple[int, int]:
    """(sessions present, sessions of the event)."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Session).where(Session.event_id == event.id)
    )
    present = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Attendance)
        .join(Session, Session.id == Attendance.session_id)
        .where(
            Session.event_id == event.id,
            Attendance.participant_id == participant.id,
            Attendance.status.in_(PRESENT),
        )
    )
    return present or 0, total or 0


def statement(event: Event, letter: Letter) -> LetterText:
    person = db.session.get(Participant, int(letter.subject))
    present, total = attendance_of(event, person)
    signers = event_signers(event)[-1:]
    signer = signers[0] if signers else None
    opening = (
        f"Yang bertanda tangan di bawah ini, {signer.name}, {signer.office}"
        + (f" ({signer.on_behalf_of})" if signer.on_behalf_of else "")
        + ", menerangkan bahwa:"
        if signer
        else f"{get_letterhead(event).name} menerangkan bahwa:"
    )
    return LetterText(
        title="SURAT KETERANGAN",
        number=letter.number,
        paragraphs=[opening],
        details=[
            ("Nama", person.full_name),
            ("NIP", person.nip or "-"),
            ("Jabatan", person.job_title or "-"),
            ("Instansi", person.institution),
        ],
        closing=[
            f"telah mengikuti {event.title} yang dilaksanakan pada "
            f"{format_date_range_id(event.start_date, event.end_date)} di {event.place}, "
            f"dengan kehadiran {present} dari {total} sesi "
            f"({event.total_jp} JP).",
            "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.",
        ],
        place_date=_place_date(event, letter),
        signers=signers,
    )


def letter_text(event: Event, letter: Letter) -> LetterText:
    return invitation(event, letter) if letter.kind == "undangan" else statement(event, letter)


# --- operations -------------------------------------------------------------------------------


def update_letter_settings(event: Event, data, *, actor=None, channel="web") -> LetterSettings:
    errors, values = {}, {}
    for name in ("invitation_format", "statement_format"):
        try:
            values[name] = validate_number_format(data.get(name) or "")
        except InvalidInput as error:
            errors[name] = next(iter(error.fields.values()))
    if errors:
        raise InvalidInput(_("Periksa kembali format nomor surat."), fields=errors)
    settings = get_letter_settings(event)
    if db.session.get(LetterSettings, event.id) is None:
        db.session.add(settings)
    changes = {k: [getattr(settings, k), v] for k, v in values.items() if getattr(settings, k) != v}
    for key, value in values.items():
        setattr(settings, key, value)
    db.session.flush()
    record(
        "spj.letter_settings",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"changes": changes},
    )
    return settings


def number_letter(event: Event, kind: str, subject: str, *, actor=None, channel="web") -> Letter:
    """The letter of ``kind`` for ``subject`` (an agency's name, a participant's id),
    numbered now if it has no number yet."""
    if kind == "undangan":
        subject = agency_name(subject)
        if not any(a.institution == subject and a.participants for a in agencies(event)):
            raise InvalidInput(_("Instansi ini tidak punya peserta terdaftar."), code="no_agency")
    elif kind == "keterangan":
        person = db.session.get(Participant, int(subject)) if str(subject).isdigit() else None
        if person is None or person.event_id != event.id or person.status != "registered":
            raise NotFound(
                _("Peserta tidak ditemukan pada kegiatan ini."), code="unknown_participant"
            )
        subject = str(person.id)
    else:
        raise NotFound(_("Jenis surat tidak dikenal."), code="unknown_letter_kind")
    existing = numbered(event).get((kind, subject))
    if existing is not None:
        return existing
    settings = get_letter_settings(event)
    if db.session.get(LetterSettings, event.id) is None:
        db.session.add(settings)
        db.session.flush()
    settings = db.session.scalar(
        sa.select(LetterSettings).where(LetterSettings.event_id == event.id).with_for_update()
    )
    settings.last_seq += 1
    day = event.local(utcnow()).date()
    pattern = settings.invitation_format if kind == "undangan" else settings.statement_format
    letter = Letter(
        event_id=event.id,
        kind=kind,
        subject=subject,
        seq=settings.last_seq,
        number=format_number(pattern, seq=settings.last_seq, code=event.code, day=day),
        issued_on=day,
    )
    try:
        with db.session.begin_nested():
            db.session.add(letter)
    except IntegrityError:
        raise Conflict(
            _("Surat ini baru saja diberi nomor; muat ulang halaman."), code="letter_exists"
        ) from None
    record(
        "spj.letter_number",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=letter,
        details={"kind": kind, "number": letter.number},
    )
    return letter


def number_all_invitations(event: Event, *, actor=None, channel="web") -> int:
    """Number the undangan of every agency that has none yet; how many were numbered."""
    have = numbered(event)
    count = 0
    for agency in agencies(event):
        if agency.participants and ("undangan", agency.institution) not in have:
            number_letter(event, "undangan", agency.institution, actor=actor, channel=channel)
            count += 1
    return count

"""Certificates: who earns one, issuing and numbering, revoking, verification.

Numbers come from ``CertificateSettings.last_seq``, advanced under that row's lock (see
``lock_numbering``), so two organizers issuing at once never hand out the same number, and a
number once used is never used again, not even after a revoke.
"""

import io
import re
import secrets
import string
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from PIL import Image, UnidentifiedImageError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload, undefer

from bimtek.audit.services import record
from bimtek.certificates import documents, pdf, signing
from bimtek.certificates.models import (
    DEFAULT_NUMBER_FORMAT,
    Certificate,
    CertificateSettings,
    Signatory,
)
from bimtek.certificates.signals import certificate_issued
from bimtek.core import numbers
from bimtek.core.forms import parse_date, parse_flag, parse_int
from bimtek.core.timeutil import to_local, utcnow
from bimtek.errors import Conflict, Forbidden, InvalidInput, NotFound
from bimtek.events.access import load_in_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 24  # 120 bits
CODE_PATTERN = re.compile(r"^[A-Z2-9]{24}$")

NUMBER_FIELDS = ("seq", "code", "month", "month_roman", "year")
SEQ_SPEC = re.compile(r"^0?[1-9]?d?$")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

IMAGE_SLOTS = ("logo_left", "logo_right", "background")
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4000 * 4000
MAX_SIGNATORIES = 3
#: the largest place a signatory may be given in the row of signatures
MAX_POSITION = 9


class NotEligible(Forbidden):
    code = "not_eligible"


class Unsigned(Conflict):
    code = "no_signatory"


class PlaceholderSignatory(Conflict):
    code = "placeholder_signatory"


class LocalPublicAddress(Conflict):
    code = "local_public_address"


#: how the demo names its stand-in signatory; a name like this is never printed for real
PLACEHOLDER_SIGNATORY_NAME = "Nama Pejabat Penanda Tangan (contoh)"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1", "")


def is_placeholder_signatory(signatory: Signatory) -> bool:
    name = " ".join((signatory.name or "").lower().split())
    return name == PLACEHOLDER_SIGNATORY_NAME.lower() or name.endswith("(contoh)")


def is_local_address(base: str | None) -> bool:
    """An unset public address, or one only this machine can open (the QR would point
    there)."""
    if not base:
        return True
    host = (urlsplit(base).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")


def ensure_signed(settings: CertificateSettings) -> None:
    """A certificate goes out signed by a real person, with a QR anyone can open: refuse to
    issue while the event has no signatory, still has the demo's placeholder, or this
    install has no public address (PUBLIC_BASE_URL)."""
    if not settings.signatories:
        raise Unsigned(
            "Tambahkan minimal satu penanda tangan (Pengaturan & desain) sebelum "
            "menerbitkan sertifikat."
        )
    placeholders = [s for s in settings.signatories if is_placeholder_signatory(s)]
    if placeholders:
        raise PlaceholderSignatory(
            f'Penanda tangan "{placeholders[0].name}" masih contoh. Ganti nama, jabatan, '
            "NIP dan tanda tangannya (Sertifikat → Pengaturan & desain) sebelum menerbitkan."
        )
    base = current_app.config.get("PUBLIC_BASE_URL")
    if is_local_address(base):
        raise LocalPublicAddress(
            "Alamat publik aplikasi belum diatur"
            + (f" (sekarang {base})" if base else "")
            + ": QR pada sertifikat akan menunjuk ke alamat yang tidak bisa dibuka orang lain. "
            "Minta pengelola server mengisi BIMTEK_PUBLIC_BASE_URL, misalnya "
            "https://bimtek.kutaitimurkab.go.id, lalu terbitkan lagi."
        )


def issue_day(event: Event, settings: CertificateSettings) -> date:
    """The one date a certificate carries: the date in its text and the month/year of its
    number (the signing date set in the settings, else the event's last day)."""
    return settings.signing_date or event.end_date


class UnknownCertificate(NotFound):
    code = "unknown_certificate"


# --- settings -------------------------------------------------------------------------------


def get_settings(event: Event, *, with_images: bool = False) -> CertificateSettings:
    """The event's certificate settings, created with the defaults on first use.

    ``with_images`` loads the logos, background and signatures in the same round trips.
    """
    options = []
    if with_images:
        options = [
            undefer(CertificateSettings.logo_left),
            undefer(CertificateSettings.logo_right),
            undefer(CertificateSettings.background),
            selectinload(CertificateSettings.signatories).undefer(Signatory.signature),
        ]
    settings = db.session.get(CertificateSettings, event.id, options=options)
    if settings is not None:
        return settings
    try:
        with db.session.begin_nested():
            settings = CertificateSettings(event_id=event.id, number_format=DEFAULT_NUMBER_FORMAT)
            db.session.add(settings)
    except IntegrityError:  # created at the same moment by another request
        settings = db.session.get(CertificateSettings, event.id, populate_existing=True)
    return settings


def lock_numbering(event: Event, take: int = 0) -> int:
    """Take the row lock on the event's numbering for this transaction; reserve ``take``
    numbers. Returns the last number now reserved (the first is that minus ``take`` plus 1).
    """
    settings = get_settings(event)
    last = db.session.execute(
        sa.update(CertificateSettings)
        .where(CertificateSettings.event_id == event.id)
        .values(last_seq=CertificateSettings.last_seq + take)
        .returning(CertificateSettings.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(settings, ["last_seq"])
    return last


def validate_number_format(pattern: str) -> str:
    """Check a number pattern: only the known fields, no attribute or index access."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise InvalidInput(
            "Format nomor wajib diisi.", fields={"number_format": "Format nomor wajib diisi."}
        )
    problem = None
    seen = set()
    if len(pattern) > 120:
        problem = "Format nomor paling banyak 120 karakter."
    elif any(not ch.isprintable() for ch in pattern):
        problem = "Format nomor tidak boleh memuat karakter kontrol."
    else:
        try:
            parts = list(string.Formatter().parse(pattern))
        except ValueError:
            parts = None
            problem = "Kurung kurawal tidak seimbang. Tulis {{ atau }} untuk kurung biasa."
        for _literal, name, spec, conversion in parts or ():
            if name is None:
                continue
            if name not in NUMBER_FIELDS:
                problem = (
                    f"Kolom {{{name}}} tidak dikenal. Yang bisa dipakai: "
                    + ", ".join("{" + f + "}" for f in NUMBER_FIELDS)
                    + "."
                )
                break
            if conversion or (spec and (name != "seq" or not SEQ_SPEC.match(spec))):
                problem = f"Format {{{name}}} tidak didukung (contoh yang benar: {{seq:03d}})."
                break
            seen.add(name)
        if problem is None and not {"seq", "code"} <= seen:
            problem = (
                "Format nomor harus memuat {seq} dan {code} agar setiap nomor unik, "
                "juga antar-kegiatan."
            )
    if problem:
        raise InvalidInput(problem, fields={"number_format": problem})
    format_number(pattern, seq=1, code="X", day=date(2024, 10, 31))
    return pattern


def format_number(pattern: str, *, seq: int, code: str, day: date) -> str:
    """The printed number for ``seq``, e.g. 007/BIMTEK-KUTIM24A/X/2024."""
    return pattern.format(
        seq=seq,
        code=code,
        month=f"{day.month:02d}",
        month_roman=ROMAN[day.month - 1],
        year=day.year,
    )


def update_settings(event: Event, data, *, actor=None, channel="web") -> CertificateSettings:
    """Change the eligibility rules, numbering and texts of an event's certificates."""
    settings = get_settings(event)
    errors, values = {}, {}
    percent = parse_int(
        data.get("min_attendance_percent", 80),
        "Kehadiran minimal",
        errors,
        "min_attendance_percent",
        minimum=0,
        maximum=100,
        message="Isi bilangan bulat 0–100.",
    )
    if percent is not None:
        values["min_attendance_percent"] = percent
    raw_score = str(data.get("min_post_score") or "").strip().replace(",", ".")
    if raw_score:
        try:
            score = float(raw_score)
            if not 0 <= score <= 100:
                raise ValueError
            values["min_post_score"] = score
        except ValueError:
            errors["min_post_score"] = "Isi angka 0–100, atau kosongkan."
    else:
        values["min_post_score"] = None
    for name in ("count_excused", "count_sick", "post_test_required"):
        values[name] = parse_flag(data.get(name, False))
    try:
        values["number_format"] = validate_number_format(data.get("number_format", ""))
    except InvalidInput as error:
        errors.update(error.fields)
    for name, label, limit, required in (
        ("title_text", "Judul", 60, True),
        ("awarded_text", "Teks sebelum nama", 120, True),
        ("role_text", "Peran", 60, True),
        ("body_text", "Kalimat isi", 300, True),
        ("signing_place", "Tempat penandatanganan", 100, False),
    ):
        value = " ".join(str(data.get(name) or "").split())
        if required and not value:
            errors[name] = f"{label} wajib diisi."
        elif len(value) > limit:
            errors[name] = f"{label} paling banyak {limit} karakter."
        values[name] = value
    values["signing_date"] = parse_date(
        data.get("signing_date"),
        "Tanggal penandatanganan",
        errors,
        "signing_date",
        optional=True,
        message="Isi tanggal dengan format TTTT-BB-HH, atau kosongkan.",
    )
    if errors:
        raise InvalidInput("Periksa kembali pengaturan sertifikat.", fields=errors)
    changed = sorted(k for k, v in values.items() if getattr(settings, k) != v)
    for key, value in values.items():
        setattr(settings, key, value)
    db.session.flush()
    record(
        "certificate.settings",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"fields": changed},
    )
    return settings


def check_image(
    raw: bytes | None, *, label: str, field_name: str, max_side: int = 800
) -> tuple[bytes, str]:
    """Accept a PNG or JPEG of at most 2 MB; return (bytes, MIME type), scaled down so its
    longer side is at most ``max_side`` pixels (keeps every PDF small and fast)."""
    if not raw:
        raise InvalidInput(f"{label}: pilih berkas gambar.", fields={field_name: "Pilih berkas."})
    if len(raw) > MAX_IMAGE_BYTES:
        message = f"{label}: berkas paling besar 2 MB."
        raise InvalidInput(message, fields={field_name: message})
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
        if kind in IMAGE_TYPES and 0 < width * height <= MAX_IMAGE_PIXELS:
            image = Image.open(io.BytesIO(raw))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
        width = height = 0
    if kind not in IMAGE_TYPES:
        message = f"{label}: hanya gambar PNG atau JPG."
        raise InvalidInput(message, fields={field_name: message})
    if width * height > MAX_IMAGE_PIXELS or min(width, height) < 1:
        message = f"{label}: ukuran gambar paling besar 4000×4000 piksel."
        raise InvalidInput(message, fields={field_name: message})
    if max(width, height) <= max_side and kind == "JPEG":
        return raw, IMAGE_TYPES[kind]
    image.thumbnail((max_side, max_side), Image.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    return out.getvalue(), IMAGE_TYPES[kind]


def set_image(event: Event, slot: str, raw: bytes | None, *, actor=None, channel="web") -> None:
    """Upload (or with ``raw=None`` remove) the left/right logo or the background."""
    if slot not in IMAGE_SLOTS:
        raise NotFound("Gambar tidak dikenal.")
    settings = get_settings(event)
    if raw is None:
        setattr(settings, slot, None)
        setattr(settings, f"{slot}_type", "")
        action = "certificate.image_remove"
    else:
        labels = {"logo_left": "Logo kiri", "logo_right": "Logo kanan", "background": "Latar"}
        data, mime = check_image(
            raw, label=labels[slot], field_name=slot, max_side=1800 if slot == "background" else 600
        )
        setattr(settings, slot, data)
        setattr(settings, f"{slot}_type", mime)
        action = "certificate.image_upload"
    db.session.flush()
    record(
        action,
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"slot": slot},
    )


def save_signatory(
    event: Event,
    data,
    *,
    signature: bytes | None = None,
    signatory: Signatory | None = None,
    actor=None,
    channel="web",
) -> Signatory:
    """Add or change a signatory (name, title, NIP, optional signature image)."""
    settings = get_settings(event)
    errors = {}
    name = " ".join(str(data.get("name") or "").split())
    title = " ".join(str(data.get("title") or "").split())
    nip = " ".join(str(data.get("nip") or "").split())
    if not name:
        errors["name"] = "Nama penanda tangan wajib diisi."
    elif len(name) > 200:
        errors["name"] = "Nama paling banyak 200 karakter."
    if len(title) > 200:
        errors["title"] = "Jabatan paling banyak 200 karakter."
    if nip and not re.fullmatch(r"[0-9 ]{8,30}", nip):
        errors["nip"] = "NIP hanya angka (boleh dengan spasi)."
    position = parse_int(
        data.get("position") or 0, "Urutan", errors, "position", minimum=0, maximum=MAX_POSITION
    )
    if signatory is None and len(settings.signatories) >= MAX_SIGNATORIES:
        errors["name"] = f"Paling banyak {MAX_SIGNATORIES} penanda tangan."
    image = mime = None
    if signature:
        try:
            image, mime = check_image(
                signature, label="Tanda tangan", field_name="signature", max_side=600
            )
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput("Periksa kembali data penanda tangan.", fields=errors)
    if signatory is None:
        signatory = Signatory(event_id=event.id)
        settings.signatories.append(signatory)
        action = "certificate.signatory_create"
    else:
        action = "certificate.signatory_update"
    signatory.name, signatory.title, signatory.nip, signatory.position = name, title, nip, position
    if image:
        signatory.signature, signatory.signature_type = image, mime
    db.session.flush()
    record(
        action,
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=signatory,
        details={"name": name},
    )
    return signatory


def get_signatory(event: Event, signatory_id) -> Signatory:
    """A signatory of ``event``'s certificates (404 ``unknown_signatory`` otherwise)."""
    return load_in_event(Signatory, signatory_id, event)


def delete_signatory(signatory: Signatory, *, actor=None, channel="web") -> None:
    record(
        "certificate.signatory_delete",
        actor=actor,
        channel=channel,
        event_id=signatory.event_id,
        target=signatory,
        details={"name": signatory.name},
    )
    signatory.settings.signatories.remove(signatory)
    db.session.flush()


# --- eligibility ----------------------------------------------------------------------------


@dataclass
class Eligibility:
    """Whether one participant earns a certificate, and why not."""

    participant: Participant
    eligible: bool
    #: reasons in Bahasa Indonesia, e.g. "kehadiran 62% < 80%"
    reasons: list[str] = field(default_factory=list)
    #: attendance at mandatory sessions as counted by the event's rules (None: no such sessions)
    attendance_percent: int | None = None
    post_score: float | None = None
    #: the certificate in force, when one has been issued
    certificate: Certificate | None = None

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def format_score(score: float) -> str:
    """55 → "55", 72.5 → "72,5" (Indonesian decimal comma; the rule is core/numbers.py's)."""
    return numbers.format_score(score)


def _attendance_and_scores(event: Event, settings: CertificateSettings):
    from bimtek.attendance.services import attendance_summary

    summaries = attendance_summary(event)
    scores = {}
    if settings.post_test_required or settings.min_post_score is not None:
        from bimtek.assessments.results import scores as assessment_scores

        scores = assessment_scores(event, "post")
    return summaries, scores


def _judge(
    participant: Participant,
    settings: CertificateSettings,
    summary,
    score: float | None,
    mandatory_sessions: int,
) -> Eligibility:
    reasons = []
    if participant.status == "waitlisted":
        reasons.append("masih di daftar tunggu")
    elif participant.status == "cancelled":
        reasons.append("pendaftaran dibatalkan")
    total = summary.mandatory_total if summary is not None else mandatory_sessions
    percent = None
    if total:
        attended = 0
        if summary is not None:
            attended = summary.present
            if settings.count_excused:
                attended += summary.excused
            if settings.count_sick:
                attended += summary.sick
        percent = numbers.percent(attended, total)
        if attended * 100 < settings.min_attendance_percent * total:
            reasons.append(f"kehadiran {percent}% < {settings.min_attendance_percent}%")
    needs_post = settings.post_test_required or settings.min_post_score is not None
    if needs_post and score is None:
        reasons.append("post-test belum dikerjakan")
    elif settings.min_post_score is not None and score < settings.min_post_score:
        reasons.append(
            f"nilai post-test {format_score(score)} < {format_score(settings.min_post_score)}"
        )
    return Eligibility(participant, not reasons, reasons, percent, score)


def _active_certificates(event_id: int) -> dict[int, Certificate]:
    rows = db.session.scalars(
        sa.select(Certificate).where(
            Certificate.event_id == event_id, Certificate.revoked_at.is_(None)
        )
    )
    return {certificate.participant_id: certificate for certificate in rows}


def eligibility(event: Event) -> list[Eligibility]:
    """Every registered participant of the event, eligible or not with the reasons, by name."""
    settings = get_settings(event)
    summaries, scores = _attendance_and_scores(event, settings)
    mandatory = sum(1 for session in event.sessions if session.mandatory)
    active = _active_certificates(event.id)
    participants = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "registered")
        .order_by(Participant.sort_name, Participant.id)
    )
    result = []
    for participant in participants:
        verdict = _judge(
            participant,
            settings,
            summaries.get(participant.id),
            scores.get(participant.id),
            mandatory,
        )
        verdict.certificate = active.get(participant.id)
        result.append(verdict)
    return result


def eligibility_for(participant: Participant) -> Eligibility:
    """One participant's verdict (waitlisted and cancelled people are never eligible)."""
    event = participant.event
    settings = get_settings(event)
    summaries, scores = _attendance_and_scores(event, settings)
    mandatory = sum(1 for session in event.sessions if session.mandatory)
    verdict = _judge(
        participant,
        settings,
        summaries.get(participant.id),
        scores.get(participant.id),
        mandatory,
    )
    verdict.certificate = active_certificate(participant)
    return verdict


# --- issuing --------------------------------------------------------------------------------


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _new_certificate(
    event: Event,
    settings: CertificateSettings,
    participant: Participant,
    seq: int,
    now: datetime,
    actor,
) -> Certificate:
    day = issue_day(event, settings)
    certificate = Certificate(
        event_id=event.id,
        participant_id=participant.id,
        seq=seq,
        number=format_number(settings.number_format, seq=seq, code=event.code, day=day),
        verification_code=new_verification_code(),
        issued_at=now,
        issued_by_id=getattr(actor, "id", None),
        name=participant.full_name,
        event_title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        total_jp=event.total_jp,
        minutes_per_jp=event.minutes_per_jp,
        modules=[{"title": m.title, "jp": m.jp} for m in event.modules],
        revoke_reason="",
    )
    db.session.add(certificate)
    return certificate


def active_certificate(participant: Participant) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(
            Certificate.participant_id == participant.id, Certificate.revoked_at.is_(None)
        )
    )


def issue(
    participant: Participant, *, actor=None, channel="web", now: datetime | None = None
) -> Certificate:
    """Issue the participant's certificate, or return the one already in force."""
    event = participant.event
    lock_numbering(event)
    existing = active_certificate(participant)
    if existing is not None:
        return existing
    verdict = eligibility_for(participant)
    if not verdict.eligible:
        raise NotEligible(f"{participant.full_name} belum memenuhi syarat: {verdict.reason}.")
    settings = get_settings(event)
    ensure_signed(settings)
    signer = signing.configured_signer()
    seq = lock_numbering(event, take=1)
    certificate = _new_certificate(event, settings, participant, seq, now or utcnow(), actor)
    db.session.flush()
    sign_issued(event, [certificate], signer)
    record(
        "certificate.issue",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=certificate,
        details={
            "number": certificate.number,
            "participant_id": participant.id,
            "sha256": certificate.document_sha256,
        },
    )
    certificate_issued.send(certificate)
    return certificate


@dataclass
class IssuePreview:
    """What "issue all" would do now: how many, which numbers, and what stops it."""

    count: int
    first_number: str | None
    last_number: str | None
    issue_date: date
    problem: str | None


def preview_issue_all(event: Event) -> IssuePreview:
    """Read only: the certificates ``issue_all`` would hand out now, for the confirmation."""
    settings = get_settings(event)
    verdicts = eligibility(event)
    count = sum(1 for v in verdicts if v.eligible and v.certificate is None)
    day = issue_day(event, settings)
    problem = None
    try:
        ensure_signed(settings)
    except Conflict as error:
        problem = error.message
    first = last = None
    if count:
        first, last = (
            format_number(settings.number_format, seq=seq, code=event.code, day=day)
            for seq in (settings.last_seq + 1, settings.last_seq + count)
        )
    return IssuePreview(count, first, last, day, problem)


@dataclass
class IssueOutcome:
    issued: list[Certificate]
    already: int
    not_eligible: int


def issue_all(
    event: Event, *, actor=None, channel="web", now: datetime | None = None
) -> IssueOutcome:
    """Issue a certificate to every eligible participant who has none in force yet."""
    lock_numbering(event)
    verdicts = eligibility(event)
    todo = [v.participant for v in verdicts if v.eligible and v.certificate is None]
    already = sum(1 for v in verdicts if v.certificate is not None)
    not_eligible = sum(1 for v in verdicts if not v.eligible and v.certificate is None)
    issued = []
    if todo:
        settings = get_settings(event)
        ensure_signed(settings)
        signer = signing.configured_signer()
        last = lock_numbering(event, take=len(todo))
        now = now or utcnow()
        first = last - len(todo) + 1
        for offset, participant in enumerate(todo):
            issued.append(
                _new_certificate(event, settings, participant, first + offset, now, actor)
            )
        db.session.flush()
        sign_issued(event, issued, signer)
        record(
            "certificate.issue_all",
            actor=actor,
            channel=channel,
            event_id=event.id,
            target=event,
            details={"count": len(issued), "first": issued[0].number, "last": issued[-1].number},
        )
        for certificate in issued:
            certificate_issued.send(certificate)
    return IssueOutcome(issued, already, not_eligible)


def revoke(certificate: Certificate, reason: str, *, actor=None, channel="web") -> Certificate:
    """Revoke with a reason. The certificate stays verifiable, marked as revoked."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise InvalidInput(
            "Alasan pencabutan wajib diisi.", fields={"reason": "Alasan wajib diisi."}
        )
    if len(reason) > 500:
        raise InvalidInput(
            "Alasan paling banyak 500 karakter.", fields={"reason": "Paling banyak 500 karakter."}
        )
    if certificate.revoked_at is not None:
        raise Conflict("Sertifikat ini sudah dicabut.", code="already_revoked")
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = getattr(actor, "id", None)
    certificate.revoke_reason = reason
    db.session.flush()
    record(
        "certificate.revoke",
        actor=actor,
        channel=channel,
        event_id=certificate.event_id,
        target=certificate,
        details={"number": certificate.number, "reason": reason},
    )
    return certificate


# --- finding --------------------------------------------------------------------------------


def normalise_lookup(text: str) -> str:
    """What someone typed on /verify, as compared: upper case, without spaces or dashes
    (codes are read aloud and copied in groups; numbers are typed with odd spacing)."""
    return re.sub(r"[\s\-\u2010-\u2015]+", "", str(text or "")).upper()


def get_by_code(code: str) -> Certificate:
    """The certificate with this verification code (valid or revoked)."""
    code = normalise_lookup(code)
    certificate = None
    if CODE_PATTERN.match(code):
        certificate = db.session.scalar(
            sa.select(Certificate).where(Certificate.verification_code == code)
        )
    if certificate is None:
        raise UnknownCertificate("Sertifikat tidak ditemukan. Periksa kembali kodenya.")
    return certificate


def _comparable_number(column):
    """The number column, normalised in SQL as ``normalise_lookup`` does in Python."""
    for ch in (" ", "-", "\t"):
        column = sa.func.replace(column, ch, "")
    return sa.func.upper(column)


def find_for_verification(text: str) -> Certificate:
    """The certificate someone typed on /verify: its verification code or its printed
    number (the most visible one), in any case, with or without spaces and dashes."""
    wanted = normalise_lookup(text)
    if not wanted or len(wanted) > 160:
        raise UnknownCertificate("Sertifikat tidak ditemukan. Periksa kembali nomor atau kodenya.")
    if CODE_PATTERN.match(wanted):
        certificate = db.session.scalar(
            sa.select(Certificate).where(Certificate.verification_code == wanted)
        )
        if certificate is not None:
            return certificate
    certificate = db.session.scalars(
        sa.select(Certificate)
        .where(_comparable_number(Certificate.number) == wanted)
        .order_by(Certificate.id)
        .limit(1)
    ).first()
    if certificate is None:
        raise UnknownCertificate("Sertifikat tidak ditemukan. Periksa kembali nomor atau kodenya.")
    return certificate


def get_certificate(event: Event, certificate_id) -> Certificate:
    """A certificate of ``event`` (404 ``unknown_certificate`` otherwise)."""
    return load_in_event(Certificate, certificate_id, event)


def issued_certificates(
    event: Event, *, include_revoked: bool = False, with_people: bool = False
) -> list[Certificate]:
    """The event's certificates in number order (``with_people``: participant, issuer and
    revoker loaded in the same round trips)."""
    query = sa.select(Certificate).where(Certificate.event_id == event.id)
    if with_people:
        query = query.options(
            selectinload(Certificate.participant),
            selectinload(Certificate.issued_by),
            selectinload(Certificate.revoked_by),
        )
    if not include_revoked:
        query = query.where(Certificate.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(Certificate.seq)))


def certificates_of(participant: Participant) -> list[Certificate]:
    """Every certificate of a participant, newest first (revoked ones too)."""
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.participant_id == participant.id)
            .order_by(Certificate.seq.desc())
        )
    )


def public_base_url(base: str | None = None) -> str:
    """PUBLIC_BASE_URL, else the host of the current request."""
    base = base or current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        base = request.host_url
    return (base or "http://localhost").rstrip("/")


def verification_url(code: str, base: str | None = None) -> str:
    """The public page that tells whether a certificate is genuine."""
    return f"{public_base_url(base)}/verify/{code}"


def printed_issue_date(certificate: Certificate) -> date:
    """The date printed on the certificate (the issue date of its design), else, for one
    issued before designs were kept, the day it was issued."""
    if certificate.design is not None and certificate.design.content.get("signing_date"):
        return date.fromisoformat(certificate.design.content["signing_date"])
    return to_local(certificate.issued_at, certificate.event.timezone).date()


def verification_facts(certificate: Certificate) -> dict:
    """What the public may see: enough to catch an edited PDF, nothing private."""
    from bimtek.core.timeutil import format_date_range_id

    event = certificate.event
    return {
        "number": certificate.number,
        "name": certificate.name,
        "event_title": certificate.event_title,
        "event_code": event.code,
        "organizer": event.organizer,
        "start_date": certificate.start_date.isoformat(),
        "end_date": certificate.end_date.isoformat(),
        "dates": format_date_range_id(certificate.start_date, certificate.end_date),
        "total_jp": certificate.total_jp,
        "minutes_per_jp": certificate.minutes_per_jp,
        "issued_on": printed_issue_date(certificate).isoformat(),
        "status": certificate.status,
        "revoked_on": to_local(certificate.revoked_at, event.timezone).date().isoformat()
        if certificate.revoked_at
        else None,
        "revoke_reason": certificate.revoke_reason or None if certificate.revoked_at else None,
    }


# --- documents ------------------------------------------------------------------------------


def design_for(event: Event) -> pdf.Design:
    """The event's certificate design (texts, signatories, images) for the renderer."""
    settings = get_settings(event, with_images=True)
    return pdf.Design(
        title_text=settings.title_text,
        awarded_text=settings.awarded_text,
        role_text=settings.role_text,
        body_text=settings.body_text,
        organizer=event.organizer,
        provider=event.provider,
        place=event.place,
        signing_place=settings.signing_place or event.city,
        signing_date=issue_day(event, settings),
        signatories=tuple(
            pdf.SignatoryPrint(s.name, s.title, s.nip, s.signature) for s in settings.signatories
        ),
        logo_left=settings.logo_left,
        logo_right=settings.logo_right,
        background=settings.background,
    )


def sheet_for(
    certificate: Certificate, base: str | None = None, design: pdf.Design | None = None
) -> pdf.Sheet:
    """What one certificate prints: its snapshot and the QR's verification URL (and the
    design it was issued with, when given)."""
    return pdf.Sheet(
        name=certificate.name,
        number=certificate.number,
        code=certificate.verification_code,
        url=verification_url(certificate.verification_code, base),
        event_title=certificate.event_title,
        start_date=certificate.start_date,
        end_date=certificate.end_date,
        total_jp=certificate.total_jp,
        minutes_per_jp=certificate.minutes_per_jp,
        modules=tuple((m["title"], m["jp"]) for m in certificate.modules or ()),
        revoked=certificate.revoked_at is not None,
        design=design,
    )


def _issued_designs(certificates: list[Certificate]):
    """certificate -> the design it was issued with (None before snapshots existed)."""
    designs: dict[int, pdf.Design] = {}

    def design_of(certificate: Certificate) -> pdf.Design | None:
        if certificate.design_id is None:
            return None
        if certificate.design_id not in designs:
            designs[certificate.design_id] = documents.design_from(certificate.design)
        return designs[certificate.design_id]

    return design_of


def certificates_pdf(
    event: Event, certificates: list[Certificate], base: str | None = None
) -> bytes:
    """One PDF with the given certificates (two pages each), for printing; each drawn with
    the design it was issued with."""
    design_of = _issued_designs(certificates)
    return pdf.render(
        design_for(event),
        [sheet_for(c, base, design_of(c)) for c in certificates],
        title=f"Sertifikat {event.code}",
    )


def certificate_keywords(certificate: Certificate) -> str:
    """The document's keywords: how an uploaded copy says which certificate it claims to be."""
    return f"kode verifikasi {certificate.verification_code}; nomor {certificate.number}"


def sign_issued(event: Event, certificates: list[Certificate], signer) -> None:
    """Draw, sign and keep the files of newly issued certificates, with the design snapshot
    (flushes). From here on a download is these bytes, whatever changes in the settings."""
    from bimtek.certificates.pdfsplit import split

    design = design_for(event)
    snapshot = documents.store_design(design)
    sheets = [sheet_for(c) for c in certificates]
    titles = [f"Sertifikat {c.number}" for c in certificates]
    keywords = [certificate_keywords(c) for c in certificates]
    if len(sheets) == 1:
        files = [pdf.render(design, sheets, title=titles[0], keywords=keywords[0])]
    else:
        files = split(pdf.render(design, sheets, bulk=True), 2, titles, keywords)
    signer_fingerprint = signing.fingerprint(signer.certificate)
    for certificate, data in zip(certificates, files, strict=True):
        details = signing.SignatureDetails(
            certificate.verification_code, certificate.number, design.signing_place
        )
        signed = signing.sign_certificate_pdf(data, signer, details)
        certificate.design_id = snapshot.id
        certificate.document = signed
        certificate.document_sha256 = documents.sha256(signed)
        certificate.signer_fingerprint = signer_fingerprint
    db.session.flush()


def issued_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF for download: the signed file as issued while it is in force
    (byte for byte the same every time); a revoked one drawn from its snapshot with the
    DICABUT stamp; one issued before signing existed drawn as it always was."""
    if certificate.revoked_at is None and certificate.document is not None:
        return certificate.document
    return certificates_pdf(certificate.event, [certificate])


def sample_pdf(event: Event, base: str | None = None) -> bytes:
    """A preview with a sample name and the next number, before anything is issued."""
    settings = get_settings(event)
    day = to_local(utcnow(), event.timezone).date()
    seq = settings.last_seq + 1
    sheet = pdf.Sheet(
        name="Dr. H. M. Contoh Nama Peserta, M.Si",
        number=format_number(settings.number_format, seq=seq, code=event.code, day=day),
        code="CONTOH" + "X" * (CODE_LENGTH - 6),
        url=verification_url("CONTOH" + "X" * (CODE_LENGTH - 6), base),
        event_title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        total_jp=event.total_jp,
        minutes_per_jp=event.minutes_per_jp,
        modules=tuple((m.title, m.jp) for m in event.modules),
    )
    return pdf.render(design_for(event), [sheet], title=f"Contoh sertifikat {event.code}")


def safe_filename(text: str, limit: int = 80) -> str:
    """ASCII letters, digits, dot, minus and underscore only: safe on every file system."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text).strip("._-")
    return cleaned[:limit].rstrip("._-") or "sertifikat"


def certificate_filename(certificate: Certificate) -> str:
    """e.g. 007-Agus_Hari_Kesuma.pdf; the number keeps names unique inside a zip."""
    return f"{certificate.seq:03d}-{safe_filename(certificate.name, 60)}.pdf"


def certificates_zip(event: Event, base: str | None = None) -> bytes:
    """Every certificate in force as its own PDF, in one .zip: the signed files as issued.

    Certificates issued before signing existed are drawn as one document (static parts
    once) and cut into one file per certificate, many times faster than drawing 400.
    """
    import zipfile

    from bimtek.certificates.pdfsplit import split

    certificates = issued_certificates(event)
    files: dict[int, bytes] = {}
    signed = [c.id for c in certificates if c.document_sha256 is not None]
    if signed:
        files.update(
            db.session.execute(
                sa.select(Certificate.id, Certificate.document).where(Certificate.id.in_(signed))
            ).all()
        )
    drawn = [c for c in certificates if c.document_sha256 is None]  # issued before signing
    if drawn:
        merged = pdf.render(design_for(event), [sheet_for(c, base) for c in drawn], bulk=True)
        titles = [f"Sertifikat {c.number}" for c in drawn]
        files.update(zip([c.id for c in drawn], split(merged, 2, titles), strict=True))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            archive.writestr(certificate_filename(certificate), files[certificate.id])
    return buffer.getvalue()

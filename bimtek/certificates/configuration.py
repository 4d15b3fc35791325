"""Changing an event's certificate settings: rules, numbering, texts, images, signatories.

Operations: each flushes and writes an audit record; the caller commits. The settings row
is stored on the first change (``ensure_settings``); until then reads see the defaults.
"""

import io
import re

from flask_babel import gettext as _
from flask_babel import ngettext
from PIL import Image, UnidentifiedImageError
from sqlalchemy.exc import IntegrityError

from bimtek.audit.services import record
from bimtek.certificates.models import DEFAULT_NUMBER_FORMAT, CertificateSettings, Signatory
from bimtek.certificates.numbering import validate_number_format
from bimtek.core.forms import parse_date, parse_flag, parse_int
from bimtek.errors import InvalidInput, NotFound
from bimtek.events.models import Event
from bimtek.extensions import db


def ensure_settings(event: Event) -> CertificateSettings:
    """The event's stored settings, stored with the defaults if it has none yet (flushes)."""
    settings = db.session.get(CertificateSettings, event.id)
    if settings is not None:
        return settings
    try:
        with db.session.begin_nested():
            settings = CertificateSettings(event_id=event.id, number_format=DEFAULT_NUMBER_FORMAT)
            db.session.add(settings)
    except IntegrityError:  # created at the same moment by another request
        settings = db.session.get(CertificateSettings, event.id, populate_existing=True)
    return settings


IMAGE_SLOTS = ("logo_left", "logo_right", "background")


IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


MAX_IMAGE_BYTES = 2 * 1024 * 1024


MAX_IMAGE_PIXELS = 4000 * 4000


MAX_SIGNATORIES = 3


#: the largest place a signatory may be given in the row of signatures
MAX_POSITION = 9


def update_settings(event: Event, data, *, actor=None, channel="web") -> CertificateSettings:
    """Change the eligibility rules, numbering and texts of an event's certificates."""
    settings = ensure_settings(event)
    errors, values = {}, {}
    percent = parse_int(
        data.get("min_attendance_percent", 80),
        _("Kehadiran minimal"),
        errors,
        "min_attendance_percent",
        minimum=0,
        maximum=100,
        message=_("Isi bilangan bulat 0–100."),
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
            errors["min_post_score"] = _("Isi angka 0–100, atau kosongkan.")
    else:
        values["min_post_score"] = None
    for name in ("count_excused", "count_sick", "post_test_required"):
        values[name] = parse_flag(data.get(name, False))
    try:
        values["number_format"] = validate_number_format(data.get("number_format", ""))
    except InvalidInput as error:
        errors.update(error.fields)
    for name, label, limit, required in (
        ("title_text", _("Judul"), 60, True),
        ("awarded_text", _("Teks sebelum nama"), 120, True),
        ("role_text", _("Peran"), 60, True),
        ("body_text", _("Kalimat isi"), 300, True),
        ("signing_place", _("Tempat penandatanganan"), 100, False),
    ):
        value = " ".join(str(data.get(name) or "").split())
        if required and not value:
            errors[name] = _("%(label)s wajib diisi.", label=label)
        elif len(value) > limit:
            errors[name] = _(
                "%(label)s paling banyak %(limit)s karakter.", label=label, limit=limit
            )
        values[name] = value
    values["signing_date"] = parse_date(
        data.get("signing_date"),
        _("Tanggal penandatanganan"),
        errors,
        "signing_date",
        optional=True,
        message=_("Isi tanggal dengan format TTTT-BB-HH, atau kosongkan."),
    )
    if errors:
        raise InvalidInput(_("Periksa kembali pengaturan sertifikat."), fields=errors)
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
        raise InvalidInput(
            _("%(label)s: pilih berkas gambar.", label=label),
            fields={field_name: _("Pilih berkas.")},
        )
    if len(raw) > MAX_IMAGE_BYTES:
        message = _("%(label)s: berkas paling besar 2 MB.", label=label)
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
        message = _("%(label)s: hanya gambar PNG atau JPG.", label=label)
        raise InvalidInput(message, fields={field_name: message})
    if width * height > MAX_IMAGE_PIXELS or min(width, height) < 1:
        message = _("%(label)s: ukuran gambar paling besar 4000×4000 piksel.", label=label)
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
        raise NotFound(_("Gambar tidak dikenal."))
    settings = ensure_settings(event)
    if raw is None:
        setattr(settings, slot, None)
        setattr(settings, f"{slot}_type", "")
        action = "certificate.image_remove"
    else:
        labels = {
            "logo_left": _("Logo kiri"),
            "logo_right": _("Logo kanan"),
            "background": _("Latar"),
        }
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
    settings = ensure_settings(event)
    errors = {}
    name = " ".join(str(data.get("name") or "").split())
    title = " ".join(str(data.get("title") or "").split())
    nip = " ".join(str(data.get("nip") or "").split())
    if not name:
        errors["name"] = _("Nama penanda tangan wajib diisi.")
    elif len(name) > 200:
        errors["name"] = _("Nama paling banyak 200 karakter.")
    if len(title) > 200:
        errors["title"] = _("Jabatan paling banyak 200 karakter.")
    if nip and not re.fullmatch(r"[0-9 ]{8,30}", nip):
        errors["nip"] = _("NIP hanya angka (boleh dengan spasi).")
    position = parse_int(
        data.get("position") or 0, _("Urutan"), errors, "position", minimum=0, maximum=MAX_POSITION
    )
    if signatory is None and len(settings.signatories) >= MAX_SIGNATORIES:
        errors["name"] = ngettext(
            "Paling banyak %(num)d penanda tangan.",
            "Paling banyak %(num)d penanda tangan.",
            MAX_SIGNATORIES,
        )
    image = mime = None
    if signature:
        try:
            image, mime = check_image(
                signature, label=_("Tanda tangan"), field_name="signature", max_side=600
            )
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(_("Periksa kembali data penanda tangan."), fields=errors)
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

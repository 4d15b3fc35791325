"""The kop surat and the signature blocks of an event: reads, then operations.

Operations flush and write an audit record; the caller commits. Until a manager saves the
kop, reads give one made from the event (its organizer's name), so every document has one.
"""

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.errors import InvalidInput
from bimtek.events.access import load_in_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.spj.images import clean_image
from bimtek.spj.models import Letterhead, SignatureBlock
from bimtek.storage import files

MAX_SIGNATURE_BLOCKS = 4
LOGO_SIDE = 500
STAMP_SIDE = 500
NIP = re.compile(r"\d{18}")

TEXT_FIELDS = {
    "authority": 200,
    "name": 200,
    "address": 300,
    "contacts": 300,
}


def get_letterhead(event: Event) -> Letterhead:
    """The event's kop; an unsaved one from the event's organizer while none is stored."""
    stored = db.session.get(Letterhead, event.id)
    if stored is not None:
        return stored
    return Letterhead(
        event_id=event.id,
        authority="",
        name=(event.organizer or event.provider or "").upper(),
        address=event.place,
        contacts="",
        logo_file_id=None,
    )


def get_logo(letterhead: Letterhead) -> bytes | None:
    return files.read(letterhead.logo_file_id) if letterhead.logo_file_id else None


def signature_blocks(event: Event) -> list[SignatureBlock]:
    """The event's signature blocks, left to right."""
    return list(
        db.session.scalars(
            sa.select(SignatureBlock)
            .where(SignatureBlock.event_id == event.id)
            .order_by(SignatureBlock.position, SignatureBlock.id)
        )
    )


def get_signature_block(event: Event, block_id) -> SignatureBlock:
    return load_in_event(SignatureBlock, block_id, event)


def stamp_of(block: SignatureBlock) -> bytes | None:
    return files.read(block.stamp_file_id) if block.stamp_file_id else None


# --- operations -------------------------------------------------------------------------------


def _ensure_letterhead(event: Event) -> Letterhead:
    stored = db.session.get(Letterhead, event.id)
    if stored is None:
        stored = get_letterhead(event)
        db.session.add(stored)
        db.session.flush()
    return stored


def _text(data, name: str, limit: int, label: str, errors: dict, *, required=False) -> str:
    value = " ".join(str(data.get(name) or "").split())
    if required and not value:
        errors[name] = _("%(label)s wajib diisi.", label=label)
    elif len(value) > limit:
        errors[name] = _("%(label)s paling banyak %(limit)s karakter.", label=label, limit=limit)
    return value


def update_letterhead(event: Event, data, *, actor=None, channel="web") -> Letterhead:
    """Change the kop's texts (the logo apart: ``set_logo``)."""
    labels = {
        "authority": _("Baris atas"),
        "name": _("Nama penyelenggara"),
        "address": _("Alamat"),
        "contacts": _("Kontak"),
    }
    errors = {}
    values = {
        name: _text(data, name, limit, labels[name], errors, required=name == "name")
        for name, limit in TEXT_FIELDS.items()
    }
    if errors:
        raise InvalidInput(_("Periksa kembali kop surat."), fields=errors)
    letterhead = _ensure_letterhead(event)
    changed = sorted(k for k, v in values.items() if getattr(letterhead, k) != v)
    for key, value in values.items():
        setattr(letterhead, key, value)
    db.session.flush()
    record(
        "spj.letterhead",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"changed": changed},
    )
    return letterhead


def set_logo(event: Event, raw: bytes | None, *, actor=None, channel="web") -> Letterhead:
    """Keep the kop's logo (checked, scaled, EXIF stripped); ``raw=None`` removes it."""
    letterhead = _ensure_letterhead(event)
    old = letterhead.logo_file_id
    if raw is None:
        letterhead.logo_file_id = None
    else:
        content, mime = clean_image(raw, label=_("Logo"), field_name="logo", max_side=LOGO_SIDE)
        letterhead.logo_file_id = files.put(content, content_type=mime).id
    db.session.flush()
    files.delete(old)
    record(
        "spj.letterhead_logo",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"removed": raw is None},
    )
    return letterhead


def save_signature_block(
    event: Event,
    data,
    *,
    stamp: bytes | None = None,
    block: SignatureBlock | None = None,
    actor=None,
    channel="web",
) -> SignatureBlock:
    """Add or change a signature block; ``stamp`` (image bytes) replaces its cap."""
    errors = {}
    values = {
        "heading": _text(data, "heading", 120, _("Baris pembuka"), errors),
        "on_behalf_of": _text(data, "on_behalf_of", 200, _("Baris a.n."), errors),
        "office": _text(data, "office", 200, _("Jabatan"), errors, required=True),
        "name": _text(data, "name", 200, _("Nama"), errors, required=True),
    }
    nip = re.sub(r"\s", "", str(data.get("nip") or ""))
    if nip and not NIP.fullmatch(nip):
        errors["nip"] = _("NIP terdiri dari 18 angka, atau kosongkan.")
    values["nip"] = nip
    raw_position = str(data.get("position") or "0").strip()
    if not raw_position.isdigit() or int(raw_position) > 9:
        errors["position"] = _("Urutan: angka 0–9.")
    else:
        values["position"] = int(raw_position)
    if values["on_behalf_of"] and not values["on_behalf_of"].lower().startswith("a.n"):
        values["on_behalf_of"] = "a.n. " + values["on_behalf_of"]
    if block is None and len(signature_blocks(event)) >= MAX_SIGNATURE_BLOCKS:
        errors["name"] = _(
            "Paling banyak %(n)s penanda tangan per kegiatan.", n=MAX_SIGNATURE_BLOCKS
        )
    cleaned = None
    if stamp is not None:
        try:
            cleaned = clean_image(stamp, label=_("Cap"), field_name="stamp", max_side=STAMP_SIDE)
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(_("Periksa kembali penanda tangan."), fields=errors)
    is_new = block is None
    if is_new:
        block = SignatureBlock(event_id=event.id)
        db.session.add(block)
    for key, value in values.items():
        setattr(block, key, value)
    old_stamp = None
    if cleaned is not None:
        old_stamp = block.stamp_file_id
        block.stamp_file_id = files.put(cleaned[0], content_type=cleaned[1]).id
    elif data.get("remove_stamp"):
        old_stamp, block.stamp_file_id = block.stamp_file_id, None
    db.session.flush()
    files.delete(old_stamp)
    record(
        "spj.signature_add" if is_new else "spj.signature_change",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=block,
        details={"name": block.name, "office": block.office, "stamp": bool(block.stamp_file_id)},
    )
    return block


def delete_signature_block(block: SignatureBlock, *, actor=None, channel="web") -> None:
    record(
        "spj.signature_delete",
        actor=actor,
        channel=channel,
        event_id=block.event_id,
        target=block,
        details={"name": block.name},
    )
    stamp = block.stamp_file_id
    db.session.delete(block)
    db.session.flush()
    files.delete(stamp)

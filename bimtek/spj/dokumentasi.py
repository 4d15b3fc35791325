"""Dokumentasi: photos of each session taken with a phone, kept resized (longer side
``PHOTO_SIDE``) as JPEG without EXIF (no place, phone or time leaves the camera), each with
its caption, shown in the SPJ and the laporan."""

import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from PIL import Image

from bimtek.audit.services import record
from bimtek.errors import InvalidInput
from bimtek.events.access import load_in_event
from bimtek.events.models import Event, Session
from bimtek.events.signals import session_deleting
from bimtek.extensions import db
from bimtek.spj.images import clean_image
from bimtek.spj.models import Photo
from bimtek.storage import files

PHOTO_SIDE = 1600
MAX_CAPTION = 300
MAX_PHOTOS_PER_SESSION = 30


@dataclass
class SessionPhotos:
    session: Session
    photos: list[Photo] = field(default_factory=list)


def photos_by_session(event: Event) -> list[SessionPhotos]:
    """Every session of the event in order, with its photos (oldest first)."""
    groups = {session.id: SessionPhotos(session) for session in event.sessions}
    rows = db.session.scalars(
        sa.select(Photo)
        .join(Session, Session.id == Photo.session_id)
        .where(Session.event_id == event.id)
        .order_by(Photo.created_at, Photo.id)
    )
    for photo in rows:
        groups[photo.session_id].photos.append(photo)
    return list(groups.values())


def get_photo(event: Event, photo_id) -> Photo:
    return load_in_event(Photo, photo_id, event)


def add_photo(
    event: Event, session: Session, raw: bytes | None, caption, *, actor=None, channel="web"
) -> Photo:
    """Keep one photo of ``session``: checked, turned upright, resized, EXIF stripped."""
    errors = {}
    caption = " ".join(str(caption or "").split())
    if len(caption) > MAX_CAPTION:
        errors["caption"] = _("Keterangan foto paling banyak 300 karakter.")
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Photo).where(Photo.session_id == session.id)
    )
    if count >= MAX_PHOTOS_PER_SESSION:
        errors["photo"] = _("Paling banyak %(n)s foto per sesi.", n=MAX_PHOTOS_PER_SESSION)
    cleaned = None
    if not errors:
        try:
            cleaned = clean_image(
                raw, label=_("Foto"), field_name="photo", max_side=PHOTO_SIDE, photo=True
            )
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(_("Foto tidak dapat disimpan."), fields=errors)
    content, mime = cleaned
    width, height = Image.open(io.BytesIO(content)).size
    photo = Photo(
        session_id=session.id,
        file_id=files.put(content, content_type=mime).id,
        caption=caption,
        width=width,
        height=height,
    )
    db.session.add(photo)
    db.session.flush()
    record(
        "spj.photo_add",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=photo,
        details={"session_id": session.id, "caption": caption, "bytes": len(content)},
    )
    return photo


def delete_photo(event: Event, photo: Photo, *, actor=None, channel="web") -> None:
    record(
        "spj.photo_delete",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=photo,
        details={"session_id": photo.session_id, "caption": photo.caption},
    )
    file_id = photo.file_id
    db.session.delete(photo)
    db.session.flush()
    files.delete(file_id)


def forget_photos(photos: list[Photo]) -> int:
    """Delete ``photos`` and their stored files (no audit record: the caller writes one for
    what it deletes); how many."""
    file_ids = [photo.file_id for photo in photos]
    for photo in photos:
        db.session.delete(photo)
    db.session.flush()
    for file_id in file_ids:
        files.delete(file_id)
    return len(file_ids)


@session_deleting.connect
def forget_session_photos(session: Session, **_extra) -> None:
    """A deleted session's photos go with it, their stored files too (the database cascade
    would delete the rows only)."""
    forget_photos(list(db.session.scalars(sa.select(Photo).where(Photo.session_id == session.id))))

"""Events, their modules and sessions: creating, changing and finding them."""

import io
import re
import zipfile
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from bimtek.audit.services import record
from bimtek.core.forms import parse_date, parse_flag, parse_int, parse_local_datetime
from bimtek.core.timeutil import DEFAULT_TIMEZONE, local_to_utc, to_local, utcnow, zone
from bimtek.errors import InvalidInput, NotFound
from bimtek.events.access import load_in_event
from bimtek.events.contributors import sync_speakers
from bimtek.events.models import Event, EventClass, Material, Module, Session
from bimtek.events.signals import event_updated, session_deleting
from bimtek.extensions import db
from bimtek.storage import files

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


def get_event(code: str) -> Event:
    event = db.session.scalar(sa.select(Event).where(Event.code == (code or "").upper()))
    if event is None:
        raise NotFound(_("Kegiatan tidak ditemukan."), code="unknown_event")
    return event


def get_public_event(code: str, *, preview: bool = False) -> Event:
    """An event for the public pages and the public API: NotFound while it is unpublished.

    ``preview`` lets staff look at a draft's public page. Every public view and API handler
    that takes an event code loads it here.
    """
    return public_or_not_found(get_event(code), preview=preview)


def public_or_not_found(event: Event, *, preview: bool = False) -> Event:
    """The event if the public may see it (published, or ``preview``), else NotFound."""
    if not event.published and not preview:
        raise NotFound(_("Kegiatan tidak ditemukan."), code="unknown_event")
    return event


def all_events() -> list[Event]:
    """Every event, newest first (the staff list)."""
    return list(db.session.scalars(sa.select(Event).order_by(Event.start_date.desc(), Event.id)))


def public_events_query(today: date | None = None):
    """Published events (the public list pages through it): the running and upcoming ones
    first, soonest first; then the finished ones, latest first. ``today`` is the date in
    the default zone (an event's own card says whether it is over in its zone)."""
    today = today or to_local(utcnow(), DEFAULT_TIMEZONE).date()
    finished = Event.end_date < today
    return (
        sa.select(Event)
        .where(Event.published.is_(True))
        .order_by(
            sa.case((finished, 1), else_=0),
            sa.case((finished, None), else_=Event.start_date),
            Event.start_date.desc(),
            Event.id,
        )
    )


def public_events():
    return db.session.scalars(public_events_query()).all()


def clean_event(data, *, existing: Event | None = None) -> dict:
    """Check an event's fields; raise InvalidInput listing every problem."""
    errors, values = {}, {}
    code = str(data.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        errors["code"] = _("Kode 2–20 karakter: huruf besar, angka atau tanda minus.")
    values["code"] = code
    for field, label, limit in (
        ("title", "Judul", 300),
        ("organizer", "Penyelenggara", 200),
        ("provider", "Lembaga pelaksana", 200),
        ("venue", "Tempat", 200),
        ("city", "Kota", 100),
    ):
        value = " ".join(str(data.get(field) or "").split())
        if field == "title" and not value:
            errors[field] = _("Judul wajib diisi.")
        if len(value) > limit:
            errors[field] = _(
                "%(label)s paling banyak %(limit)s karakter.", label=label, limit=limit
            )
        values[field] = value
    values["description"] = str(data.get("description") or "").strip()
    tz_name = str(data.get("timezone") or "Asia/Makassar").strip()
    try:
        zone(tz_name)
    except Exception:
        errors["timezone"] = _("Zona waktu tidak dikenal.")
        tz_name = "Asia/Makassar"
    values["timezone"] = tz_name
    values["start_date"] = parse_date(data.get("start_date"), "Tanggal mulai", errors, "start_date")
    values["end_date"] = parse_date(data.get("end_date"), "Tanggal selesai", errors, "end_date")
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    values["capacity"] = parse_int(
        data.get("capacity"), "Kapasitas", errors, "capacity", minimum=1, maximum=100_000
    )
    values["minutes_per_jp"] = parse_int(
        data.get("minutes_per_jp", 45),
        "Menit per JP",
        errors,
        "minutes_per_jp",
        minimum=1,
        maximum=240,
    )
    values["late_grace_minutes"] = parse_int(
        data.get("late_grace_minutes", 15),
        "Toleransi terlambat",
        errors,
        "late_grace_minutes",
        minimum=0,
        maximum=240,
    )
    values["registration_opens_at"] = parse_local_datetime(
        data.get("registration_opens_at"),
        tz_name,
        "Pendaftaran dibuka",
        errors,
        "registration_opens_at",
    )
    values["registration_closes_at"] = parse_local_datetime(
        data.get("registration_closes_at"),
        tz_name,
        "Pendaftaran ditutup",
        errors,
        "registration_closes_at",
    )
    opens, closes = values["registration_opens_at"], values["registration_closes_at"]
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _("Penutupan pendaftaran harus setelah pembukaan.")
    values["published"] = parse_flag(data.get("published", True))
    if not errors.get("code"):
        clash = db.session.scalar(sa.select(Event.id).where(Event.code == code))
        if clash and (existing is None or clash != existing.id):
            errors["code"] = _("Kode ini sudah dipakai kegiatan lain.")
    if errors:
        raise InvalidInput(_("Periksa kembali isian kegiatan."), fields=errors)
    return values


def create_event(data, *, actor=None, channel="web") -> Event:
    event = Event(**clean_event(data))
    db.session.add(event)
    db.session.flush()
    record("event.create", actor=actor, channel=channel, event_id=event.id, target=event)
    return event


def update_event(event: Event, data, *, registered: int, actor=None, channel="web") -> Event:
    """Change an event; its capacity never drops below ``registered``.

    ``registered`` is the count of registered participants, taken by the caller under the
    event's lock (``participants.registration.change_event``): participants sit above events
    (import-linter layers), so events cannot count them, and a required argument cannot be
    forgotten the way an unimported signal receiver could. The rule itself stays here, with
    the capacity it guards (``refuse_capacity_below``)."""
    values = clean_event(data, existing=event)
    refuse_capacity_below(values["capacity"], registered)
    changed = sorted(k for k, v in values.items() if getattr(event, k) != v)
    for key, value in values.items():
        setattr(event, key, value)
    db.session.flush()
    event_updated.send(event, actor=actor, channel=channel)
    record(
        "event.update",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"fields": changed},
    )
    return event


def refuse_capacity_below(capacity: int, registered: int) -> None:
    """An event's capacity never drops below its registered participants."""
    if capacity < registered:
        raise InvalidInput(
            _(
                "Kapasitas tidak boleh lebih kecil dari jumlah peserta terdaftar (%(n)s).",
                n=registered,
            ),
            fields={"capacity": _("Minimal %(n)s.", n=registered)},
        )


def close_event(event: Event, *, actor, channel="web", now: datetime | None = None) -> Event:
    """ "Tutup kegiatan": from now on participants cannot cancel (``Event.locked``); a manager
    still can. Closing a closed event changes nothing."""
    if event.closed_at is None:
        event.closed_at = now or utcnow()
        db.session.flush()
        record("event.close", actor=actor, channel=channel, event_id=event.id, target=event)
    return event


def reopen_event(event: Event, *, actor, channel="web") -> Event:
    """Undo "Tutup kegiatan" (an event past its last day stays locked by its dates)."""
    if event.closed_at is not None:
        previous = event.closed_at.isoformat()
        event.closed_at = None
        db.session.flush()
        record(
            "event.reopen",
            actor=actor,
            channel=channel,
            event_id=event.id,
            target=event,
            details={"closed_at": previous},
        )
    return event


def clean_module(event: Event, data, *, existing: Module | None = None) -> dict:
    errors, values = {}, {}
    code = str(data.get("code") or "").strip().upper()
    if not code or len(code) > 20:
        errors["code"] = _("Kode materi wajib diisi (maks. 20 karakter).")
    values["code"] = code
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        errors["title"] = _("Judul materi wajib diisi.")
    values["title"] = title[:300]
    values["description"] = str(data.get("description") or "").strip()
    values["speakers"] = "\n".join(
        line.strip() for line in str(data.get("speakers") or "").splitlines() if line.strip()
    )
    values["jp"] = parse_int(data.get("jp", 0), "JP", errors, "jp", minimum=0, maximum=500)
    values["position"] = parse_int(
        data.get("position", 0) or 0, "Urutan", errors, "position", minimum=0, maximum=1000
    )
    if code and "code" not in errors:
        clash = db.session.scalar(
            sa.select(Module.id).where(Module.event_id == event.id, Module.code == code)
        )
        if clash and (existing is None or clash != existing.id):
            errors["code"] = _("Kode materi sudah dipakai di kegiatan ini.")
    if errors:
        raise InvalidInput(_("Periksa kembali isian materi."), fields=errors)
    return values


def save_module(
    event: Event, data, *, module: Module | None = None, actor=None, channel="web"
) -> Module:
    values = clean_module(event, data, existing=module)
    if module is None:
        module = Module(event=event, **values)
        db.session.add(module)
        action = "module.create"
    else:
        for key, value in values.items():
            setattr(module, key, value)
        action = "module.update"
    db.session.flush()
    sync_speakers(module)
    record(action, actor=actor, channel=channel, event_id=event.id, target=module)
    return module


def delete_module(module: Module, *, actor=None, channel="web") -> None:
    record(
        "module.delete",
        actor=actor,
        channel=channel,
        event_id=module.event_id,
        target=module,
        details={"code": module.code, "title": module.title},
    )
    file_ids = [material.file_id for material in module.materials]
    db.session.delete(module)
    db.session.flush()
    for file_id in file_ids:
        files.delete(file_id)


def clean_session(event: Event, data) -> dict:
    errors, values = {}, {}
    title = " ".join(str(data.get("title") or "").split())
    module_id = data.get("module_id") or None
    module = None
    if module_id not in (None, "", "0", 0):
        try:
            module = load_in_event(Module, module_id, event)
        except NotFound:
            errors["module_id"] = _("Materi tidak ditemukan pada kegiatan ini.")
    if not title and module is not None:
        title = module.title
    if not title:
        errors["title"] = _("Judul sesi wajib diisi (atau pilih materi).")
    values["title"] = title[:300]
    values["module_id"] = module.id if module else None
    day = parse_date(data.get("day"), "Tanggal", errors, "day")
    starts = ends = None
    for field, label in (("start_time", "Jam mulai"), ("end_time", "Jam selesai")):
        raw = data.get(field)
        try:
            parsed = raw if isinstance(raw, time) else time.fromisoformat(str(raw or "").strip())
        except ValueError:
            errors[field] = _("%(label)s: isi jam dengan format JJ:MM.", label=label)
            continue
        if day:
            moment = local_to_utc(datetime.combine(day, parsed), event.timezone)
            if field == "start_time":
                starts = moment
            else:
                ends = moment
    if starts and ends and ends <= starts:
        errors["end_time"] = _("Jam selesai harus setelah jam mulai.")
    if (
        day
        and event.start_date
        and event.end_date
        and not (event.start_date <= day <= event.end_date)
    ):
        errors["day"] = _("Tanggal sesi harus di antara tanggal mulai dan selesai kegiatan.")
    values["starts_at"], values["ends_at"] = starts, ends
    values["room"] = " ".join(str(data.get("room") or "").split())[:120]
    values["mandatory"] = parse_flag(data.get("mandatory", True))
    values["class_id"] = _session_class(event, data.get("class_id"), errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian sesi."), fields=errors)
    return values


def _session_class(event: Event, raw, errors: dict) -> int | None:
    """The class a session is for, from the form's "class_id" (empty: plenary)."""
    if raw in (None, "", "0", 0):
        return None
    try:
        return load_in_event(EventClass, raw, event).id
    except NotFound:
        errors["class_id"] = _("Kelas tidak ditemukan pada kegiatan ini.")
        return None


def save_session(
    event: Event, data, *, session: Session | None = None, actor=None, channel="web"
) -> Session:
    values = clean_session(event, data)
    if session is None:
        session = Session(event=event, **values)
        db.session.add(session)
        action = "session.create"
    else:
        for key, value in values.items():
            setattr(session, key, value)
        action = "session.update"
    db.session.flush()
    record(action, actor=actor, channel=channel, event_id=event.id, target=session)
    return session


def delete_session(session: Session, *, actor=None, channel="web") -> None:
    record(
        "session.delete",
        actor=actor,
        channel=channel,
        event_id=session.event_id,
        target=session,
        details={"title": session.title},
    )
    session_deleting.send(session)
    db.session.delete(session)
    db.session.flush()


def current_session(event: Event, now: datetime | None = None) -> Session | None:
    """The session running now, else the next one today, else the last one that started."""
    now = now or utcnow()
    sessions = list(event.sessions)
    for session in sessions:
        if session.starts_at - timedelta(minutes=30) <= now < session.ends_at:
            return session
    upcoming = [s for s in sessions if s.starts_at >= now]
    if upcoming and upcoming[0].local_day == event.local(now).date():
        return upcoming[0]
    started = [s for s in sessions if s.starts_at < now]
    if started:
        return started[-1]
    return upcoming[0] if upcoming else None


def schedule_by_day(event: Event, sessions=None) -> list[tuple[date, list[Session]]]:
    """``sessions`` (default: all the event's) by local day; a participant's own schedule
    passes theirs (``bimtek.events.classes.sessions_for``)."""
    days: dict[date, list[Session]] = {}
    for session in event.sessions if sessions is None else sessions:
        days.setdefault(session.local_day, []).append(session)
    return sorted(days.items())


MATERIAL_KINDS = {
    "pdf": "application/pdf",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def material_kind(content: bytes) -> str | None:
    """What the file really is, from its bytes: 'pdf', 'ppt', 'pptx', or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(_OLE_MAGIC):
        return "ppt"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "ppt/presentation.xml" in archive.namelist():
                    return "pptx"
        except zipfile.BadZipFile:
            return None
    return None


def add_material(
    module: Module,
    *,
    stream,
    filename: str,
    title: str,
    max_bytes: int,
    actor=None,
    channel="web",
) -> Material:
    """Keep an uploaded PDF or PowerPoint with a module, after checking size and content."""
    content = stream.read(max_bytes + 1)
    if not content:
        raise InvalidInput(_("Pilih berkas untuk diunggah."), fields={"file": _("Berkas kosong.")})
    if len(content) > max_bytes:
        limit = f"{max_bytes // (1024 * 1024)} MB"
        raise InvalidInput(
            _("Berkas lebih dari %(limit)s.", limit=limit),
            fields={"file": _("Maksimal %(limit)s.", limit=limit)},
        )
    kind = material_kind(content)
    if kind is None:
        raise InvalidInput(
            _("Hanya berkas PDF, PPT atau PPTX yang diterima."),
            fields={"file": _("Isi berkas bukan PDF/PPT/PPTX.")},
        )
    safe_name = secure_filename(filename or "") or f"materi.{kind}"
    stem = safe_name.rsplit(".", 1)[0] if "." in safe_name else safe_name
    safe_name = f"{stem}.{kind}"
    title = " ".join(str(title or "").split())[:200] or stem.replace("_", " ")
    stored = files.put(content, content_type=MATERIAL_KINDS[kind])
    material = Material(
        module=module,
        title=title,
        filename=safe_name,
        file_id=stored.id,
        kind=kind,
        size_bytes=len(content),
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(material)
    db.session.flush()
    record(
        "material.upload",
        actor=actor,
        channel=channel,
        event_id=module.event_id,
        target=material,
        details={"filename": safe_name, "bytes": len(content)},
    )
    return material


def delete_material(material: Material, *, actor=None, channel="web") -> None:
    record(
        "material.delete",
        actor=actor,
        channel=channel,
        event_id=material.module.event_id,
        target=material,
        details={"filename": material.filename},
    )
    file_id = material.file_id
    db.session.delete(material)
    db.session.flush()
    files.delete(file_id)

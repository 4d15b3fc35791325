"""Salin kegiatan: the next batch of a Bimtek, from an earlier one.

Copied: the event's details, modules, classes (kelas, empty), sessions (moved to the new
dates, same local times, each for the same class or plenary),
the question bank and the tests' settings (their windows follow the new schedule), the
certificate settings with logos and background, and the signatories, the narasumber and
moderators of each module (with institution, NIP and email: they usually teach the next
batch too).
Not copied: people (participants, attendance, attempts, certificates, the panitia), staff
rights (an administrator assigns them, as for a new event), teaching material files (uploaded
again), messages.

The question bank and the certificate settings belong to domains above events: they copy
their part when ``event_cloned`` is sent (``assessments/cloning.py``, ``certificates/cloning.py``).
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.core.forms import parse_date
from bimtek.errors import Forbidden, InvalidInput
from bimtek.events.clone_review import start_review
from bimtek.events.models import Contributor, Event, EventClass, Module, Session
from bimtek.events.services import clean_event, create_event
from bimtek.events.signals import event_cloned
from bimtek.extensions import db

#: columns of an event a clone takes from its source (the form gives code, title, dates)
EVENT_FIELDS = (
    "description",
    "organizer",
    "provider",
    "venue",
    "city",
    "timezone",
    "capacity",
    "minutes_per_jp",
    "late_grace_minutes",
)


def clone_event(source: Event, data, *, actor, channel: str = "web") -> Event:
    """A new, unpublished event like ``source`` with the code, title and dates in ``data``.

    Only install-wide administrators create events, so only they clone (Forbidden
    otherwise). Raises InvalidInput for a bad code, title or dates, or a schedule that does
    not fit the new dates.
    """
    if actor is None or not getattr(actor, "is_admin", False):
        raise Forbidden(_("Hanya administrator yang dapat membuat (menyalin) kegiatan."))
    errors = {}
    start = parse_date(data.get("start_date"), "Tanggal mulai", errors, "start_date")
    end = parse_date(data.get("end_date"), "Tanggal selesai", errors, "end_date")
    shift = timedelta(days=(start - source.start_date).days) if start else None
    if start and end:
        last_day = max((s.local_day for s in source.sessions), default=source.start_date)
        needed = last_day + shift
        if end < needed:
            errors["end_date"] = _(
                "Jadwal asal berakhir hari ke-%(n)s; tanggal selesai minimal %(day)s.",
                n=(last_day - source.start_date).days + 1,
                day=needed.strftime("%d-%m-%Y"),
            )
    values = {field: getattr(source, field) for field in EVENT_FIELDS}
    values.update(
        code=data.get("code"),
        title=(data.get("title") or "").strip() or source.title,
        start_date=data.get("start_date"),
        end_date=data.get("end_date"),
        published=False,
    )
    try:
        clean_event(values)
    except InvalidInput as error:
        errors = {**error.fields, **errors}
    if errors:
        raise InvalidInput(_("Periksa kembali isian salinan kegiatan."), fields=errors)
    event = create_event(values, actor=actor, channel=channel)
    modules = _copy_modules(source, event)
    sessions = _copy_sessions(source, event, modules, shift)
    copied = dict(
        answer for _receiver, answer in event_cloned.send(source, event=event, modules=modules)
    )
    start_review(source, event, copied)
    record(
        "event.clone",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={
            "source": source.code,
            "modules": len(modules),
            "sessions": sessions,
            "questions": copied.get("questions", 0),
            "signatories": copied.get("signatories", 0),
        },
    )
    db.session.flush()
    return event


def _copy_modules(source: Event, event: Event) -> dict[int, Module]:
    copies = {}
    for module in source.modules:
        copy = Module(
            event_id=event.id,
            code=module.code,
            title=module.title,
            description=module.description,
            jp=module.jp,
            speakers=module.speakers,
            position=module.position,
        )
        db.session.add(copy)
        copies[module.id] = copy
    db.session.flush()
    for contributor in db.session.scalars(
        sa.select(Contributor)
        .where(Contributor.event_id == source.id, Contributor.module_id.is_not(None))
        .order_by(Contributor.id)
    ):
        db.session.add(
            Contributor(
                event_id=event.id,
                module_id=copies[contributor.module_id].id,
                role=contributor.role,
                name=contributor.name,
                institution=contributor.institution,
                nip=contributor.nip,
                email=contributor.email,
                position=contributor.position,
            )
        )
    db.session.flush()
    return copies


def _copy_classes(source: Event, event: Event) -> dict[int, EventClass]:
    """The classes (kelas), empty: who is in which is the new batch's own."""
    copies = {}
    for event_class in source.classes:
        copy = EventClass(
            event_id=event.id,
            name=event_class.name,
            room=event_class.room,
            capacity=event_class.capacity,
        )
        db.session.add(copy)
        copies[event_class.id] = copy
    db.session.flush()
    return copies


def _copy_sessions(source: Event, event: Event, modules: dict, shift: timedelta) -> int:
    classes = _copy_classes(source, event)
    for session in source.sessions:
        module = modules.get(session.module_id)
        event_class = classes.get(session.class_id)
        db.session.add(
            Session(
                event_id=event.id,
                module_id=module.id if module else None,
                class_id=event_class.id if event_class else None,
                title=session.title,
                starts_at=session.starts_at + shift,
                ends_at=session.ends_at + shift,
                room=session.room,
                mandatory=session.mandatory,
            )
        )
    db.session.flush()
    db.session.expire(event, ["sessions", "modules", "classes"])
    return len(source.sessions)

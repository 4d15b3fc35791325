"""Classes (kelas) of an event and who is in which: creating, renaming and deleting a class,
and assigning participants by category, by hand, evenly, or from the import.

Which sessions are whose is decided in one place, ``bimtek.events.classes.session_is_for``;
this module only changes who is in which class. Every change of a person's class is written
to the audit log (``participant.class``) with how it was made.

A class's capacity is a hard limit on the registered participants assigned to it: an
assignment that would go over is refused as a whole, with the class named. Waitlisted
people may be assigned (they keep their class when they get a seat) but do not count.
Cancelled people keep no class once their class is deleted.
"""

import re
from collections import Counter

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.errors import Conflict, InvalidInput
from bimtek.events.classes import sessions_for
from bimtek.events.models import Event, EventClass, Session
from bimtek.extensions import db
from bimtek.participants.models import INSTITUTION_CATEGORIES, Participant

NAME_MAX = 80
ROOM_MAX = 120
#: the statuses a class assignment applies to (cancelled people are left as they are)
ASSIGNABLE = ("registered", "waitlisted")


class ClassInUse(Conflict):
    code = "class_in_use"


class ClassFull(Conflict):
    code = "class_full"


def _whole(raw) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None


def _plain(text) -> str:
    return " ".join(str(text or "").split())


def name_key(name: str) -> str:
    """How class names are compared: case and spacing ignored ("kelas  a" = "Kelas A")."""
    return re.sub(r"\s+", " ", str(name or "")).strip().casefold()


def own_sessions(participant: Participant) -> list[Session]:
    """The sessions a participant is expected at: the plenary ones and their class's."""
    return sessions_for(participant.event.sessions, participant.class_id)


def find_class(event: Event, name: str) -> EventClass | None:
    """The event's class with this name (case and spacing ignored), or None."""
    key = name_key(name)
    return next((c for c in event.classes if name_key(c.name) == key), None)


def class_sizes(event: Event) -> dict[int, int]:
    """Class id → registered participants in it (every class of the event, 0 included)."""
    sizes = dict.fromkeys((c.id for c in event.classes), 0)
    rows = db.session.execute(
        sa.select(Participant.class_id, sa.func.count())
        .where(
            Participant.event_id == event.id,
            Participant.status == "registered",
            Participant.class_id.is_not(None),
        )
        .group_by(Participant.class_id)
    ).all()
    sizes.update(dict(rows))
    return sizes


def unassigned_count(event: Event) -> int:
    """Registered participants of the event in no class (expected at plenary sessions only)."""
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Participant.event_id == event.id,
            Participant.status == "registered",
            Participant.class_id.is_(None),
        )
    )


def clean_class(event: Event, data, *, existing: EventClass | None = None) -> dict:
    """The fields of a class form, or InvalidInput with a message per field."""
    errors = {}
    name = _plain(data.get("name"))
    if not name:
        errors["name"] = _("Nama kelas wajib diisi, mis. Kelas A.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Nama kelas paling banyak %(n)s karakter.", n=NAME_MAX)
    else:
        same = find_class(event, name)
        if same is not None and same is not existing:
            errors["name"] = _("Sudah ada kelas bernama %(name)s.", name=same.name)
    room = _plain(data.get("room"))
    if len(room) > ROOM_MAX:
        errors["room"] = _("Ruang paling banyak %(n)s karakter.", n=ROOM_MAX)
    capacity = None
    raw_capacity = _plain(data.get("capacity"))
    if raw_capacity:
        capacity = _whole(raw_capacity)
        if capacity is None or not 1 <= capacity <= 100000:
            errors["capacity"] = _("Kapasitas: bilangan bulat 1 atau lebih, atau kosongkan.")
        elif existing is not None:
            size = class_sizes(event).get(existing.id, 0)
            if capacity < size:
                errors["capacity"] = _(
                    "Kelas ini sudah berisi %(size)s peserta; kapasitas tidak boleh kurang.",
                    size=size,
                )
    if errors:
        raise InvalidInput(_("Periksa kembali isian kelas."), fields=errors)
    return {"name": name, "room": room, "capacity": capacity}


def save_class(
    event: Event, data, *, event_class: EventClass | None = None, actor=None, channel="web"
) -> EventClass:
    """Create a class, or rename / change the room or capacity of one. Flushes."""
    values = clean_class(event, data, existing=event_class)
    if event_class is None:
        event_class = EventClass(event=event, **values)
        db.session.add(event_class)
        action, details = "class.create", values
    else:
        before = {key: getattr(event_class, key) for key in values}
        for key, value in values.items():
            setattr(event_class, key, value)
        action = "class.update"
        details = {"before": before, "after": values}
    db.session.flush()
    record(
        action, actor=actor, channel=channel, event_id=event.id, target=event_class, details=details
    )
    return event_class


def delete_class(event_class: EventClass, *, actor=None, channel="web") -> None:
    """Delete a class that no session and no registered or waitlisted person is in.

    ClassInUse otherwise, saying what holds it: move the people and the sessions first, so
    nobody silently loses the sessions they are expected at. Cancelled people in it are left
    in no class."""
    sessions = db.session.scalar(
        sa.select(sa.func.count()).where(Session.class_id == event_class.id)
    )
    people = db.session.scalar(
        sa.select(sa.func.count()).where(
            Participant.class_id == event_class.id, Participant.status.in_(ASSIGNABLE)
        )
    )
    if sessions or people:
        raise ClassInUse(
            _(
                "%(name)s tidak dapat dihapus: masih ada %(people)s peserta dan %(sessions)s "
                "sesi di kelas ini. Pindahkan peserta dan ubah sesinya dulu.",
                name=event_class.name,
                people=people,
                sessions=sessions,
            )
        )
    db.session.execute(
        sa.update(Participant)
        .where(Participant.class_id == event_class.id)
        .values(class_id=None)
        .execution_options(synchronize_session="fetch")
    )
    record(
        "class.delete",
        actor=actor,
        channel=channel,
        event_id=event_class.event_id,
        target=event_class,
        details={"name": event_class.name},
    )
    db.session.delete(event_class)
    db.session.flush()


def _class_ids(event: Event, raw_ids) -> dict:
    """Map raw class ids (text or int, "" for none) to an event's class ids; InvalidInput
    for one that is not the event's."""
    known = {c.id for c in event.classes}
    result = {}
    for raw in raw_ids:
        if raw in (None, "", "0", 0):
            result[raw] = None
            continue
        value = _whole(raw)
        if value not in known:
            raise InvalidInput(_("Kelas tidak ditemukan pada kegiatan ini."), code="unknown_class")
        result[raw] = value
    return result


def check_capacity(event: Event, people: list[Participant], changes: dict[int, int | None]):
    """ClassFull unless every class stays within its capacity once ``changes`` (participant
    id → class id) are applied; ``people`` are the participants being changed."""
    sizes = Counter(class_sizes(event))
    for person in people:
        if person.status != "registered" or person.id not in changes:
            continue
        if person.class_id is not None:
            sizes[person.class_id] -= 1
        if changes[person.id] is not None:
            sizes[changes[person.id]] += 1
    for event_class in event.classes:
        if event_class.capacity is not None and sizes[event_class.id] > event_class.capacity:
            raise ClassFull(
                _(
                    "%(name)s penuh: kapasitas %(capacity)s, akan berisi %(size)s peserta.",
                    name=event_class.name,
                    capacity=event_class.capacity,
                    size=sizes[event_class.id],
                )
            )


def assign_classes(event: Event, changes: dict, *, how: str, actor=None, channel="web") -> int:
    """Put participants into classes: ``changes`` maps participant id → class id (None: no
    class). Ids of another event's participants or classes are refused (InvalidInput
    ``unknown_class`` / ``unknown_participant``), so is going over a capacity (ClassFull);
    nothing is changed then. ``how`` names the way in the audit log (hand, bulk, category,
    spread, import). Returns how many people changed class. Flushes; the caller commits."""
    wanted = {}
    ids = _class_ids(event, set(changes.values()))
    for raw_person, raw_class in changes.items():
        person_id = _whole(raw_person)
        if person_id is None:
            raise InvalidInput(_("Peserta tidak ditemukan."), code="unknown_participant")
        wanted[person_id] = ids[raw_class]
    if not wanted:
        return 0
    people = list(
        db.session.scalars(
            sa.select(Participant).where(
                Participant.event_id == event.id, Participant.id.in_(list(wanted))
            )
        )
    )
    if len(people) != len(wanted):
        raise InvalidInput(
            _("Ada peserta yang tidak ditemukan pada kegiatan ini."), code="unknown_participant"
        )
    moving = [p for p in people if p.status in ASSIGNABLE and p.class_id != wanted[p.id]]
    check_capacity(event, moving, wanted)
    for person in moving:
        record(
            "participant.class",
            actor=actor,
            channel=channel,
            event_id=event.id,
            target=person,
            details={"from": person.class_id, "to": wanted[person.id], "how": how},
        )
        person.class_id = wanted[person.id]
    db.session.flush()
    return len(moving)


def assign_by_category(event: Event, category_classes: dict, *, actor=None, channel="web") -> int:
    """Each institution category → a class: everyone registered or waitlisted of a category
    named in ``category_classes`` goes to its class ("" or None: left as they are)."""
    chosen = {
        category: raw
        for category, raw in category_classes.items()
        if category in INSTITUTION_CATEGORIES and raw not in (None, "")
    }
    if not chosen:
        raise InvalidInput(
            _("Pilih kelas untuk sedikitnya satu kategori instansi."), code="nothing_chosen"
        )
    ids = _class_ids(event, set(chosen.values()))
    rows = db.session.execute(
        sa.select(Participant.id, Participant.institution_category).where(
            Participant.event_id == event.id,
            Participant.status.in_(ASSIGNABLE),
            Participant.institution_category.in_(list(chosen)),
        )
    ).all()
    changes = {pid: ids[chosen[category]] for pid, category in rows}
    return assign_classes(event, changes, how="category", actor=actor, channel=channel)


def spread_evenly(event: Event, *, actor=None, channel="web") -> int:
    """Put every registered participant who has no class into the class with the fewest
    people, in order of category then name, so categories mix across classes; a class at
    its capacity takes no more (ClassFull when nobody has room left)."""
    classes = list(event.classes)
    if not classes:
        raise InvalidInput(_("Buat kelas dulu."), code="no_classes")
    people = db.session.scalars(
        sa.select(Participant)
        .where(
            Participant.event_id == event.id,
            Participant.status == "registered",
            Participant.class_id.is_(None),
        )
        .order_by(Participant.institution_category, Participant.sort_name, Participant.id)
    ).all()
    sizes = class_sizes(event)
    order = {c.id: index for index, c in enumerate(classes)}
    changes = {}
    for person in people:
        room = [c for c in classes if c.capacity is None or sizes[c.id] < c.capacity]
        if not room:
            raise ClassFull(
                _(
                    "Semua kelas penuh; %(n)s peserta belum mendapat kelas. Tambah kelas atau "
                    "kapasitasnya.",
                    n=len(people) - len(changes),
                )
            )
        target = min(room, key=lambda c: (sizes[c.id], order[c.id]))
        sizes[target.id] += 1
        changes[person.id] = target.id
    return assign_classes(event, changes, how="spread", actor=actor, channel=channel)

"""Who served an event, for their certificates: the narasumber and moderator of each module
and the organizing committee (panitia).

A module's narasumber rows and its ``Module.speakers`` text (what the evaluation asks
about) are one list: saving the module's form adds and removes rows to match the names
typed there (``sync_speakers``), and changing the rows here rewrites the text. Panitia are
entered by name, or taken from the event's staff accounts (``add_staff_as_panitia``).
Operations flush and write an audit record; the caller commits.

A contributor's email address (optional) is where their certificate is mailed. It is
personal data (UU 27/2022): shown to the event's managers only, never written to the audit
log, erased by the personal-data purge.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth.models import User
from bimtek.core.inputs import email_address, has_forbidden_text
from bimtek.errors import InvalidInput
from bimtek.events.access import load_in_event
from bimtek.events.models import CONTRIBUTOR_ROLES, Contributor, Event, EventStaff, Module
from bimtek.extensions import db

NIP_LENGTH = 18


def same_name(name: str) -> str:
    """How two spellings of one name compare: spaces collapsed, case folded."""
    return " ".join(str(name or "").split()).casefold()


def contributors_of(event: Event) -> list[Contributor]:
    """Every contributor of the event: by module order, then panitia."""
    rows = db.session.scalars(
        sa.select(Contributor)
        .outerjoin(Module, Module.id == Contributor.module_id)
        .where(Contributor.event_id == event.id)
        .order_by(
            Module.position.is_(None),
            Module.position,
            Module.id,
            Contributor.role,
            Contributor.position,
            Contributor.id,
        )
    )
    return list(rows)


def clean_contributor(event: Event, data) -> dict:
    """The fields of a new contributor, or InvalidInput naming each bad field."""
    errors = {}
    role = str(data.get("role") or "").strip()
    if role not in CONTRIBUTOR_ROLES:
        errors["role"] = _("Pilih peran: narasumber, moderator, atau panitia.")
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors["name"] = _("Nama wajib diisi.")
    elif len(name) > 200:
        errors["name"] = _("Nama paling banyak 200 karakter.")
    institution = " ".join(str(data.get("institution") or "").split())
    if len(institution) > 200:
        errors["institution"] = _("Instansi paling banyak 200 karakter.")
    nip = "".join(str(data.get("nip") or "").split())
    if nip and (not nip.isdigit() or len(nip) != NIP_LENGTH):
        errors["nip"] = _("NIP terdiri dari 18 angka, atau kosongkan.")
    try:
        email = email_address(data.get("email"))
    except ValueError:
        email = ""
        errors["email"] = _("Alamat email tidak valid.")
    for field, value in (("name", name), ("institution", institution)):
        if field not in errors and has_forbidden_text(value):
            errors[field] = _("Isian memuat karakter yang tidak diizinkan.")
    module = None
    raw_module = str(data.get("module_id") or "").strip()
    if role in ("narasumber", "moderator"):
        if not raw_module.isdigit():
            errors["module_id"] = _("Pilih materi yang dibawakan atau dimoderatori.")
        else:
            module = db.session.get(Module, int(raw_module))
            if module is None or module.event_id != event.id:
                errors["module_id"] = _("Materi tidak ditemukan pada kegiatan ini.")
    if errors:
        raise InvalidInput(_("Periksa kembali isian narasumber/moderator/panitia."), fields=errors)
    return {
        "role": role,
        "name": name,
        "institution": institution,
        "nip": nip,
        "email": email,
        "module": module,
    }


def _next_position(event: Event, role: str, module: Module | None) -> int:
    query = sa.select(sa.func.coalesce(sa.func.max(Contributor.position), -1)).where(
        Contributor.event_id == event.id, Contributor.role == role
    )
    if module is not None:
        query = query.where(Contributor.module_id == module.id)
    return db.session.scalar(query) + 1


def add_contributor(event: Event, data, *, actor=None, channel="web") -> Contributor:
    """Add a narasumber or moderator of a module, or a panitia member."""
    values = clean_contributor(event, data)
    module = values.pop("module")
    if module is not None and any(
        c.role == values["role"] and same_name(c.name) == same_name(values["name"])
        for c in _rows_of(module)
    ):
        raise InvalidInput(
            _("%(name)s sudah tercatat pada materi ini.", name=values["name"]),
            fields={"name": _("Sudah tercatat.")},
        )
    contributor = Contributor(
        event_id=event.id,
        module_id=module.id if module else None,
        position=_next_position(event, values["role"], module),
        **values,
    )
    db.session.add(contributor)
    db.session.flush()
    if module is not None and contributor.role == "narasumber":
        _write_speakers(module)
    record(
        "contributor.add",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=contributor,
        details={"role": contributor.role, "name": contributor.name},
    )
    return contributor


def remove_contributor(contributor: Contributor, *, actor=None, channel="web") -> None:
    """Remove a contributor (certificates already issued to them stay as issued)."""
    module = contributor.module
    record(
        "contributor.remove",
        actor=actor,
        channel=channel,
        event_id=contributor.event_id,
        target=contributor,
        details={"role": contributor.role, "name": contributor.name},
    )
    db.session.delete(contributor)
    db.session.flush()
    if module is not None and contributor.role == "narasumber":
        _write_speakers(module)


def set_contributor_email(contributor: Contributor, raw, *, actor=None, channel="web") -> None:
    """Set or correct (or clear, with "") where the contributor's certificate is mailed; the
    audit record says that it changed, never the address."""
    try:
        email = email_address(raw)
    except ValueError:
        raise InvalidInput(
            _("Alamat email tidak valid."), fields={"email": _("Alamat email tidak valid.")}
        ) from None
    if email == contributor.email:
        return
    contributor.email = email
    db.session.flush()
    record(
        "contributor.email",
        actor=actor,
        channel=channel,
        event_id=contributor.event_id,
        target=contributor,
        details={"role": contributor.role, "name": contributor.name, "cleared": not email},
    )


def get_contributor(event: Event, contributor_id) -> Contributor:
    return load_in_event(Contributor, contributor_id, event)


def add_staff_as_panitia(event: Event, *, actor=None, channel="web") -> int:
    """Every staff account of the event not yet among its panitia becomes a panitia member
    (by name, with the account linked). Returns how many were added."""
    staff = db.session.execute(
        sa.select(User.id, User.full_name)
        .join(EventStaff, EventStaff.user_id == User.id)
        .where(EventStaff.event_id == event.id)
        .order_by(EventStaff.role, User.full_name)
    ).all()
    present = db.session.scalars(
        sa.select(Contributor).where(
            Contributor.event_id == event.id, Contributor.role == "panitia"
        )
    ).all()
    users = {c.user_id for c in present if c.user_id}
    names = {same_name(c.name) for c in present}
    position = _next_position(event, "panitia", None)
    added = 0
    for user_id, full_name in staff:
        if user_id in users or same_name(full_name) in names:
            continue
        db.session.add(
            Contributor(
                event_id=event.id,
                role="panitia",
                name=" ".join(full_name.split())[:200],
                institution="",
                nip="",
                user_id=user_id,
                position=position,
            )
        )
        names.add(same_name(full_name))
        position += 1
        added += 1
    db.session.flush()
    if added:
        record(
            "contributor.add_staff",
            actor=actor,
            channel=channel,
            event_id=event.id,
            target=event,
            details={"added": added},
        )
    return added


def _rows_of(module: Module) -> list[Contributor]:
    return list(
        db.session.scalars(
            sa.select(Contributor)
            .where(Contributor.module_id == module.id)
            .order_by(Contributor.position, Contributor.id)
        )
    )


def _write_speakers(module: Module) -> None:
    names = [c.name for c in _rows_of(module) if c.role == "narasumber"]
    module.speakers = "\n".join(names)
    db.session.flush()


def sync_speakers(module: Module) -> None:
    """Make the module's narasumber rows the names in ``Module.speakers``, in that order:
    a name kept keeps its institution and NIP (flushes)."""
    names = [line.strip() for line in (module.speakers or "").splitlines() if line.strip()]
    rows = [c for c in _rows_of(module) if c.role == "narasumber"]
    by_name = {}
    for row in rows:
        by_name.setdefault(same_name(row.name), row)
    kept = set()
    for position, name in enumerate(names):
        row = by_name.get(same_name(name))
        if row is None or row.id in kept:
            row = Contributor(
                event_id=module.event_id,
                module_id=module.id,
                role="narasumber",
                name=name[:200],
                institution="",
                nip="",
            )
            db.session.add(row)
        row.name = name[:200]
        row.position = position
        if row.id is not None:
            kept.add(row.id)
    for row in rows:
        if row.id not in kept:
            db.session.delete(row)
    db.session.flush()

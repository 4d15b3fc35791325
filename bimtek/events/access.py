"""Who may do what in an event: the one place where staff rights are decided.

Install-wide administrators may do everything. Other staff hold a right per event
(``EventStaff``), as Indico's event managers and pretix's teams: ``manager`` may do
everything about that event, ``panitia`` runs the check-in desk and prints its sign-in
sheets and badges. Staff not assigned to an event get a 404 for it, so a regency's staff
do not even learn another regency's Bimtek exists; staff with a lesser right get a 403.

Every view and API handler that takes an event code, or an id of a row inside an event,
loads it through ``load_event`` / ``load_in_event`` (or the ``event_required`` decorator),
so the answer for "not yours" is the same everywhere.
"""

import re
from functools import wraps

import sqlalchemy as sa
from flask import g, has_app_context, request
from flask_babel import gettext as _
from flask_login import current_user

from bimtek.core.database import get_by_id
from bimtek.errors import Forbidden, NotFound
from bimtek.events.models import EVENT_ROLES, Event, EventStaff
from bimtek.extensions import db, login_manager

#: a right includes every right ranked below it
RANK = {"panitia": 1, "manager": 2}


class EventForbidden(Forbidden):
    code = "forbidden"


def unknown_event() -> NotFound:
    return NotFound(_("Kegiatan tidak ditemukan."), code="unknown_event")


def event_right(user, event: Event) -> str | None:
    """'manager', 'panitia' or None: what ``user`` may do in ``event`` (admins: manager)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_admin:
        return "manager"
    if user.role != "staff":
        return None
    cache = g.setdefault("_event_rights", {}) if _has_g() else {}
    key = (user.id, event.id)
    if key not in cache:
        cache[key] = db.session.scalar(_STAFF_ROLE, {"event_id": event.id, "user_id": user.id})
    return cache[key]


# built once: every check-in asks it (building a statement per call was a share of a scan)
_STAFF_ROLE = sa.select(EventStaff.role).where(
    EventStaff.event_id == sa.bindparam("event_id"), EventStaff.user_id == sa.bindparam("user_id")
)


def may(user, event: Event, need: str) -> bool:
    """Whether ``user`` holds at least the right ``need`` ('panitia' or 'manager') in ``event``."""
    right = event_right(user, event)
    return right is not None and RANK[right] >= RANK[need]


def authorize(user, event: Event, need: str = "panitia") -> Event:
    """``event`` if ``user`` holds ``need`` in it: 404 if not theirs, 403 if a lesser right."""
    if need not in RANK:
        raise ValueError(f"unknown right {need!r}")
    right = event_right(user, event)
    if right is None:
        raise unknown_event()
    if RANK[right] < RANK[need]:
        raise EventForbidden(_("Anda tidak berhak atas tindakan ini pada kegiatan ini."))
    return event


def load_event(code: str, user, need: str = "panitia") -> Event:
    """The event with this code if ``user`` holds ``need`` in it: 404 if unknown or not theirs,
    403 if theirs with a lesser right."""
    if need not in RANK:
        raise ValueError(f"unknown right {need!r}")
    event = db.session.scalar(sa.select(Event).where(Event.code == str(code or "").upper()))
    if event is None:
        raise unknown_event()
    return authorize(user, event, need)


def owner_event_id(row) -> int:
    """The id of the event ``row`` lives in: its ``event_id``, or its parent's (a model
    without ``event_id`` names the relationship to its parent in ``__event_parent__``,
    e.g. Material → module, Attempt → assessment, Attendance → session)."""
    while not hasattr(type(row), "event_id"):
        row = getattr(row, type(row).__event_parent__)
    return row.event_id


def not_in_event(model) -> NotFound:
    """The one answer for a row that is unknown or not in the event: 404 ``unknown_<model>``."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()
    return NotFound(_("Data tidak ditemukan pada kegiatan ini."), code=f"unknown_{name}")


def load_in_event(model, row_id, event: Event, *, event_of=None):
    """The row of ``model`` with this id if it belongs to ``event``, else 404.

    ``event_of(row)`` gives the row's event id; by default ``owner_event_id`` (the row's
    ``event_id`` or its parent's).
    """
    row = get_by_id(model, row_id)
    if row is not None:
        owner = event_of(row) if event_of else owner_event_id(row)
        if owner == event.id:
            return row
    raise not_in_event(model)


def load_row(model, row_id, user, need: str = "panitia", *, row=None):
    """For routes that take only a row's id (e.g. ``/api/v1/sessions/<id>``): the row if
    ``user`` holds ``need`` in its event. Unknown and not-theirs are the same 404; a lesser
    right is a 403. ``row`` is a row already loaded (a hot path's one query)."""
    row = row if row is not None else get_by_id(model, row_id)
    if row is None:
        raise not_in_event(model)
    event = db.session.get(Event, owner_event_id(row))
    try:
        authorize(user, event, need)
    except NotFound:
        raise not_in_event(model) from None
    return row


def events_for(user) -> list[Event]:
    """The events ``user`` may see as staff, newest first."""
    query = sa.select(Event).order_by(Event.start_date.desc(), Event.id.desc())
    if not user.is_admin:
        query = query.join(EventStaff, EventStaff.event_id == Event.id).where(
            EventStaff.user_id == user.id
        )
    return list(db.session.scalars(query))


def acting_user():
    """The API token's user on the API, else the browser's logged-in user."""
    api_user = g.get("api_user") if _has_g() else None
    return api_user if api_user is not None else current_user


def event_required(need: str = "panitia"):
    """Decorator for views and API handlers taking ``code``: passes ``event`` instead.

    In the browser an anonymous visitor is sent to the login page; on the API the handler
    must sit under ``token_required``. ``g.event`` and ``g.event_right`` are set for
    templates (menus show only what the person may open).
    """
    if need not in RANK:
        raise ValueError(f"unknown right {need!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, code, **kwargs):
            user = acting_user()
            if not getattr(user, "is_authenticated", False):
                if request.path.startswith("/api/"):
                    raise NotFound(_("Kegiatan tidak ditemukan."), code="unknown_event")
                return login_manager.unauthorized()
            if not user.is_staff:
                raise EventForbidden(_("Halaman ini khusus staf kegiatan."))
            event = load_event(code, user, need)
            g.event = event
            g.event_right = event_right(user, event)
            return view(*args, event=event, **kwargs)

        return wrapped

    return decorator


def _has_g() -> bool:

    return has_app_context()


__all__ = [
    "EVENT_ROLES",
    "EventForbidden",
    "acting_user",
    "authorize",
    "event_required",
    "event_right",
    "events_for",
    "load_event",
    "load_in_event",
    "load_row",
    "may",
]

"""Changing several sessions at once: one room for all, or the same move by N days.

A move keeps each session's local clock times and shifts its local day. It is refused,
naming the sessions, when one would fall outside the event's dates, rather than moving the
event's dates along: those dates also open and close registration, lock cancellations, print
on certificates and show on the public page, so they change on the settings page, where the
domains above events hear of it (``event_updated``), never as a side effect of a schedule
edit. One transaction; each session changed gets a ``session.update`` audit row with what it
was before.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.core.forms import parse_int
from bimtek.core.timeutil import local_to_utc
from bimtek.errors import InvalidInput
from bimtek.events.models import Event, Session
from bimtek.extensions import db

ROOM_MAX = 120
#: the largest move, in days, either way
SHIFT_MAX = 366


def _moved(session: Session, days: int) -> tuple[datetime, datetime]:
    zone = session.event.timezone
    start, end = session.local_start, session.local_end
    return (
        local_to_utc(datetime.combine(start.date() + timedelta(days=days), start.time()), zone),
        local_to_utc(datetime.combine(end.date() + timedelta(days=days), end.time()), zone),
    )


def edit_sessions(
    event: Event,
    session_ids,
    *,
    room=None,
    shift_days=None,
    everything: bool = False,
    actor,
    channel: str = "web",
) -> list[Session]:
    """Set ``room`` (blank or None: keep each room) and/or move by ``shift_days`` the
    sessions of ``event`` with ``session_ids`` (or all of them with ``everything``).

    Raises InvalidInput, writing nothing, for no session chosen, an id not of this event,
    nothing to change, or a move past the event's first or last day.
    """
    errors = {}
    if everything:
        sessions = list(event.sessions)
    else:
        ids = set()
        for raw in session_ids or ():
            try:
                ids.add(int(raw))
            except (TypeError, ValueError):
                errors["session_ids"] = _("Sesi tidak ditemukan pada kegiatan ini.")
        sessions = (
            list(
                db.session.scalars(
                    sa.select(Session)
                    .where(Session.event_id == event.id, Session.id.in_(ids))
                    .order_by(Session.starts_at, Session.id)
                )
            )
            if ids
            else []
        )
        if len(sessions) != len(ids):
            errors["session_ids"] = _("Sesi tidak ditemukan pada kegiatan ini.")
    if not sessions and "session_ids" not in errors:
        errors["session_ids"] = _("Pilih sesi yang akan diubah.")
    room = " ".join(str(room or "").split())
    if len(room) > ROOM_MAX:
        errors["room"] = _("Ruang paling banyak %(n)s karakter.", n=ROOM_MAX)
    days = 0
    if str(shift_days or "").strip():
        days = parse_int(
            str(shift_days).strip().replace("+", ""),
            "Geser (hari)",
            errors,
            "shift_days",
            minimum=-SHIFT_MAX,
            maximum=SHIFT_MAX,
        )
        days = days or 0
    if not room and not days and not errors:
        errors["room"] = _("Isi ruang baru atau jumlah hari untuk menggeser.")
    if days and sessions and "shift_days" not in errors:
        outside = []
        for session in sessions:
            new_day = session.local_day + timedelta(days=days)
            if not (event.start_date <= new_day <= event.end_date):
                outside.append(f"{session.title} ({new_day.strftime('%d-%m-%Y')})")
        if outside:
            errors["shift_days"] = _(
                "Digeser %(n)s hari, sesi ini jatuh di luar tanggal kegiatan "
                "(%(start)s s.d. %(end)s): %(sessions)s. Ubah dulu tanggal kegiatan di "
                "Pengaturan, atau pilih sesi lain.",
                n=days,
                start=event.start_date.strftime("%d-%m-%Y"),
                end=event.end_date.strftime("%d-%m-%Y"),
                sessions="; ".join(outside),
            )
    if errors:
        raise InvalidInput(_("Periksa kembali isian ubah sesi."), fields=errors)
    for session in sessions:
        before = {
            "starts_at": session.starts_at.isoformat(),
            "ends_at": session.ends_at.isoformat(),
            "room": session.room,
        }
        if room:
            session.room = room
        if days:
            session.starts_at, session.ends_at = _moved(session, days)
        after = {
            "starts_at": session.starts_at.isoformat(),
            "ends_at": session.ends_at.isoformat(),
            "room": session.room,
        }
        if after != before:
            record(
                "session.update",
                actor=actor,
                channel=channel,
                event_id=event.id,
                target=session,
                details={"batch": True, "before": before, "after": after},
            )
    db.session.flush()
    db.session.expire(event, ["sessions"])
    return sessions

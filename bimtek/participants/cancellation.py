"""Cancelling a registration (by an organizer or the participant themself) and giving a
cancelled one back.

A freed seat goes to the next on the waitlist (``registration.fill_from_waitlist``); a
reactivated registration takes a free seat or joins the end of the waitlist. Both under the
event's row lock, as every change to who holds a seat (``registration.lock_event``).

A cancellation never leaves something of a higher domain untrue: such a domain declares a
check (``hold``), e.g. certificates for a certificate in force, and ``cancel`` calls every
check and is refused while one holds. The domain offers its own page that settles the hold
and cancels in one transaction (``certificates/withdrawal.py``). Participants cannot cancel
once the event is over or closed (``Event.locked``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth.models import User
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, Forbidden, InvalidInput
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.queries import WAITLIST_KEY, count_registered, status_counts
from bimtek.participants.registration import REASON_MAX, fill_from_waitlist, lock_event
from bimtek.participants.signals import participant_promoted


class NotCancelled(Conflict):
    code = "not_cancelled"


class EventOver(Conflict):
    code = "event_over"


@dataclass(frozen=True)
class Hold:
    """What keeps a participant from being cancelled as is, and the page that settles it."""

    code: str
    message: str
    #: endpoint (taking ``code`` and ``participant_id``) of the confirmation page that
    #: settles the hold and cancels
    endpoint: str


#: checks declared by higher domains: participant -> a Hold, or None
HOLD_CHECKS: list[Callable[[Participant], Hold | None]] = []


def hold(check: Callable[[Participant], Hold | None]):
    """Declare a check that ``cancel`` calls (a decorator)."""
    HOLD_CHECKS.append(check)
    return check


def holds(participant: Participant) -> list[Hold]:
    """What keeps the participant from being cancelled as is (reads only)."""
    return [found for check in HOLD_CHECKS if (found := check(participant)) is not None]


def cancel(
    participant: Participant,
    *,
    actor: User | None,
    reason: str = "",
    channel: str = "web",
    now: datetime | None = None,
    reason_required: bool = False,
) -> Participant | None:
    """Cancel a registration or a waitlist place; a freed seat goes to the next in line.

    Returns the participant promoted from the waitlist, if any. Cancelling twice is harmless.
    ``reason_required``: an organizer cancelling someone must say why (InvalidInput). Refused
    (Conflict with the hold's code) while a ``hold`` check finds something, e.g. a
    certificate in force.
    """
    now = now or utcnow()
    reason = " ".join(str(reason or "").split())
    if reason_required and not reason:
        raise InvalidInput(
            _("Alasan pembatalan wajib diisi."),
            fields={"reason": _("Alasan pembatalan wajib diisi.")},
        )
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Alasan paling banyak %(n)s karakter.", n=REASON_MAX),
            fields={"reason": _("Alasan terlalu panjang.")},
        )
    lock_event(participant.event_id)
    db.session.refresh(participant)
    if participant.status == "cancelled":
        return None
    for found in holds(participant):
        raise Conflict(found.message, code=found.code)
    participant.status = "cancelled"
    participant.cancelled_at = now
    participant.cancel_reason = reason.strip()
    record(
        "participant.cancel",
        actor=actor,
        channel=channel,
        event_id=participant.event_id,
        target=participant,
        details={"reason": participant.cancel_reason},
    )
    db.session.flush()
    promoted = fill_from_waitlist(participant.event, actor=actor, channel=channel, now=now)
    return promoted[0] if promoted else None


def own_cancel_refusal(participant: Participant, now: datetime | None = None):
    """Why the participant cannot cancel it themself now, as the error to raise (None: they
    can): the event is closed or over (EventOver), or a hold stands (a certificate in force).
    """
    event = participant.event
    if event.closed_at is not None:
        return EventOver(
            _(
                "Kegiatan sudah ditutup oleh penyelenggara; pendaftaran tidak dapat "
                "dibatalkan lagi. Hubungi penyelenggara bila perlu."
            )
        )
    if event.locked(now):
        return EventOver(_("Kegiatan sudah selesai; pendaftaran tidak dapat dibatalkan lagi."))
    for found in holds(participant):
        return Conflict(found.message, code=found.code)
    return None


def may_cancel_own(participant: Participant, now: datetime | None = None) -> bool:
    """Whether the participant may still cancel it themself: not cancelled, the event neither
    over nor closed, nothing holding (a certificate in force)."""
    return participant.status != "cancelled" and own_cancel_refusal(participant, now) is None


def cancel_own(
    participant: Participant, *, actor: User, reason: str = "", now: datetime | None = None
) -> Participant | None:
    """A participant cancels their own registration (until the event's last day is over or
    a manager closes it); the seat goes to the first on the waitlist, as for any
    cancellation."""
    now = now or utcnow()
    if participant.user_id != getattr(actor, "id", None):
        raise Forbidden(_("Ini bukan pendaftaran Anda."))
    if participant.status != "cancelled":
        refusal = own_cancel_refusal(participant, now)
        if refusal is not None:
            raise refusal
    return cancel(participant, actor=actor, reason=reason, channel="portal", now=now)


def reactivate(
    participant: Participant,
    *,
    actor: User,
    reason: str = "",
    channel: str = "web",
    now: datetime | None = None,
) -> Participant:
    """Give a cancelled registration back: a seat if one is free, else the end of the waitlist.

    Under the event lock like every seat change. NotCancelled when it is not cancelled.
    """
    now = now or utcnow()
    reason = " ".join(str(reason or "").split())
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Alasan paling banyak %(n)s karakter.", n=REASON_MAX),
            fields={"reason": _("Alasan terlalu panjang.")},
        )
    lock_event(participant.event_id)
    db.session.refresh(participant)
    if participant.status != "cancelled":
        raise NotCancelled(_("Pendaftaran ini tidak dibatalkan."))
    event = participant.event
    waiting = status_counts(event.id)["waitlisted"]
    has_seat = waiting == 0 and count_registered(event.id) < event.capacity
    previous = {
        "cancelled_at": participant.cancelled_at.isoformat() if participant.cancelled_at else None,
        "cancel_reason": participant.cancel_reason,
    }
    participant.status = "registered" if has_seat else "waitlisted"
    participant.waitlisted_at = None if has_seat else now
    participant.waitlist_seq = None if has_seat else _end_of_waitlist(event.id)
    participant.promoted_at = now if has_seat else None
    participant.cancelled_at = None
    participant.cancel_reason = ""
    record(
        "participant.reactivate",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=participant,
        details={"status": participant.status, "reason": reason, "previous": previous},
    )
    db.session.flush()
    if has_seat:
        participant_promoted.send(participant)
    return participant


def _end_of_waitlist(event_id: int) -> int:
    """A waitlist key after everyone's (the caller holds the event lock)."""
    last = db.session.scalar(
        sa.select(sa.func.max(WAITLIST_KEY)).where(Participant.event_id == event_id)
    )
    return (last or 0) + 1

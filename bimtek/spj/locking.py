"""The one rule for changing an SPJ money table once the event is locked.

An event is locked once a manager closed it or its last day has passed (``Event.locked``,
the rule participants' own cancellation follows). Its money tables (rates, honor,
kontribusi) are then what was paid and signed for: they change only by a manager's
correction that gives a reason (one new fact excepted: a kontribusi payment received,
recorded once, as agencies pay after the Bimtek), recorded in the audit log beside the change
(``record_money_change``: the action gets ``CORRECTION_SUFFIX`` and the details the reason).
"""

from flask_babel import gettext as _

from bimtek.audit.models import AuditLog
from bimtek.audit.services import CORRECTION_SUFFIX, record
from bimtek.errors import Conflict
from bimtek.events.models import Event

MAX_REASON = 500


class EventLocked(Conflict):
    code = "event_locked"


def correction_reason(event: Event, reason: str | None, now=None) -> str:
    """'' for an open event; for a locked one the reason given, or a refusal."""
    if not event.locked(now):
        return ""
    reason = " ".join(str(reason or "").split())[:MAX_REASON]
    if not reason:
        message = _(
            "Kegiatan sudah dikunci: perubahan tabel uang hanya sebagai koreksi dengan alasan."
        )
        raise EventLocked(message, fields={"reason": _("Isi alasan koreksi.")})
    return reason


def record_money_change(
    event: Event,
    reason: str,
    *,
    action: str,
    actor=None,
    channel: str = "web",
    target=None,
    details: dict | None = None,
) -> AuditLog:
    """The one audit entry of a change to ``event``'s money tables: ``action`` as it is
    while the event is open; a correction (``reason`` from ``correction_reason`` not empty)
    is ``action`` + ``CORRECTION_SUFFIX``, its reason last in the details. (``action`` is
    a keyword, a literal at each call: the audit log's test of labels finds them there.)"""
    code = action + CORRECTION_SUFFIX if reason else action
    return record(
        code,
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=target,
        details={**(details or {}), **({"reason": reason} if reason else {})},
    )

"""The one rule for changing an SPJ money table once the event is locked.

An event is locked once a manager closed it or its last day has passed (``Event.locked``,
the rule participants' own cancellation follows). Its money tables (rates, honor,
kontribusi) are then what was paid and signed for: they change only by a manager's
correction that gives a reason, recorded in the audit log beside the change.
"""

from flask_babel import gettext as _

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

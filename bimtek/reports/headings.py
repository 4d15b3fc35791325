"""The lines above every export table: the event, its dates and place, when it was made."""

from datetime import datetime

from flask_babel import gettext as _

from bimtek.core.timeutil import format_date_range_id
from bimtek.events.models import Event


def naive_local(event: Event, moment: datetime | None) -> datetime | None:
    """Excel has no time zones: a moment as the event's wall-clock time."""
    local = event.local(moment)
    return local.replace(tzinfo=None, microsecond=0) if local else None


def subheading(event: Event, now: datetime) -> str:
    """'KUTIM24 · 28–31 Oktober 2024 · Hotel Harris · dibuat 28/10/2024 09:00'."""
    generated = naive_local(event, now)
    parts = [event.code, format_date_range_id(event.start_date, event.end_date)]
    if event.venue:
        parts.append(event.venue)
    parts.append(_("dibuat %(when)s", when=f"{generated:%d/%m/%Y %H:%M}"))
    return " · ".join(parts)

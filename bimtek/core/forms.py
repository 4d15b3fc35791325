"""Reading typed values out of submitted form (or JSON) data for the services.

Each ``parse_*`` takes the raw value, the field's label for the message, the ``errors`` dict
the service collects (field name -> message for people, in Bahasa Indonesia) and the field
name. On a bad value it puts a message in ``errors[field]`` and returns None, so a service
can check every field and raise one InvalidInput listing all problems.
"""

from datetime import date, datetime

from flask_babel import gettext as _

from bimtek.core.timeutil import local_to_utc

#: what an unticked checkbox, a select's "no" or a JSON false arrive as
FALSE_VALUES = (False, None, "", "0", "false", "off", "no")


def parse_flag(raw) -> bool:
    """A checkbox-ish value: False for a missing/empty value, "0", "false", "off", "no"."""
    return raw not in FALSE_VALUES


def parse_date(raw, label, errors, field, *, optional=False, message=None) -> date | None:
    """A date written TTTT-BB-HH (as <input type=date> sends it), or a date object.

    ``optional``: an empty value is None without a problem. ``message`` replaces the
    default "<label>: isi tanggal dengan format TTTT-BB-HH."
    """
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    if optional and not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = message or f"{label}: isi tanggal dengan format TTTT-BB-HH."
        return None


def parse_local_datetime(raw, tz_name, label, errors, field) -> datetime | None:
    """A wall-clock date-time in zone ``tz_name`` (from <input type=datetime-local>) as an
    aware UTC datetime; one that carries its own offset is kept. Empty gives None."""
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else local_to_utc(raw, tz_name)
    try:
        naive = datetime.fromisoformat(str(raw).strip())
    except ValueError:
        errors[field] = _("%(label)s: isi tanggal dan jam yang valid.", label=label)
        return None
    return naive if naive.tzinfo else local_to_utc(naive, tz_name)


def parse_int(
    raw, label, errors, field, *, minimum=0, maximum=1_000_000, optional=False, message=None
) -> int | None:
    """A whole number from ``minimum`` to ``maximum`` (inclusive).

    ``optional``: an empty value is None without a problem. ``message`` replaces both
    default messages ("<label> harus bilangan bulat." / "<label> harus antara … dan …").
    """
    if optional and (raw is None or str(raw).strip() == ""):
        return None
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        errors[field] = message or f"{label} harus bilangan bulat."
        return None
    if not minimum <= value <= maximum:
        errors[field] = message or f"{label} harus antara {minimum} dan {maximum}."
        return None
    return value

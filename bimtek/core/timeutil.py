"""Time: stored as UTC, shown in the event's own zone (Kutai Timur is WITA, Asia/Makassar)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel import dates as babel_dates

DEFAULT_TIMEZONE = "Asia/Makassar"


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def to_local(moment: datetime | None, tz_name: str | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz_name))


def local_to_utc(naive_local: datetime, tz_name: str | None) -> datetime:
    """Interpret a wall-clock time typed by an organizer in the event's zone."""
    return naive_local.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def zone_abbreviation(tz_name: str | None) -> str:
    offset = datetime.now(zone(tz_name)).utcoffset() or timedelta(0)
    return {7: "WIB", 8: "WITA", 9: "WIT"}.get(int(offset.total_seconds() // 3600), "")


class UTCDateTime(sa.TypeDecorator):
    """A datetime that goes in aware, is stored as naive UTC, and comes out aware UTC.

    SQLite keeps no time zone; storing naive UTC everywhere keeps both databases alike.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def _locale(language: str | None) -> str:
    return "en" if _english(language) else "id"


def _english(language: str | None) -> bool:
    return (language or "id").lower().startswith("en")


def _as_day(day):
    return day.date() if isinstance(day, datetime) else day


def format_date_id(day) -> str:
    """28 Oktober 2024."""
    return format_date(day, "id")


def format_day_id(day) -> str:
    """Senin, 28 Oktober 2024."""
    return format_day(day, "id")


def format_date_range_id(start, end) -> str:
    """28–31 Oktober 2024, or 30 Oktober – 2 November 2024."""
    return format_date_range(start, end, "id")


def format_date_range(start, end, language: str | None = "id") -> str:
    """28–31 Oktober 2024, or 30 Oktober – 2 November 2024 (English month names in en).

    Babel's interval formats shorten the month (``28–31 Okt 2024``); a letter or a
    certificate writes it in full, so the range is put together from Babel's dates."""
    locale = _locale(language)
    start, end = _as_day(start), _as_day(end)
    if start == end:
        return format_date(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, language)}"
    if start.year == end.year:
        return f"{babel_dates.format_date(start, 'd MMMM', locale=locale)} – " + format_date(
            end, language
        )
    return f"{format_date(start, language)} – {format_date(end, language)}"


def format_date(day, language: str | None = "id") -> str:
    """2 Desember 2026 (id) or 2 December 2026 (en): day, month in words, year."""
    if day is None:
        return ""
    return babel_dates.format_date(_as_day(day), "d MMMM y", locale=_locale(language))


def format_day(day, language: str | None = "id") -> str:
    """Rabu, 2 Desember 2026 (id) or Wednesday, 2 December 2026 (en)."""
    if day is None:
        return ""
    return babel_dates.format_date(_as_day(day), "EEEE, d MMMM y", locale=_locale(language))


def format_day_short(day, language: str | None = "id") -> str:
    """2 Des (id) or 2 Dec (en), for narrow tables and lists."""
    if day is None:
        return ""
    return babel_dates.format_date(_as_day(day), "d MMM", locale=_locale(language))


def format_clock(moment, language: str | None = "id") -> str:
    """08.00 (id, as Indonesians write the time) or 08:00 (en)."""
    if moment is None:
        return ""
    return moment.strftime("%H:%M" if _english(language) else "%H.%M")


def format_datetime(moment, zone_name: str = "", language: str | None = "id") -> str:
    """2 Desember 2026 pukul 08.00 WITA (id) or 2 December 2026, 08:00 WITA (en).

    ``moment`` is already local (see ``to_local``); ``zone_name`` is its abbreviation."""
    if moment is None:
        return ""
    day = format_date(moment.date(), language)
    clock = format_clock(moment, language)
    text = f"{day}, {clock}" if _english(language) else f"{day} pukul {clock}"
    return f"{text} {zone_name}".rstrip()

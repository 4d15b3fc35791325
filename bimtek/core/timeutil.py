"""Time: stored as UTC, shown in the event's own zone (Kutai Timur is WITA, Asia/Makassar)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

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


MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def format_date_id(day) -> str:
    """28 Oktober 2024."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def format_day_id(day) -> str:
    """Senin, 28 Oktober 2024."""
    return f"{DAYS_ID[day.weekday()]}, {format_date_id(day)}"


def format_date_range_id(start, end) -> str:
    """28–31 Oktober 2024, or 30 Oktober – 2 November 2024."""
    if start == end:
        return format_date_id(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {MONTHS_ID[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS_ID[start.month - 1]} – {format_date_id(end)}"
    return f"{format_date_id(start)} – {format_date_id(end)}"

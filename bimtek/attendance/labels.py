"""How the attendance domain names its statuses to people: one place, translatable."""

from flask_babel import lazy_gettext as _l

#: attendance status (and the derived "alpa") -> label
STATUS_LABELS = {
    "hadir": _l("Hadir"),
    "terlambat": _l("Terlambat"),
    "izin": _l("Izin"),
    "sakit": _l("Sakit"),
    "alpa": _l("Alpa"),
}

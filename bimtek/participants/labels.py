"""How the participants domain names its codes to people: one place, translatable."""

from flask_babel import lazy_gettext as _l

#: participant status -> label
STATUS_LABELS = {
    "registered": _l("Terdaftar"),
    "waitlisted": _l("Daftar tunggu"),
    "cancelled": _l("Dibatalkan"),
}

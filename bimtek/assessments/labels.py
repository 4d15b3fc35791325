"""How the assessments domain names its codes to people: one place, translatable."""

from flask_babel import lazy_gettext as _l

#: assessment kind -> label
KIND_LABELS = {"pre": _l("Pre-test"), "post": _l("Post-test")}
#: Hake band of a normalised gain -> label
BAND_LABELS = {"high": _l("Tinggi"), "medium": _l("Sedang"), "low": _l("Rendah")}

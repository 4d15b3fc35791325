"""Certificate numbers and verification codes.

Numbers are sequential per event in a configurable pattern (``format_number``); the
sequence is taken under a row lock by ``issuing.lock_numbering``. Verification codes are
random, 120 bits.
"""

import re
import secrets
import string
from datetime import date

from flask_babel import gettext as _

from bimtek.certificates.models import CertificateSettings
from bimtek.errors import InvalidInput
from bimtek.events.models import Event

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


CODE_LENGTH = 24  # 120 bits


CODE_PATTERN = re.compile(r"^[A-Z2-9]{24}$")


NUMBER_FIELDS = ("seq", "code", "month", "month_roman", "year")


SEQ_SPEC = re.compile(r"^0?[1-9]?d?$")


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_day(event: Event, settings: CertificateSettings) -> date:
    """The one date a certificate carries: the date in its text and the month/year of its
    number (the signing date set in the settings, else the event's last day)."""
    return settings.signing_date or event.end_date


def validate_number_format(pattern: str) -> str:
    """Check a number pattern: only the known fields, no attribute or index access."""
    pattern = (pattern or "").strip()
    if not pattern:
        message = _("Format nomor wajib diisi.")
        raise InvalidInput(message, fields={"number_format": message})
    problem = None
    seen = set()
    if len(pattern) > 120:
        problem = _("Format nomor paling banyak 120 karakter.")
    elif any(not ch.isprintable() for ch in pattern):
        problem = _("Format nomor tidak boleh memuat karakter kontrol.")
    else:
        try:
            parts = list(string.Formatter().parse(pattern))
        except ValueError:
            parts = None
            problem = _("Kurung kurawal tidak seimbang. Tulis {{ atau }} untuk kurung biasa.")
        for _literal, name, spec, conversion in parts or ():
            if name is None:
                continue
            if name not in NUMBER_FIELDS:
                problem = _(
                    "Kolom %(field)s tidak dikenal. Yang bisa dipakai: %(fields)s.",
                    field="{" + name + "}",
                    fields=", ".join("{" + f + "}" for f in NUMBER_FIELDS),
                )
                break
            if conversion or (spec and (name != "seq" or not SEQ_SPEC.match(spec))):
                problem = _(
                    "Format %(field)s tidak didukung (contoh yang benar: {seq:03d}).",
                    field="{" + name + "}",
                )
                break
            seen.add(name)
        if problem is None and not {"seq", "code"} <= seen:
            problem = _(
                "Format nomor harus memuat {seq} dan {code} agar setiap nomor unik, "
                "juga antar-kegiatan."
            )
    if problem:
        raise InvalidInput(problem, fields={"number_format": problem})
    format_number(pattern, seq=1, code="X", day=date(2024, 10, 31))
    return pattern


def format_number(pattern: str, *, seq: int, code: str, day: date) -> str:
    """The printed number for ``seq``, e.g. 007/BIMTEK-KUTIM24A/X/2024."""
    return pattern.format(
        seq=seq,
        code=code,
        month=f"{day.month:02d}",
        month_roman=ROMAN[day.month - 1],
        year=day.year,
    )


def served_format(pattern: str, mark: str) -> str:
    """The number pattern of a served role's series: the event's pattern with ``/mark``
    right after its ``{code}`` (``{seq:03d}/BIMTEK-{code}/{month_roman}/{year}`` becomes
    ``{seq:03d}/BIMTEK-{code}/NS/{month_roman}/{year}``). Every series keeps the event's
    code and its own sequence, so a number is unique across series and events alike."""
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(pattern):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        field = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        out.append("{" + field + "}")
        if name == "code":
            out.append("/" + mark)
    return "".join(out)

"""Checking and normalising what a registrant types. Used by the form, the API and imports.

Each ``clean_*`` function returns the normalised value or raises ``FieldProblem`` with a
message in Bahasa Indonesia.
"""

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from bimtek.auth.passwords import WeakPassword, check_new_password, personal_words
from bimtek.core.inputs import email_address, forbidden_field_message, has_forbidden_text
from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES

#: province codes (kode provinsi) that open a NIK, per Kemendagri
PROVINCE_CODES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        21,
        31,
        32,
        33,
        34,
        35,
        36,
        51,
        52,
        53,
        61,
        62,
        63,
        64,
        65,
        71,
        72,
        73,
        74,
        75,
        76,
        81,
        82,
        91,
        92,
        93,
        94,
        95,
        96,
    }
)
NAME_MAX = 200
TEXT_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: 0–9 only: str.isdigit() also takes "²" and "٦", which int() refuses or a NIK must not hold
_DIGITS = re.compile(r"[0-9]+")


class FieldProblem(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NikFacts:
    province_code: int
    birth_date: date
    gender: str


def _two_digit_year(yy: int, today: date) -> int:
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def clean_nik(raw, today: date | None = None) -> str:
    nik = re.sub(r"[\s.\-]", "", str(raw or ""))
    if not nik:
        raise FieldProblem(_("NIK wajib diisi."))
    if not _DIGITS.fullmatch(nik) or len(nik) != 16:
        raise FieldProblem(_("NIK harus 16 digit angka."))
    nik_facts(nik, today)
    return nik


def nik_facts(nik: str, today: date | None = None) -> NikFacts:
    """What a NIK says of its holder: province, date of birth (+40 on the day for women)."""
    today = today or date.today()
    province = int(nik[0:2])
    if province not in PROVINCE_CODES:
        raise FieldProblem(_("NIK tidak valid: kode provinsi (2 digit pertama) tidak dikenal."))
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise FieldProblem(_("NIK tidak valid: kode kabupaten/kecamatan tidak boleh 00."))
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = "L"
    if day > 40:
        day -= 40
        gender = "P"
    try:
        born = date(_two_digit_year(yy, today), month, day)
    except ValueError:
        raise FieldProblem(
            _("NIK tidak valid: bagian tanggal lahir (digit 7–12) bukan tanggal.")
        ) from None
    if born > today:
        raise FieldProblem(_("NIK tidak valid: tanggal lahir di masa depan."))
    if nik[12:16] == "0000":
        raise FieldProblem(_("NIK tidak valid: nomor urut (4 digit terakhir) tidak boleh 0000."))
    return NikFacts(province, born, gender)


def clean_nip(raw, today: date | None = None) -> str | None:
    nip = re.sub(r"[\s.\-]", "", str(raw or ""))
    if not nip:
        return None
    if not _DIGITS.fullmatch(nip) or len(nip) != 18:
        raise FieldProblem(_("NIP harus 18 digit angka (kosongkan bila tidak punya)."))
    today = today or date.today()
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise FieldProblem(
            _("NIP tidak valid: 8 digit pertama harus tanggal lahir (TTTTBBHH).")
        ) from None
    if not (1940 <= born.year <= today.year - 15):
        raise FieldProblem(_("NIP tidak valid: tahun lahir pada 8 digit pertama tidak masuk akal."))
    appointed_month = int(nip[12:14])
    if not 1 <= appointed_month <= 12:
        raise FieldProblem(_("NIP tidak valid: bulan pengangkatan (digit 13–14) salah."))
    if nip[14] not in "12":
        raise FieldProblem(_("NIP tidak valid: digit ke-15 (jenis kelamin) harus 1 atau 2."))
    return nip


def clean_phone(raw) -> str:
    """Normalise an Indonesian mobile number to +628…"""
    text = str(raw or "").strip()
    if not text:
        raise FieldProblem(_("Nomor HP wajib diisi."))
    digits = re.sub(r"[\s.\-()/]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("62"):
            raise FieldProblem(_("Nomor HP harus nomor Indonesia (08… atau +62…)."))
    if not _DIGITS.fullmatch(digits):
        raise FieldProblem(_("Nomor HP hanya boleh berisi angka, spasi atau tanda +."))
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if not national.startswith("8"):
        raise FieldProblem(_("Nomor HP harus nomor seluler (diawali 08 atau +628)."))
    if not 9 <= len(national) <= 12:
        raise FieldProblem(_("Panjang nomor HP tidak sesuai (10–13 digit diawali 08)."))
    return "+62" + national


def clean_name(raw) -> str:
    """Trim the ends; keep titles, apostrophes and any script exactly as typed."""
    name = str(raw or "").strip()
    if not name:
        raise FieldProblem(_("Nama lengkap wajib diisi."))
    if _CONTROL.search(name) or has_forbidden_text(name):
        raise FieldProblem(_("Nama lengkap berisi karakter yang tidak diizinkan."))
    if len(name) > NAME_MAX:
        raise FieldProblem(_("Nama lengkap paling banyak %(n)s karakter.", n=NAME_MAX))
    if not any(ch.isalpha() for ch in name):
        raise FieldProblem(_("Nama lengkap harus berisi huruf."))
    return name


def clean_text(raw, label: str, *, required: bool, max_length: int = TEXT_MAX) -> str:
    text = " ".join(str(raw or "").split())
    if required and not text:
        raise FieldProblem(_("%(label)s wajib diisi.", label=label))
    if len(text) > max_length:
        raise FieldProblem(_("%(label)s paling banyak %(n)s karakter.", label=label, n=max_length))
    return text


def clean_email(raw) -> str | None:
    try:
        return email_address(raw) or None
    except ValueError:
        raise FieldProblem(_("Alamat email tidak valid.")) from None


def clean_gender(raw) -> str:
    value = str(raw or "").strip().upper()
    aliases = {
        "LAKI-LAKI": "L",
        "PEREMPUAN": "P",
        "M": "L",
        "F": "P",
        "MALE": "L",
        "FEMALE": "P",
        "PRIA": "L",
        "WANITA": "P",
    }
    value = aliases.get(value, value)
    if value not in GENDERS:
        raise FieldProblem(_("Pilih jenis kelamin: Laki-laki atau Perempuan."))
    return value


def clean_category(raw) -> str:
    value = str(raw or "").strip()
    if value in INSTITUTION_CATEGORIES:
        return value
    by_label = {label.lower(): code for code, label in INSTITUTION_CATEGORIES.items()}
    if value.lower() in by_label:
        return by_label[value.lower()]
    raise FieldProblem(_("Pilih kategori instansi dari daftar."))


def clean_password(raw, *, required: bool, personal=()) -> str | None:
    """A new participant's password, by the one rule of every new password
    (``bimtek.auth.passwords.check_new_password``); None when not required and not given."""
    password = str(raw or "")
    if not password and not required:
        return None
    try:
        return check_new_password(password, staff=False, user_inputs=personal)
    except WeakPassword as problem:
        raise FieldProblem(problem.message) from None


#: a registration's fields, in the form's order: the one declaration the form
#: (``participants.views``), the service (``clean_registration``, for imports and edits too)
#: and the API's
#: request schema (``bimtek.api.participants.RegistrationRequest``) take their fields from
REGISTRATION_FIELDS = (
    "full_name",
    "nik",
    "nip",
    "gender",
    "institution",
    "institution_category",
    "job_title",
    "phone",
    "email",
    "district",
)
#: what ``clean_registration`` reads: the registration's fields and the new account's password
REGISTRATION_INPUT = (*REGISTRATION_FIELDS, "password")


def clean_registration(
    data, *, password_required: bool = False, today: date | None = None
) -> tuple[dict, dict]:
    """Check a whole registration. Returns (clean values, {field: message})."""
    cleaners = {
        "full_name": clean_name,
        "nik": lambda v: clean_nik(v, today),
        "nip": lambda v: clean_nip(v, today),
        "gender": clean_gender,
        "institution": lambda v: clean_text(v, _("Instansi"), required=True),
        "institution_category": clean_category,
        "job_title": lambda v: clean_text(v, _("Jabatan"), required=True),
        "phone": clean_phone,
        "email": clean_email,
        "district": lambda v: clean_text(v, _("Kecamatan asal"), required=False, max_length=120),
        "password": lambda v: clean_password(
            v,
            required=password_required,
            personal=personal_words(
                full_name=data.get("full_name"), email=data.get("email"), nik=data.get("nik")
            ),
        ),
    }
    values, errors = {}, {}
    for field in REGISTRATION_INPUT:
        cleaner = cleaners[field]
        raw = data.get(field)
        if field != "full_name" and isinstance(raw, str) and has_forbidden_text(raw):
            errors[field] = forbidden_field_message()  # an imported cell, else refused earlier
            continue
        try:
            values[field] = cleaner(data.get(field))
        except FieldProblem as problem:
            errors[field] = problem.message
    if "nik" in values and "gender" in values:
        if nik_facts(values["nik"], today).gender != values["gender"]:
            errors["gender"] = _(
                "Jenis kelamin tidak sesuai dengan NIK (tanggal lahir pada NIK "
                "perempuan ditambah 40)."
            )
    return values, errors

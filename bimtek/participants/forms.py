"""The registration form: WTForms for rendering and CSRF; the rules are in validation.py."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice

from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice("", _l("— pilih —"))] + [SelectChoice(k, _l(v)) for k, v in labels.items()]


class RegistrationForm(FlaskForm):
    full_name = StringField(_l("Nama lengkap"))
    nik = StringField(_l("NIK"))
    nip = StringField(_l("NIP"))
    gender = SelectField(_l("Jenis kelamin"), choices=_choices(GENDERS))
    institution = StringField(_l("Instansi"))
    institution_category = SelectField(
        _l("Kategori instansi"), choices=_choices(INSTITUTION_CATEGORIES)
    )
    job_title = StringField(_l("Jabatan"))
    phone = TelField(_l("Nomor HP"))
    email = EmailField(_l("Email"))
    district = StringField(_l("Kecamatan asal"))
    password = PasswordField(_l("Kata sandi"))
    password_confirm = PasswordField(_l("Ulangi kata sandi"))
    consent = BooleanField(
        _l("Saya menyetujui pemrosesan data pribadi saya seperti dijelaskan di atas.")
    )


class CancelForm(FlaskForm):
    reason = StringField(_l("Alasan"))


class AddParticipantForm(RegistrationForm):
    """An organizer adds someone (no password: they claim the account later)."""

    over_capacity_reason = StringField(_l("Alasan menambah melebihi kapasitas"))


class HandBackForm(FlaskForm):
    """A manager gives an account back to the owner of its NIK after checking their KTP."""

    reason = StringField(_l("Alasan"))
    ktp_checked = BooleanField(_l("Saya sudah memeriksa KTP asli pemilik NIK ini secara langsung."))

"""The registration form: WTForms for rendering and CSRF; the rules are in validation.py."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice

from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice("", "— pilih —")] + [SelectChoice(k, v) for k, v in labels.items()]


class RegistrationForm(FlaskForm):
    full_name = StringField("Nama lengkap")
    nik = StringField("NIK")
    nip = StringField("NIP")
    gender = SelectField("Jenis kelamin", choices=_choices(GENDERS))
    institution = StringField("Instansi")
    institution_category = SelectField(
        "Kategori instansi", choices=_choices(INSTITUTION_CATEGORIES)
    )
    job_title = StringField("Jabatan")
    phone = TelField("Nomor HP")
    email = EmailField("Email")
    district = StringField("Kecamatan asal")
    password = PasswordField("Kata sandi")
    password_confirm = PasswordField("Ulangi kata sandi")


class CancelForm(FlaskForm):
    reason = StringField("Alasan")

"""The registration form: WTForms for rendering and CSRF; the rules are in validation.py."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TelField

from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES


class RegistrationForm(FlaskForm):
    full_name = StringField("Nama lengkap")
    nik = StringField("NIK")
    nip = StringField("NIP")
    gender = SelectField("Jenis kelamin", choices=[("", "— pilih —"), *GENDERS.items()])
    institution = StringField("Instansi")
    institution_category = SelectField(
        "Kategori instansi", choices=[("", "— pilih —"), *INSTITUTION_CATEGORIES.items()]
    )
    job_title = StringField("Jabatan")
    phone = TelField("Nomor HP")
    email = EmailField("Email")
    district = StringField("Kecamatan asal")
    password = PasswordField("Kata sandi")
    password_confirm = PasswordField("Ulangi kata sandi")


class CancelForm(FlaskForm):
    reason = StringField("Alasan")

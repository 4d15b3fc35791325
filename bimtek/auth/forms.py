from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    identifier = StringField(_l("Email atau NIK"), validators=[DataRequired(_l("Wajib diisi."))])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Wajib diisi."))])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Kata sandi lama"))
    new = PasswordField(_l("Kata sandi baru"))
    confirm = PasswordField(_l("Ulangi kata sandi baru"))

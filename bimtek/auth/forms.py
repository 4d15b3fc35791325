from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    identifier = StringField("Email atau NIK", validators=[DataRequired("Wajib diisi.")])
    password = PasswordField("Kata sandi", validators=[DataRequired("Wajib diisi.")])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Kata sandi lama")
    new = PasswordField("Kata sandi baru")
    confirm = PasswordField("Ulangi kata sandi baru")

"""Logging in and out, changing the password, choosing the language."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from bimtek.auth import services
from bimtek.auth.forms import ChangePasswordForm, LoginForm
from bimtek.errors import InvalidInput
from bimtek.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_limit():
    return current_app.config["RATELIMIT_LOGIN"]


def home_for(user) -> str:
    if user.is_staff:
        return url_for("events_admin.index")
    return url_for("participants.portal")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.identifier.data, form.password.data)
        if user is None:
            flash(_("Email/NIK atau kata sandi salah."), "error")
        else:
            chosen_language = session.get("lang")
            session.clear()
            if chosen_language in current_app.config["LANGUAGES"]:
                user.locale = chosen_language  # picked on the login page: keep it
                session["lang"] = chosen_language
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 400


@bp.route("/keluar", methods=["POST"])
def logout():
    logout_user()
    session.pop("lang", None)
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("events.index"))


@bp.route("/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    errors = {}
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current.data, form.new.data, form.confirm.data
            )
        except InvalidInput as error:
            errors = error.fields
        else:
            db.session.commit()
            flash(_("Kata sandi sudah diganti."), "success")
            return redirect(home_for(current_user))
    return render_template("auth/change_password.html", form=form, errors=errors)


@bp.route("/bahasa/<lang>", methods=["POST"])
def set_language(lang):
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("events.index"))

"""Logging in and out, changing the password, choosing the language."""

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

from bimtek.auth import services, throttle
from bimtek.auth.forms import ChangePasswordForm, LoginForm
from bimtek.auth.passwords import min_length
from bimtek.auth.sessions import DEVICE_COOKIE, device_scope, start_session
from bimtek.core.web import safe_next
from bimtek.errors import InvalidInput
from bimtek.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_limit():
    return current_app.config["RATELIMIT_LOGIN"]


def home_for(user) -> str:
    if user.is_staff:
        return url_for("staff_events.index")
    return url_for("participants.portal")


@bp.after_app_request
def name_the_device_scope(response):
    """Every answer tells the browser whose offline data it may use (``DEVICE_COOKIE``):
    the logged-in staff account's scope, or none. A login, a logout, and the first contact
    after a session ended elsewhere (reset, deactivation, expiry) all change it, so the desk
    never serves what one login kept to another (static/js/desk-sw.js, attendance.js)."""
    if request.path.startswith("/api/"):
        return response  # bearer tokens: no browser keeps anything
    scope = (
        device_scope(current_user)
        if current_user.is_authenticated and current_user.is_staff
        else None
    )
    if scope == request.cookies.get(DEVICE_COOKIE):
        return response
    if scope is None:
        response.delete_cookie(DEVICE_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            DEVICE_COOKIE,
            scope,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
        )
    return response


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    lock = None
    if form.validate_on_submit():
        account = services.login_key(form.identifier.data)
        address = request.remote_addr or ""
        lock = throttle.login_lock(account, address)
        user = None if lock else services.authenticate(form.identifier.data, form.password.data)
        if user is not None:
            start_session(user)
            db.session.commit()
            return redirect(next_url or home_for(user))
        if lock is None:
            throttle.login_failed(account, address)
            flash(_("Email/NIK atau kata sandi salah."), "error")
    status = 200 if request.method == "GET" else 429 if lock else 400
    return render_template("auth/login.html", form=form, lock=lock, next_url=next_url), status


@bp.route("/keluar", methods=["POST"])
def logout():
    """Log out. The session version moves on, so a copy of this cookie is useless too (and
    with it every other session of the account: there is no per-session state to keep)."""
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Anda sudah keluar."), "info")
    return _forget_device_data(redirect(url_for("events.index")))


@bp.route("/keluar/semua", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session; the form's box (ticked by default) revokes API tokens too."""
    services.log_out_everywhere(current_user, revoke_tokens=bool(request.form.get("revoke_tokens")))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Anda sudah keluar dari semua perangkat."), "info")
    return _forget_device_data(redirect(url_for("auth.login")))


def _forget_device_data(response):
    """What the browser kept for this site goes at logout: the check-in desk's roster
    snapshot, offline page and queue (Cache Storage, localStorage) and its service worker.
    Cookies are left to the session (the language choice stays)."""
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


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
            login_user(current_user._get_current_object())  # this browser stays logged in
            db.session.commit()
            flash(_("Kata sandi sudah diganti. Sesi di perangkat lain sudah berakhir."), "success")
            return redirect(home_for(current_user))
    status = 422 if errors else 200
    return render_template(
        "auth/change_password.html",
        form=form,
        errors=errors,
        min_length=min_length(current_user.is_staff),
    ), status


@bp.route("/bahasa/<lang>", methods=["POST"])
def set_language(lang):
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("events.index"))

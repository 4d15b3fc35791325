"""Staff pages under /admin.

- ``/admin/staf…``: administrators only — staff accounts, their rights per event, last
  login, deactivation and password resets.
- ``/admin/kegiatan/<code>/staf``: managers of that event (and administrators) — who holds
  which right in this event; they give rights to existing staff accounts by email.
- ``/admin/token-api``: every staff member — their own API tokens; administrators also see
  and revoke every token.

One-time passwords and new tokens are rendered once, in the answer to the POST that made
them (never in a flash message, which lives in the session cookie), with ``no-store``.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.auth import tokens
from bimtek.core.timeutil import DEFAULT_TIMEZONE, format_datetime, to_local, zone_abbreviation
from bimtek.core.web import admin_required, staff_required
from bimtek.errors import InvalidInput, ServiceError
from bimtek.events.access import event_required, load_event, not_in_event
from bimtek.events.models import EVENT_ROLES, EventStaff
from bimtek.extensions import db, limiter
from bimtek.staff import accounts as staff_accounts
from bimtek.staff import assignments, queries

bp = Blueprint("staff", __name__)


def right_label(role: str) -> str:
    return {"manager": _("manajer"), "panitia": _("panitia")}.get(role, role)


ASSIGN_LIMIT = "30 per minute"
TOKEN_LIMIT = "20 per hour"


@bp.before_request
def refuse_inactive_accounts():
    """A session of an account deactivated meanwhile opens nothing here."""
    if current_user.is_authenticated and not current_user.is_active:
        abort(403)


@bp.app_template_filter()
def local_time(moment) -> str:
    """A stored UTC moment on the install's clock, as people write it:
    "5 November 2024 pukul 08.14 WITA"."""
    if moment is None:
        return "—"
    return format_datetime(
        to_local(moment, DEFAULT_TIMEZONE),
        zone_abbreviation(DEFAULT_TIMEZONE),
        str(get_locale() or "id"),
    )


def _checked_form() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


def _once(template: str, **context):
    """A page that shows a secret once: never cached, never stored by the browser."""
    response = make_response(render_template(template, **context))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


# --- staff accounts (administrators) --------------------------------------------------


@bp.get("/staf")
@admin_required
def index():
    accounts = staff_accounts.staff_accounts()
    return render_template(
        "staff/index.html",
        accounts=accounts,
        assignments=queries.assignments_by_user(accounts),
        form=FlaskForm(),
    )


@bp.route("/staf/baru", methods=["GET", "POST"])
@admin_required
def new_account():
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        try:
            user, password = staff_accounts.create_staff_account(request.form, actor=current_user)
        except ServiceError as error:
            errors = error.fields or {"form": error.message}
            flash(error.message, "error")
        else:
            db.session.commit()
            return _once("staff/password.html", user=user, password=password, created=True)
    elif request.method == "POST":
        abort(400)
    return render_template(
        "staff/new.html", form=form, errors=errors, values=request.form
    ), 422 if errors else 200


@bp.get("/staf/<int:user_id>")
@admin_required
def account(user_id):
    user = staff_accounts.get_staff_account(user_id)
    return render_template(
        "staff/account.html",
        user=user,
        assignments=queries.assignments_by_user([user])[user.id],
        events=queries.all_events(),
        roles=EVENT_ROLES,
        tokens=tokens.tokens_of(user),
        form=FlaskForm(),
    )


@bp.post("/staf/<int:user_id>/kegiatan")
@admin_required
def assign(user_id):
    _checked_form()
    user = staff_accounts.get_staff_account(user_id)
    event = load_event(request.form.get("event", ""), current_user, "manager")
    assignments.assign_staff(event, user, request.form.get("role", ""), actor=current_user)
    db.session.commit()
    flash(
        _(
            "%(name)s kini %(role)s %(code)s.",
            name=user.full_name,
            role=right_label(request.form["role"]),
            code=event.code,
        ),
        "success",
    )
    return redirect(url_for(".account", user_id=user.id))


@bp.post("/staf/<int:user_id>/kegiatan/<code>/hapus")
@admin_required
def unassign(user_id, code):
    _checked_form()
    user = staff_accounts.get_staff_account(user_id)
    event = load_event(code, current_user, "manager")
    assignments.unassign_staff(event, user, actor=current_user)
    db.session.commit()
    flash(_("Hak %(name)s di %(code)s dicabut.", name=user.full_name, code=event.code), "success")
    return redirect(url_for(".account", user_id=user.id))


@bp.post("/staf/<int:user_id>/nonaktifkan")
@admin_required
def deactivate(user_id):
    _checked_form()
    user = staff_accounts.get_staff_account(user_id)
    staff_accounts.deactivate(user, actor=current_user)
    db.session.commit()
    flash(
        _(
            "Akun %(name)s dinonaktifkan; sesi dan token API-nya tidak berlaku lagi.",
            name=user.full_name,
        ),
        "success",
    )
    return redirect(url_for(".account", user_id=user.id))


@bp.post("/staf/<int:user_id>/aktifkan")
@admin_required
def reactivate(user_id):
    _checked_form()
    user = staff_accounts.get_staff_account(user_id)
    staff_accounts.reactivate(user, actor=current_user)
    db.session.commit()
    flash(_("Akun %(name)s aktif kembali.", name=user.full_name), "success")
    return redirect(url_for(".account", user_id=user.id))


@bp.post("/staf/<int:user_id>/kata-sandi")
@admin_required
def reset_password(user_id):
    _checked_form()
    user = staff_accounts.get_staff_account(user_id)
    revoke_tokens = bool(request.form.get("revoke_tokens"))
    password = staff_accounts.reset_staff_password(
        user, actor=current_user, revoke_tokens=revoke_tokens
    )
    db.session.commit()
    return _once(
        "staff/password.html",
        user=user,
        password=password,
        created=False,
        tokens_revoked=revoke_tokens,
    )


# --- the staff of one event (its managers) ---------------------------------------------


@bp.route("/kegiatan/<code>/staf", methods=["GET", "POST"])
@limiter.limit(ASSIGN_LIMIT, methods=["POST"])
@event_required("manager")
def event_staff_page(event):
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        try:
            user = staff_accounts.active_staff_by_email(request.form.get("email"))
            _refuse_own_right(user)
            role = request.form.get("role", "")
            assignments.assign_staff(event, user, role, actor=current_user)
        except ServiceError as error:
            errors = error.fields or {"form": error.message}
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s kini %(role)s kegiatan ini.",
                    name=user.full_name,
                    role=right_label(role),
                ),
                "success",
            )
            return redirect(url_for(".event_staff_page", code=event.code))
    elif request.method == "POST":
        abort(400)
    return render_template(
        "staff/event.html",
        event=event,
        staff=assignments.staff_of(event),
        admins=queries.administrators(),
        roles=EVENT_ROLES,
        form=form,
        errors=errors,
        values=request.form,
    ), 422 if errors else 200


@bp.post("/kegiatan/<code>/staf/<int:user_id>/hapus")
@event_required("manager")
def event_staff_remove(event, user_id):
    _checked_form()
    assignment = next((row for row in assignments.staff_of(event) if row.user_id == user_id), None)
    if assignment is None:
        raise not_in_event(EventStaff)
    _refuse_own_right(assignment.user)
    assignments.unassign_staff(event, assignment.user, actor=current_user)
    db.session.commit()
    flash(_("Hak %(name)s di kegiatan ini dicabut.", name=assignment.user.full_name), "success")
    return redirect(url_for(".event_staff_page", code=event.code))


def _refuse_own_right(user) -> None:
    """A manager does not change their own right (an administrator can)."""
    if user.id == current_user.id and not current_user.is_admin:
        message = _("Hak Anda sendiri hanya dapat diubah oleh administrator.")
        raise InvalidInput(message, code="self", fields={"email": message})


# --- API tokens (every staff member; administrators see all) ---------------------------


@bp.route("/token-api", methods=["GET", "POST"])
@limiter.limit(TOKEN_LIMIT, methods=["POST"])
@staff_required
def api_tokens():
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        try:
            token, plain = tokens.issue_api_token(
                current_user, request.form.get("name"), actor=current_user, channel="web"
            )
        except ServiceError as error:
            errors = error.fields or {"name": error.message}
            flash(error.message, "error")
        else:
            db.session.commit()
            return _once("staff/tokens.html", **_token_context(form, new=(token, plain)))
    elif request.method == "POST":
        abort(400)
    status = 422 if errors else 200
    return render_template("staff/tokens.html", **_token_context(form, errors=errors)), status


def _token_context(form, *, errors=None, new=None) -> dict:
    return {
        "form": form,
        "mine": tokens.tokens_of(current_user),
        "everyone": tokens.all_tokens() if current_user.is_admin else None,
        "errors": errors or {},
        "new": new,
        "values": request.form,
    }


@bp.post("/token-api/<int:token_id>/cabut")
@staff_required
def revoke_token(token_id):
    _checked_form()
    token = tokens.token_visible_to(token_id, current_user)
    tokens.revoke_api_token(token, actor=current_user)
    db.session.commit()
    flash(
        _(
            "Token %(prefix)s… dicabut; perangkat yang memakainya tidak dapat masuk lagi.",
            prefix=token.prefix,
        ),
        "success",
    )
    return redirect(url_for(".api_tokens"))

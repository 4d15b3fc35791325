"""Personal data pages: an event's retention and purge (its manager), a person's own data
(the participant), and ``flask purge-personal-data CODE``."""

import io

import click
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.core.timeutil import utcnow
from bimtek.core.web import participant_required, public_base_url
from bimtek.errors import InvalidInput, ServiceError
from bimtek.events.access import event_required
from bimtek.events.models import Event
from bimtek.extensions import db, limiter
from bimtek.privacy import personal_data, purge, retention, served_data

bp = Blueprint("privacy", __name__, cli_group=None)

ADMIN = "/admin/kegiatan/<code>/data-pribadi"


@bp.app_template_global()
def retention_period(event) -> str:
    """For the registration notice (a participants page, a layer below): the period the
    purge obeys."""
    return retention.retention_period(event)


def _page(event, errors=None, status=200):
    return render_template(
        "privacy/admin.html",
        event=event,
        retention=retention.retention_of(event),
        today=event.local(utcnow()).date(),
        errors=errors or {},
        served=served_data.served_choices(event),
    ), status


@bp.route(ADMIN)
@event_required("manager")
def admin(event):
    return _page(event)


@bp.post(ADMIN + "/retensi")
@event_required("manager")
def set_retention(event):
    try:
        purge.set_retention(event, request.form.get("retention_months"), actor=current_user)
    except InvalidInput as error:
        flash(error.message, "error")
        return _page(event, error.fields, 422)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for(".admin", code=event.code))
    db.session.commit()
    flash(_("Masa retensi tersimpan."), "success")
    return redirect(url_for(".admin", code=event.code))


@bp.post(ADMIN + "/anonimkan")
@event_required("manager")
def purge_data(event):
    try:
        outcome = purge.purge_personal_data(
            event, confirm_code=request.form.get("confirm_code", ""), actor=current_user
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(event, error.fields, 422)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(event, None, error.status)
    db.session.commit()
    flash(
        _(
            "Data pribadi %(n)s peserta dianonimkan (%(a)s akun).",
            n=outcome["participants"],
            a=outcome["accounts"],
        ),
        "success",
    )
    return redirect(url_for(".admin", code=event.code))


@bp.post(ADMIN + "/bertugas")
@event_required("manager")
def served_download(event):
    """A narasumber's, moderator's or panitia member's own data, handed over by a manager."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        content, mimetype, name = served_data.hand_over(
            event,
            request.form.get("person", ""),
            request.form.get("format", ""),
            actor=current_user,
            base=public_base_url(),
        )
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".admin", code=event.code) + "#bertugas")
    db.session.commit()
    return _download(content, mimetype, name)


# ------------------------------------------------------------------------------ participant


def _download(data: bytes, mimetype: str, name: str):
    response = send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/portal/data-saya")
@participant_required
def mine():
    return render_template("privacy/mine.html")


@bp.route("/portal/data-saya.json")
@participant_required
@limiter.limit("20 per hour")
def mine_json():
    return _download(
        personal_data.personal_data_json(current_user, public_base_url()),
        "application/json",
        "data-pribadi.json",
    )


@bp.route("/portal/data-saya.pdf")
@participant_required
@limiter.limit("20 per hour")
def mine_pdf():
    return _download(
        personal_data.personal_data_pdf(current_user, public_base_url()),
        "application/pdf",
        "data-pribadi.pdf",
    )


# -------------------------------------------------------------------------------------- cli


@bp.cli.command("purge-personal-data")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask to type the event code again.")
def purge_command(code, yes):
    """Anonymise an event's personal data (NIK, NIP, phone, e-mail, district) for good,
    once its retention period is over."""
    event = db.session.scalar(sa.select(Event).where(Event.code == code.upper()))
    if event is None:
        raise click.ClickException(f"Kegiatan {code} tidak ditemukan.")
    confirm = (
        event.code
        if yes
        else click.prompt(
            f"Anonimisasi tidak dapat dibatalkan. Ketik {event.code} untuk melanjutkan"
        )
    )
    try:
        outcome = purge.purge_personal_data(event, confirm_code=confirm, channel="cli")
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"{event.code}: data pribadi {outcome['participants']} peserta dan "
        f"{outcome['accounts']} akun dianonimkan."
    )

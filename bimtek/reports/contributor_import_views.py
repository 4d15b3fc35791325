"""Importing an event's narasumber, moderators and panitia from .xlsx (managers only): the
template, the upload from the team page, the preview, confirm or discard.

The rules are ``bimtek.events.contributor_import``; between preview and confirm the file
waits as the participant import's do (``participants.importing.store_upload``), in the
database, so any app server can confirm it."""

from pathlib import PurePath

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.core.spreadsheets import send_xlsx
from bimtek.errors import Conflict, InvalidInput
from bimtek.events import contributor_import as rules
from bimtek.events.access import event_required
from bimtek.extensions import db
from bimtek.participants import importing as uploads

bp = Blueprint("contributor_import", __name__)


def _team_page(event):
    return redirect(url_for("events_admin.contributors", code=event.code), code=303)


@bp.route("/kegiatan/<code>/tim/impor/templat.xlsx")
@event_required("manager")
def template(event):
    """The empty template, with its instructions, an example and the event's modules."""
    return send_xlsx(rules.contributor_template(event), f"templat-tim-{event.code}.xlsx")


def _too_big(size: int, limit: int) -> str:
    return _(
        "Berkas terlalu besar (%(size).1f MB). Batas unggahan daftar narasumber, moderator & "
        "panitia %(limit).0f MB. Hapus gambar atau lembar lain, atau pecah menjadi beberapa "
        "berkas.",
        size=size / 1024 / 1024,
        limit=limit / 1024 / 1024,
    )


@bp.route("/kegiatan/<code>/tim/impor", methods=["POST"])
@event_required("manager")
def upload(event):
    """A good file is kept and its preview shown; a bad one is explained on the team page."""
    limit = rules.import_limits().max_bytes
    if request.content_length and request.content_length > limit + 64 * 1024:
        flash(_too_big(request.content_length, limit), "error")
        return _team_page(event)
    request.max_content_length = limit + 64 * 1024
    if not FlaskForm().validate_on_submit():
        abort(400)
    received = request.files.get("berkas")
    if received is None or not received.filename:
        flash(_("Pilih berkas .xlsx terlebih dahulu."), "error")
        return _team_page(event)
    data = received.read(limit + 1)
    if len(data) > limit:
        flash(_too_big(len(data), limit), "error")
        return _team_page(event)
    try:
        rules.check_contributors(event, data)
    except InvalidInput as problem:
        flash(problem.message, "error")
        return _team_page(event)
    token = uploads.store_upload(
        data,
        event=event,
        user=current_user,
        filename=PurePath(received.filename).name,
        kind="team",
    )
    db.session.commit()
    return redirect(url_for(".preview", code=event.code, token=token), code=303)


@bp.route("/kegiatan/<code>/tim/impor/<token>")
@event_required("manager")
def preview(event, token):
    """Every row as it will be added and every bad row with its reason; writes nothing."""
    kept = uploads.load_upload(token, event=event, user=current_user, kind="team")
    try:
        report = rules.check_contributors(event, kept.content)
    except InvalidInput as problem:
        flash(problem.message, "error")
        return _team_page(event)
    roles = {}
    for row in report.valid:
        roles[row.data["role"]] = roles.get(row.data["role"], 0) + 1
    return render_template(
        "reports/contributor_import_preview.html",
        event=event,
        form=FlaskForm(),
        token=token,
        upload=kept,
        report=report,
        roles=roles,
    )


@bp.route("/kegiatan/<code>/tim/impor/<token>/simpan", methods=["POST"])
@event_required("manager")
def confirm(event, token):
    """Add the valid rows of a previewed upload, all or none."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    kept = uploads.load_upload(token, event=event, user=current_user, kind="team")
    try:
        report = rules.check_contributors(event, kept.content)
    except InvalidInput as problem:
        flash(problem.message, "error")
        return _team_page(event)
    expected = request.form.get("valid_rows", type=int)
    if expected is not None and expected != len(report.valid):
        flash(
            _(
                "Data berubah sejak pratinjau: kini %(n)s baris valid. Periksa lagi sebelum "
                "mengimpor.",
                n=len(report.valid),
            ),
            "warning",
        )
        return redirect(url_for(".preview", code=event.code, token=token), code=303)
    try:
        uploads.discard_upload(kept)  # first, in the same transaction: imported at most once
        added = rules.import_contributors(
            event, report, actor=current_user, channel="import", filename=kept.filename
        )
    except (InvalidInput, rules.ContributorImportFailed) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".preview", code=event.code, token=token), code=303)
    except Conflict as error:  # the upload, taken by another request
        db.session.rollback()
        flash(error.message, "error")
        return _team_page(event)
    db.session.commit()
    flash(
        _(
            "%(n)s orang ditambahkan dari %(file)s; %(s)s baris bermasalah dilewati.",
            n=len(added),
            file=kept.filename,
            s=len(report.invalid),
        ),
        "success",
    )
    return _team_page(event)


@bp.route("/kegiatan/<code>/tim/impor/<token>/batal", methods=["POST"])
@event_required("manager")
def discard(event, token):
    """Forget a previewed upload without adding anyone."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    uploads.discard_upload(uploads.load_upload(token, event=event, user=current_user, kind="team"))
    db.session.commit()
    flash(_("Impor dibatalkan; tidak ada yang ditambahkan."), "info")
    return _team_page(event)

"""The organizer's dashboard, spreadsheet exports and the participant import (under /admin)."""

from pathlib import PurePath

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.certificates import runs as certificate_runs
from bimtek.core import charts
from bimtek.core.spreadsheets import send_xlsx
from bimtek.core.web import public_base_url
from bimtek.core.xlsx_reader import XlsxLimits
from bimtek.errors import Conflict, InvalidInput
from bimtek.events.access import event_required
from bimtek.extensions import db
from bimtek.participants import importing as services
from bimtek.participants.models import INSTITUTION_CATEGORIES, category_labels, gender_labels
from bimtek.participants.template import participant_template
from bimtek.reports import dashboard as dashboard_data
from bimtek.reports import exports

bp = Blueprint("reports", __name__)

#: at most this many rows are listed on the preview page (all are checked and imported)
PREVIEW_ROWS_SHOWN = 1000


@bp.route("/kegiatan/<code>/ringkasan")
@event_required("manager")
def dashboard(event):
    """The event's admin home: registration, today's sessions, attendance, tests, certificates."""
    issuing = certificate_runs.busy_run(event)
    return render_template(
        "reports/dashboard.html",
        event=event,
        issuing=issuing,
        issuing_counts=certificate_runs.run_counts(issuing) if issuing else None,
        data=dashboard_data.overview(event),
        exports=exports.available(),
        colors=charts.COLORS,
    )


@bp.route("/kegiatan/<code>/ringkasan/langsung.json")
@event_required("manager")
def dashboard_live(event):
    """Today's sessions with their check-in counts, polled by the dashboard every 10 s."""
    return jsonify(dashboard_data.live(event))


@bp.route("/kegiatan/<code>/ekspor/<kind>.xlsx")
@event_required("manager")
def export(event, kind):
    """One export workbook (peserta, kehadiran, nilai, sertifikat) or all of them (semua):
    managers only (they hold personal data and test results)."""
    if kind not in exports.available():
        abort(404)
    if exports.needs_job(event):  # too big for a request: a button asks for a job (POST)
        return render_template(
            "reports/export_job.html",
            event=event,
            kind=kind,
            label=exports.available()[kind],
            form=FlaskForm(),
        )
    content, filename = exports.export_workbook(event, kind, base=public_base_url())
    return send_xlsx(content, filename)


@bp.route("/kegiatan/<code>/ekspor/<kind>/siapkan", methods=["POST"])
@event_required("manager")
def prepare_export(event, kind):
    """Managers: a job prepares the export (any size), then its progress page."""
    if kind not in exports.available():
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    prepared = exports.prepare_export(event, kind, actor=current_user)
    db.session.commit()
    return redirect(url_for("prepared_files.show", code=event.code, prepared_id=prepared.id))


@bp.route("/kegiatan/<code>/impor/templat-peserta.xlsx")
@event_required("manager")
def import_template(event):
    """The empty participant template, with drop-down lists and an example row."""
    return send_xlsx(participant_template(), f"templat-peserta-{event.code}.xlsx")


@bp.route("/kegiatan/<code>/impor", methods=["GET", "POST"])
@event_required("manager")
def imports(event):
    """The upload form; a good file is kept and its preview shown, a bad one explained."""
    form = FlaskForm()
    limit = services.import_max_bytes()
    error = None
    status = 200
    if request.method == "POST":
        # refuse a big upload before reading it, more strictly than the app-wide limit
        if request.content_length and request.content_length > limit + 64 * 1024:
            error, status = _too_big(request.content_length, limit), 413
        else:
            request.max_content_length = limit + 64 * 1024
            error, status, token = _receive_upload(event, form, limit)
            if token:
                return redirect(url_for(".import_preview", code=event.code, token=token))
    return render_template(
        "reports/imports.html",
        event=event,
        form=form,
        error=error,
        limit_mb=limit / 1024 / 1024,
        max_rows=XlsxLimits.for_import("IMPORT").max_rows,
        categories=INSTITUTION_CATEGORIES,
        history=services.recent_imports(event),
    ), status


def _too_big(size: int, limit: int) -> str:
    return _(
        "Berkas terlalu besar (%(size).1f MB). Batas unggahan daftar peserta %(limit).0f MB; "
        "daftar 5.000 peserta biasanya di bawah 1 MB. Hapus gambar atau lembar lain, atau "
        "pecah menjadi beberapa berkas.",
        size=size / 1024 / 1024,
        limit=limit / 1024 / 1024,
    )


def _receive_upload(event, form, limit):
    """Check an uploaded file; keep it for the preview. Returns (error, status, token)."""
    if not form.validate_on_submit():
        return _("Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), 400, None
    upload = request.files.get("berkas")
    if upload is None or not upload.filename:
        return _("Pilih berkas .xlsx terlebih dahulu."), 422, None
    data = upload.read(limit + 1)
    if len(data) > limit:
        return _too_big(len(data), limit), 413, None
    try:
        services.preview_import(event, data)
    except InvalidInput as problem:
        return problem.message, 422, None
    token = services.store_upload(
        data, event=event, user=current_user, filename=PurePath(upload.filename).name
    )
    db.session.commit()
    return None, 200, token


@bp.route("/kegiatan/<code>/impor/<token>")
@event_required("manager")
def import_preview(event, token):
    """Every row as it will be imported and every bad row with its reason; writes nothing."""
    upload = services.load_upload(token, event=event, user=current_user)
    report = services.preview_import(event, upload.content)
    return render_template(
        "reports/import_preview.html",
        event=event,
        form=FlaskForm(),
        token=token,
        upload=upload,
        report=report,
        shown=PREVIEW_ROWS_SHOWN,
        categories=category_labels(),
        genders=gender_labels(),
    )


@bp.route("/kegiatan/<code>/impor/<token>/simpan", methods=["POST"])
@event_required("manager")
def import_confirm(event, token):
    """Import the valid rows of a previewed upload, all or none."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    upload = services.load_upload(token, event=event, user=current_user)
    report = services.preview_import(event, upload.content)
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
        return redirect(url_for(".import_preview", code=event.code, token=token))
    try:
        services.discard_upload(upload)  # first, in the same transaction: imported at most once
        result = services.import_participants(
            event, report, actor=current_user, channel="import", filename=upload.filename
        )
    except (InvalidInput, services.ImportFailed) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".import_preview", code=event.code, token=token))
    except Conflict as error:  # the upload, taken by another request
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("participants_admin.index", code=event.code))
    db.session.commit()
    flash(
        _(
            "%(n)s peserta diimpor: %(r)s terdaftar, %(w)s daftar tunggu. %(s)s baris "
            "bermasalah dilewati.",
            n=result.registered + result.waitlisted,
            r=result.registered,
            w=result.waitlisted,
            s=result.skipped,
        ),
        "success",
    )
    return redirect(url_for("participants_admin.index", code=event.code))


@bp.route("/kegiatan/<code>/impor/<token>/batal", methods=["POST"])
@event_required("manager")
def import_discard(event, token):
    """Forget a previewed upload without importing anything."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.discard_upload(services.load_upload(token, event=event, user=current_user))
    db.session.commit()
    flash(_("Impor dibatalkan; tidak ada peserta yang ditambahkan."), "info")
    return redirect(url_for(".imports", code=event.code))

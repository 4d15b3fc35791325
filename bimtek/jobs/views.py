"""The progress page and the download of a prepared file, for the managers of its event."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from bimtek.events.access import event_required, load_in_event
from bimtek.jobs import prepared as files
from bimtek.jobs.models import PreparedFile
from bimtek.storage import files as storage

bp = Blueprint("prepared_files", __name__)
ADMIN = "/kegiatan/<code>/berkas-disiapkan/<int:prepared_id>"


def progress_page(event, prepared: PreparedFile, *, download_url: str):
    """JSON progress for a script, else the page with its bar (refreshing) or the file."""
    if request.accept_mimetypes.best == "application/json":
        return {
            "status": prepared.status,
            "done": prepared.done,
            "total": prepared.total,
            "percent": prepared.percent,
        }
    back = files.BACK_TO.get(prepared.kind, "reports.dashboard")
    certificates = prepared.kind.startswith("certificates")
    back_label = files.BACK_LABELS.get(prepared.kind) or (
        _("Sertifikat") if certificates else _("Ringkasan")
    )
    return render_template(
        "notifications/prepared_file.html",
        event=event,
        prepared=prepared,
        download_url=download_url,
        back_url=url_for(back, code=event.code),
        back_label=back_label,
        certificates=certificates,
    )


def download_response(prepared: PreparedFile, *, again_url: str):
    """The ready file, never cached; else back to its page with a message."""
    stored = files.ready_file(prepared)
    if stored is None:
        flash(_("Berkas belum siap atau sudah dihapus; siapkan lagi."), "error")
        return redirect(again_url)
    response = storage.send(
        stored, download_name=prepared.filename, mimetype=files.mimetype(prepared), max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route(ADMIN)
@event_required("manager")
def show(event, prepared_id):
    prepared = load_in_event(PreparedFile, prepared_id, event)
    return progress_page(
        event,
        prepared,
        download_url=url_for(".download", code=event.code, prepared_id=prepared.id),
    )


@bp.route(ADMIN + "/unduh")
@event_required("manager")
def download(event, prepared_id):
    prepared = load_in_event(PreparedFile, prepared_id, event)
    return download_response(
        prepared, again_url=url_for(".show", code=event.code, prepared_id=prepared.id)
    )

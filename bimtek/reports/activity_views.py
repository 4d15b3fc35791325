"""The laporan kegiatan download (the event's manager)."""

import io

from flask import Blueprint, send_file

from bimtek.events.access import event_required
from bimtek.reports import activity_report

bp = Blueprint("activity_report", __name__)


@bp.route("/admin/kegiatan/<code>/laporan-kegiatan.pdf")
@event_required("manager")
def download(event):
    """The activity report as one A4 PDF; figures as on the pages and in the exports."""
    data = activity_report.activity_report_pdf(event)
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=activity_report.filename(event),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

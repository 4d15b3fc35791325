"""The audit log viewer of an event: managers read who did what, and export it."""

from flask import Blueprint, make_response, render_template, request

from bimtek.audit_log import reading
from bimtek.core.pagination import page_number
from bimtek.core.spreadsheets import send_xlsx
from bimtek.core.timeutil import utcnow
from bimtek.events.access import event_required
from bimtek.extensions import db

bp = Blueprint("audit", __name__)


def _filters() -> reading.LogFilters:
    actor = request.args.get("staf", "")
    return reading.LogFilters(
        person=request.args.get("peserta", "").strip()[:100],
        action=request.args.get("tindakan", "").strip()[:60],
        actor_id=int(actor) if actor.isdigit() and len(actor) < 10 else None,
    )


@bp.route("/kegiatan/<code>/log")
@event_required("manager")
def log(event):
    filters = _filters()
    page = db.paginate(
        reading.log_query(event, filters),
        page=page_number(request.args.get("hal")),
        per_page=reading.PER_PAGE,
        error_out=False,
    )
    response = make_response(
        render_template(
            "audit/log.html",
            event=event,
            page=page,
            rows=reading.rows_for(event, page.items),
            filters=filters,
            actions=reading.actions_in(event),
            staff=reading.staff_in_log(event),
            action_label=reading.action_label,
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/kegiatan/<code>/log.xlsx")
@event_required("manager")
def export(event):
    now = utcnow()
    content = reading.log_workbook(event, _filters(), now)
    stamp = event.local(now).strftime("%Y%m%d-%H%M")
    return send_xlsx(content, f"{event.code}-log-audit-{stamp}.xlsx")

"""The audit log viewer of an event: managers read who did what, and export it."""

from flask import Blueprint, make_response, render_template, request

from bimtek.core.pagination import page_number
from bimtek.core.spreadsheets import send_xlsx
from bimtek.core.timeutil import utcnow
from bimtek.events.access import event_required
from bimtek.extensions import db
from bimtek.reports import audit_log

bp = Blueprint("audit", __name__)


def _filters() -> audit_log.LogFilters:
    actor = request.args.get("staf", "")
    return audit_log.LogFilters(
        person=request.args.get("peserta", "").strip()[:100],
        action=request.args.get("tindakan", "").strip()[:60],
        actor_id=int(actor) if actor.isdigit() and len(actor) < 10 else None,
    )


@bp.route("/kegiatan/<code>/log")
@event_required("manager")
def log(event):
    filters = _filters()
    page = db.paginate(
        audit_log.log_query(event, filters),
        page=page_number(request.args.get("hal")),
        per_page=audit_log.PER_PAGE,
        error_out=False,
    )
    response = make_response(
        render_template(
            "audit/log.html",
            event=event,
            page=page,
            rows=audit_log.rows_for(event, page.items),
            filters=filters,
            actions=audit_log.actions_in(event),
            staff=audit_log.staff_in_log(event),
            action_label=audit_log.action_label,
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/kegiatan/<code>/log.xlsx")
@event_required("manager")
def export(event):
    now = utcnow()
    content = audit_log.log_workbook(event, _filters(), now)
    stamp = event.local(now).strftime("%Y%m%d-%H%M")
    return send_xlsx(content, f"{event.code}-log-audit-{stamp}.xlsx")

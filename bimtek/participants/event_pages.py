"""Event pages that count participants: the public list and page of an event and the
material download (blueprint ``events``), the staff's list of events and an event's settings
with its capacity (blueprint ``staff_events``).

They live here because events sit below participants and cannot count them."""

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user

from bimtek.core.database import get_by_id
from bimtek.core.pagination import page_number
from bimtek.core.web import save_form_page, staff_required
from bimtek.events import clone_review, services
from bimtek.events.access import event_required, events_for
from bimtek.events.access import may as may_in_event
from bimtek.events.models import Material
from bimtek.extensions import db
from bimtek.participants.queries import (
    can_download_material,
    seats_left,
    seats_left_of,
    status_counts,
)
from bimtek.participants.registration import change_event
from bimtek.storage import files

bp = Blueprint("events", __name__)
admin_bp = Blueprint("staff_events", __name__)

#: events on one page of the public list (a nation's install holds hundreds)
EVENTS_PER_PAGE = 24


@bp.route("/")
def index():
    """Published events, newest first, a page at a time; seats counted in one query."""
    page = db.paginate(
        services.public_events_query(),
        page=page_number(request.args.get("hal")),
        per_page=EVENTS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "events/index.html", events=page.items, page=page, seats=seats_left_of(page.items)
    )


@bp.route("/kegiatan/<code>")
def detail(code):
    event = services.get_event(code)
    services.public_or_not_found(event, preview=may_in_event(current_user, event, "panitia"))
    return render_template(
        "events/detail.html",
        event=event,
        seats_left=seats_left(event),
        schedule=services.schedule_by_day(event),
    )


@admin_bp.route("/", endpoint="index")
@staff_required
def admin_index():
    """The events this staff member is assigned to (all of them for an administrator)."""
    events = events_for(current_user)
    return render_template(
        "events/admin/index.html", events=events, counts={e.id: status_counts(e.id) for e in events}
    )


@admin_bp.route("/kegiatan/<code>/ubah", methods=["GET", "POST"])
@event_required("manager")
def edit_event(event):
    return save_form_page(
        "events/admin/event_form.html",
        event=event,
        save=lambda data: change_event(event, data, actor=current_user),
        next_url=lambda: url_for(".edit_event", code=event.code),
        review=clone_review.review_summary(event),
    )


@bp.route("/bahan/<int:material_id>/<path:filename>")
def download_material(material_id, filename):
    material = get_by_id(Material, material_id)
    if material is None:
        abort(404)
    event = material.module.event
    services.public_or_not_found(event, preview=may_in_event(current_user, event, "panitia"))
    if not can_download_material(material, current_user):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if current_user.is_staff:
            abort(404)  # staff of other events do not learn it exists
        abort(403)
    stored = files.get(material.file_id)
    if stored is None:
        abort(404)
    return files.send(
        stored, download_name=material.filename, mimetype=services.MATERIAL_KINDS[material.kind]
    )

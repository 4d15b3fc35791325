"""Event pages that count participants, on the events blueprints (URLs and endpoint names
``events.index``, ``events.detail``, ``events.download_material``, ``events_admin.index``).

They live here because events sit below participants; ``create_app`` imports this module
before it registers the blueprints."""

from flask import abort, current_app, render_template, request
from flask_login import current_user

from bimtek.core.database import get_by_id
from bimtek.core.pagination import page_number
from bimtek.core.web import staff_required
from bimtek.events import services
from bimtek.events.access import events_for
from bimtek.events.access import may as may_in_event
from bimtek.events.models import Material
from bimtek.events.views import admin_bp, bp
from bimtek.extensions import db
from bimtek.participants.queries import (
    can_download_material,
    seats_left,
    seats_left_of,
    status_counts,
)
from bimtek.storage import files

#: events on one page of the public list (a nation's install holds hundreds)
EVENTS_PER_PAGE = 24


@bp.route("/")
def index():
    """Published events, upcoming first (``public_events_query``), a page at a time; seats
    counted in one query."""
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

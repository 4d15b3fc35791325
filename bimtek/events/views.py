"""Public event pages, and the admin pages for events, modules and sessions."""

import io
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.core.database import get_by_id
from bimtek.core.pagination import page_number
from bimtek.core.web import admin_required, staff_required
from bimtek.errors import InvalidInput
from bimtek.events import services
from bimtek.events.models import Material, Module
from bimtek.extensions import db
from bimtek.participants.services import seats_left, seats_left_of, status_counts

bp = Blueprint("events", __name__)
admin_bp = Blueprint("events_admin", __name__)


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
    if not event.published and not (current_user.is_authenticated and current_user.is_staff):
        abort(404)
    return render_template(
        "events/detail.html",
        event=event,
        seats_left=seats_left(event),
        schedule=services.schedule_by_day(event),
    )


@admin_bp.route("/", endpoint="index")
@staff_required
def admin_index():
    events = services.all_events()
    return render_template(
        "events/admin/index.html", events=events, counts={e.id: status_counts(e.id) for e in events}
    )


def _save_form(template, *, event=None, **context):
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        try:
            context["save"](request.form)
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Tersimpan."), "success")
            return redirect(context["next_url"]())
    status = 422 if errors else 200
    return render_template(
        template,
        form=form,
        errors=errors,
        event=event,
        values=request.form if request.method == "POST" else None,
        **{k: v for k, v in context.items() if k not in ("save", "next_url")},
    ), status


@admin_bp.route("/kegiatan/baru", methods=["GET", "POST"])
@admin_required
def new_event():
    created = {}

    def save(data):
        created["event"] = services.create_event(data, actor=current_user)

    return _save_form(
        "events/admin/event_form.html",
        save=save,
        next_url=lambda: url_for(".modules", code=created["event"].code),
    )


@admin_bp.route("/kegiatan/<code>/ubah", methods=["GET", "POST"])
@admin_required
def edit_event(code):
    event = services.get_event(code)
    return _save_form(
        "events/admin/event_form.html",
        event=event,
        save=lambda data: services.update_event(event, data, actor=current_user),
        next_url=lambda: url_for(".edit_event", code=event.code),
    )


@admin_bp.route("/kegiatan/<code>/materi")
@staff_required
def modules(code):
    event = services.get_event(code)
    return render_template(
        "events/admin/modules.html",
        event=event,
        form=FlaskForm(),
        schedule=services.schedule_by_day(event),
    )


@admin_bp.route("/kegiatan/<code>/materi/baru", methods=["GET", "POST"])
@admin_bp.route("/kegiatan/<code>/materi/<int:module_id>", methods=["GET", "POST"])
@admin_required
def edit_module(code, module_id=None):
    event = services.get_event(code)
    module = None
    if module_id is not None:
        module = get_by_id(Module, module_id)
        if module is None or module.event_id != event.id:
            abort(404)
    return _save_form(
        "events/admin/module_form.html",
        event=event,
        module=module,
        save=lambda data: services.save_module(event, data, module=module, actor=current_user),
        next_url=lambda: url_for(".modules", code=event.code),
    )


@admin_bp.route("/kegiatan/<code>/materi/<int:module_id>/hapus", methods=["POST"])
@admin_required
def delete_module(code, module_id):
    event = services.get_event(code)
    module = get_by_id(Module, module_id)
    if module is None or module.event_id != event.id or not FlaskForm().validate_on_submit():
        abort(404)
    services.delete_module(module, actor=current_user)
    db.session.commit()
    flash(_("Materi dihapus."), "success")
    return redirect(url_for(".modules", code=event.code))


@admin_bp.route("/kegiatan/<code>/sesi/baru", methods=["GET", "POST"])
@admin_bp.route("/kegiatan/<code>/sesi/<int:session_id>", methods=["GET", "POST"])
@admin_required
def edit_session(code, session_id=None):
    event = services.get_event(code)
    session = None
    if session_id is not None:
        session = services.get_session(session_id)
        if session.event_id != event.id:
            abort(404)
    return _save_form(
        "events/admin/session_form.html",
        event=event,
        session=session,
        save=lambda data: services.save_session(event, data, session=session, actor=current_user),
        next_url=lambda: url_for(".modules", code=event.code),
    )


@admin_bp.route("/kegiatan/<code>/sesi/<int:session_id>/hapus", methods=["POST"])
@admin_required
def delete_session(code, session_id):
    event = services.get_event(code)
    session = services.get_session(session_id)
    if session.event_id != event.id or not FlaskForm().validate_on_submit():
        abort(404)
    services.delete_session(session, actor=current_user)
    db.session.commit()
    flash(_("Sesi dihapus."), "success")
    return redirect(url_for(".modules", code=event.code))


def materials_folder() -> Path:
    base = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    return Path(base) / "materials"


def _event_module(code, module_id) -> tuple:
    event = services.get_event(code)
    module = get_by_id(Module, module_id)
    if module is None or module.event_id != event.id:
        abort(404)
    return event, module


@admin_bp.route("/kegiatan/<code>/materi/<int:module_id>/bahan", methods=["POST"])
@admin_required
def upload_material(code, module_id):
    event, module = _event_module(code, module_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    upload = request.files.get("file")
    try:
        services.add_material(
            module,
            stream=upload.stream if upload else io.BytesIO(),
            filename=upload.filename if upload else "",
            title=request.form.get("material_title", ""),
            folder=materials_folder(),
            max_bytes=current_app.config["MATERIAL_MAX_BYTES"],
            actor=current_user,
        )
    except InvalidInput as error:
        flash(error.message, "error")
        return redirect(url_for(".edit_module", code=event.code, module_id=module.id)), 303
    db.session.commit()
    flash(_("Bahan ajar diunggah."), "success")
    return redirect(url_for(".edit_module", code=event.code, module_id=module.id))


@admin_bp.route("/kegiatan/<code>/bahan/<int:material_id>/hapus", methods=["POST"])
@admin_required
def delete_material(code, material_id):
    event = services.get_event(code)
    material = get_by_id(Material, material_id)
    if material is None or material.module.event_id != event.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    module_id = material.module_id
    services.delete_material(material, folder=materials_folder(), actor=current_user)
    db.session.commit()
    flash(_("Bahan ajar dihapus."), "success")
    return redirect(url_for(".edit_module", code=event.code, module_id=module_id))


@bp.route("/bahan/<int:material_id>/<path:filename>")
def download_material(material_id, filename):
    material = get_by_id(Material, material_id)
    if material is None:
        abort(404)
    if not services.can_download_material(material, current_user):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        abort(403)
    return send_from_directory(
        materials_folder(),
        material.stored_name,
        mimetype=services.MATERIAL_KINDS[material.kind],
        as_attachment=True,
        download_name=material.filename,
    )

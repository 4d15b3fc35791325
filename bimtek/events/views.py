"""The events' admin pages: a new event, closing and copying it, its modules, sessions and
materials.

The pages that also count participants (the public list and page of an event, the staff's
list of events, an event's settings with its capacity) and the material download
(registered participants may) are participants' blueprints, in
``bimtek/participants/event_pages.py``: participants sit above events, so events' own
modules cannot count them."""

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.core.web import admin_required, save_form_page
from bimtek.errors import Forbidden, InvalidInput
from bimtek.events import clone_review as clone_review_rules
from bimtek.events import contributor_import, services, session_batch
from bimtek.events import contributors as team
from bimtek.events.access import acting_user, event_required, load_in_event
from bimtek.events.access import may as may_in_event
from bimtek.events.cloning import clone_event as clone
from bimtek.events.models import Material, Module, Session
from bimtek.extensions import db

admin_bp = Blueprint("events_admin", __name__)


@admin_bp.app_template_global("may")
def may_here(need: str, event=None) -> bool:
    """For templates: whether the person (or API token) holds ``need`` in ``event`` (default:
    the event the page is about), so menus show only what they may open."""
    event = event if event is not None else g.get("event")
    return event is not None and may_in_event(acting_user(), event, need)


@admin_bp.route("/kegiatan/baru", methods=["GET", "POST"])
@admin_required
def new_event():
    """Only an install-wide administrator creates events (and then assigns their staff)."""
    created = {}

    def save(data):
        created["event"] = services.create_event(data, actor=current_user)

    return save_form_page(
        "events/admin/event_form.html",
        save=save,
        next_url=lambda: url_for(".modules", code=created["event"].code),
    )


@admin_bp.post("/kegiatan/<code>/tutup")
@event_required("manager")
def close_event(event):
    """ "Tutup kegiatan": participants can no longer cancel; a manager still can."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.close_event(event, actor=current_user)
    db.session.commit()
    flash(_("Kegiatan ditutup: peserta tidak dapat lagi membatalkan pendaftaran."), "success")
    return redirect(url_for("staff_events.edit_event", code=event.code))


@admin_bp.post("/kegiatan/<code>/buka")
@event_required("manager")
def reopen_event(event):
    """Undo "Tutup kegiatan"."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.reopen_event(event, actor=current_user)
    db.session.commit()
    flash(_("Kegiatan dibuka kembali."), "success")
    return redirect(url_for("staff_events.edit_event", code=event.code))


@admin_bp.route("/kegiatan/<code>/salin", methods=["GET", "POST"])
@event_required("manager")
def clone_event(event):
    """Salin kegiatan: administrators only, as creating any event is (a new event is a new
    boundary of rights, decided by an administrator); the event's managers get a 403."""
    if not current_user.is_admin:
        raise Forbidden(_("Hanya administrator yang dapat menyalin kegiatan."))
    created = {}

    def save(data):
        created["event"] = clone(event, data, actor=current_user)

    return save_form_page(
        "events/admin/clone_form.html",
        event=event,
        save=save,
        next_url=lambda: url_for(".clone_review", code=created["event"].code),
    )


@admin_bp.route("/kegiatan/<code>/periksa-salinan", methods=["GET", "POST"])
@event_required("manager")
def clone_review(event):
    """After "Salin kegiatan": what to look at again, each linked to where it is edited."""
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            clone_review_rules.mark_reviewed(
                event,
                request.form.get("item", ""),
                request.form.get("reviewed") == "1",
                actor=current_user,
            )
        except InvalidInput as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
        return redirect(url_for(".clone_review", code=event.code), 303)
    return render_template(
        "events/admin/clone_review.html",
        event=event,
        form=form,
        items=clone_review_rules.review_items(event),
    )


@admin_bp.route("/kegiatan/<code>/materi")
@event_required("manager")
def modules(event):
    return render_template(
        "events/admin/modules.html",
        event=event,
        form=FlaskForm(),
        schedule=services.schedule_by_day(event),
    )


@admin_bp.route("/kegiatan/<code>/materi/baru", methods=["GET", "POST"])
@admin_bp.route("/kegiatan/<code>/materi/<int:module_id>", methods=["GET", "POST"])
@event_required("manager")
def edit_module(event, module_id=None):
    module = load_in_event(Module, module_id, event) if module_id is not None else None
    return save_form_page(
        "events/admin/module_form.html",
        event=event,
        module=module,
        save=lambda data: services.save_module(event, data, module=module, actor=current_user),
        next_url=lambda: url_for(".modules", code=event.code),
    )


@admin_bp.route("/kegiatan/<code>/materi/<int:module_id>/hapus", methods=["POST"])
@event_required("manager")
def delete_module(event, module_id):
    module = load_in_event(Module, module_id, event)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.delete_module(module, actor=current_user)
    db.session.commit()
    flash(_("Materi dihapus."), "success")
    return redirect(url_for(".modules", code=event.code))


@admin_bp.route("/kegiatan/<code>/sesi/baru", methods=["GET", "POST"])
@admin_bp.route("/kegiatan/<code>/sesi/<int:session_id>", methods=["GET", "POST"])
@event_required("manager")
def edit_session(event, session_id=None):
    session = load_in_event(Session, session_id, event) if session_id is not None else None
    return save_form_page(
        "events/admin/session_form.html",
        event=event,
        session=session,
        save=lambda data: services.save_session(event, data, session=session, actor=current_user),
        next_url=lambda: url_for(".modules", code=event.code),
    )


@admin_bp.route("/kegiatan/<code>/sesi/ubah-sekaligus", methods=["GET", "POST"])
@event_required("manager")
def edit_sessions(event):
    """Several sessions at once: one room for all, or moved by N days (times kept)."""
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        try:
            changed = session_batch.edit_sessions(
                event,
                request.form.getlist("session_id"),
                room=request.form.get("room"),
                shift_days=request.form.get("shift_days"),
                everything=request.form.get("all") == "1",
                actor=current_user,
            )
        except InvalidInput as error:
            db.session.rollback()
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(n)s sesi diubah.", n=len(changed)), "success")
            return redirect(url_for(".modules", code=event.code))
    return render_template(
        "events/admin/sessions_batch.html",
        event=event,
        form=form,
        errors=errors,
        values=request.form if request.method == "POST" else {},
        chosen={int(i) for i in request.form.getlist("session_id") if i.isdigit()},
        schedule=services.schedule_by_day(event),
    ), 422 if errors else 200


@admin_bp.route("/kegiatan/<code>/sesi/<int:session_id>/hapus", methods=["POST"])
@event_required("manager")
def delete_session(event, session_id):
    session = load_in_event(Session, session_id, event)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.delete_session(session, actor=current_user)
    db.session.commit()
    flash(_("Sesi dihapus."), "success")
    return redirect(url_for(".modules", code=event.code))


@admin_bp.route("/kegiatan/<code>/materi/<int:module_id>/bahan", methods=["POST"])
@event_required("manager")
def upload_material(event, module_id):
    module = load_in_event(Module, module_id, event)
    if not FlaskForm().validate_on_submit():
        abort(400)
    upload = request.files.get("file")
    try:
        services.add_material(
            module,
            stream=upload.stream if upload else io.BytesIO(),
            filename=upload.filename if upload else "",
            title=request.form.get("material_title", ""),
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
@event_required("manager")
def delete_material(event, material_id):
    material = load_in_event(Material, material_id, event)
    if not FlaskForm().validate_on_submit():
        abort(400)
    module_id = material.module_id
    services.delete_material(material, actor=current_user)
    db.session.commit()
    flash(_("Bahan ajar dihapus."), "success")
    return redirect(url_for(".edit_module", code=event.code, module_id=module_id))


# --- who served: narasumber, moderator, panitia ----------------------------------------------


@admin_bp.route("/kegiatan/<code>/tim", methods=["GET", "POST"])
@event_required("manager")
def contributors(event):
    """Narasumber and moderators of each module, and the panitia: the list and the add form."""
    errors, values = {}, None
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        try:
            added = team.add_contributor(event, request.form, actor=current_user)
        except InvalidInput as error:
            db.session.rollback()
            errors, values = error.fields, request.form
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s ditambahkan.", name=added.name), "success")
            return redirect(url_for(".contributors", code=event.code))
    limits = contributor_import.import_limits()
    return render_template(
        "events/admin/contributors.html",
        event=event,
        form=FlaskForm(),
        contributors=team.contributors_of(event),
        module_options=[(m.id, f"{m.code} · {m.title}") for m in event.modules],
        errors=errors,
        values=values,
        import_max_mb=limits.max_bytes / 1024 / 1024,
        import_max_rows=limits.max_rows,
    ), 422 if errors else 200


@admin_bp.route("/kegiatan/<code>/tim/<int:contributor_id>/hapus", methods=["POST"])
@event_required("manager")
def remove_contributor(event, contributor_id):
    contributor = team.get_contributor(event, contributor_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    team.remove_contributor(contributor, actor=current_user)
    db.session.commit()
    flash(_("%(name)s dihapus dari daftar.", name=contributor.name), "success")
    return redirect(url_for(".contributors", code=event.code))


@admin_bp.route("/kegiatan/<code>/tim/<int:contributor_id>/email", methods=["POST"])
@event_required("manager")
def contributor_email(event, contributor_id):
    """Set or correct where a listed person's certificate is mailed."""
    contributor = team.get_contributor(event, contributor_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        team.set_contributor_email(contributor, request.form.get("email"), actor=current_user)
    except InvalidInput as error:
        db.session.rollback()
        flash(_("%(name)s: %(problem)s", name=contributor.name, problem=error.message), "error")
    else:
        db.session.commit()
        flash(_("Email %(name)s disimpan.", name=contributor.name), "success")
    return redirect(url_for(".contributors", code=event.code))


@admin_bp.route("/kegiatan/<code>/tim/staf", methods=["POST"])
@event_required("manager")
def add_staff_as_panitia(event):
    if not FlaskForm().validate_on_submit():
        abort(400)
    added = team.add_staff_as_panitia(event, actor=current_user)
    db.session.commit()
    flash(_("%(n)s staf ditambahkan sebagai panitia.", n=added), "success")
    return redirect(url_for(".contributors", code=event.code))

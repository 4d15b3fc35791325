"""The classes (kelas) pages of an event, for its managers: the classes, who is in which
(by category, evenly, by hand). The rules are ``bimtek.participants.classes``."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.errors import ServiceError
from bimtek.events.access import event_required, load_in_event
from bimtek.events.models import EventClass
from bimtek.extensions import db
from bimtek.participants import classes
from bimtek.participants.models import Participant, category_labels

bp = Blueprint("classes", __name__)


def _posted() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


def _act(event, action, done: str):
    """Run a change, commit and say ``done``; or roll back and say why not."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return None
    db.session.commit()
    flash(done if result is None else done % {"n": result}, "success")
    return result


@bp.route("/kegiatan/<code>/kelas")
@event_required("manager")
def index(event):
    return _index_page(event)


def _index_page(event, errors=None, values=None, status=200):
    categories = dict(
        db.session.execute(
            sa.select(Participant.institution_category, sa.func.count())
            .where(Participant.event_id == event.id, Participant.status == "registered")
            .group_by(Participant.institution_category)
        ).all()
    )
    sessions = {}
    for session in event.sessions:
        sessions[session.class_id] = sessions.get(session.class_id, 0) + 1
    return render_template(
        "participants/admin/classes.html",
        event=event,
        form=FlaskForm(),
        sizes=classes.class_sizes(event),
        sessions=sessions,
        unassigned=classes.unassigned_count(event),
        categories=[
            (code, label, categories.get(code, 0)) for code, label in category_labels().items()
        ],
        errors=errors or {},
        values=values,
    ), status


@bp.route("/kegiatan/<code>/kelas/baru", methods=["POST"])
@event_required("manager")
def create(event):
    _posted()
    try:
        classes.save_class(event, request.form, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _index_page(event, error.fields, request.form, 422)
    db.session.commit()
    flash(_("Kelas dibuat."), "success")
    return redirect(url_for(".index", code=event.code))


@bp.route("/kegiatan/<code>/kelas/<int:class_id>", methods=["GET", "POST"])
@event_required("manager")
def edit(event, class_id):
    event_class = load_in_event(EventClass, class_id, event)
    errors = {}
    if request.method == "POST":
        _posted()
        try:
            classes.save_class(event, request.form, event_class=event_class, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Tersimpan."), "success")
            return redirect(url_for(".index", code=event.code))
    return render_template(
        "participants/admin/class_form.html",
        event=event,
        event_class=event_class,
        form=FlaskForm(),
        errors=errors,
        values=request.form if request.method == "POST" else None,
    ), (422 if errors else 200)


@bp.route("/kegiatan/<code>/kelas/<int:class_id>/hapus", methods=["POST"])
@event_required("manager")
def delete(event, class_id):
    event_class = load_in_event(EventClass, class_id, event)
    _posted()
    _act(event, lambda: classes.delete_class(event_class, actor=current_user), _("Kelas dihapus."))
    return redirect(url_for(".index", code=event.code))


@bp.route("/kegiatan/<code>/kelas/per-kategori", methods=["POST"])
@event_required("manager")
def by_category(event):
    _posted()
    chosen = {
        key[len("category_") :]: value
        for key, value in request.form.items()
        if key.startswith("category_")
    }
    _act(
        event,
        lambda: classes.assign_by_category(event, chosen, actor=current_user),
        _("%(n)s peserta dipindahkan ke kelas menurut kategori instansi."),
    )
    return redirect(url_for(".index", code=event.code))


@bp.route("/kegiatan/<code>/kelas/bagi-rata", methods=["POST"])
@event_required("manager")
def spread(event):
    _posted()
    _act(
        event,
        lambda: classes.spread_evenly(event, actor=current_user),
        _("%(n)s peserta tanpa kelas dibagi rata ke kelas-kelas."),
    )
    return redirect(url_for(".index", code=event.code))


@bp.route("/kegiatan/<code>/kelas/peserta", methods=["GET", "POST"])
@event_required("manager")
def members(event):
    """Who is in which class, one select per person, and a bulk move of those ticked."""
    if request.method == "POST":
        _posted()
        if request.form.get("action") == "bulk":
            target = request.form.get("bulk_class", "")
            changes = {pid: target for pid in request.form.getlist("selected")}
            how = "bulk"
        else:
            changes = {
                key[len("class_") :]: value
                for key, value in request.form.items()
                if key.startswith("class_")
            }
            how = "hand"
        _act(
            event,
            lambda: classes.assign_classes(event, changes, how=how, actor=current_user),
            _("Kelas %(n)s peserta diubah."),
        )
        return redirect(url_for(".members", code=event.code, kelas=request.args.get("kelas", "")))
    shown = request.args.get("kelas", "")
    query = (
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status.in_(classes.ASSIGNABLE))
        .order_by(Participant.sort_name, Participant.id)
    )
    if shown == "tanpa":
        query = query.where(Participant.class_id.is_(None))
    elif shown.isdigit():
        query = query.where(Participant.class_id == int(shown))
    return render_template(
        "participants/admin/class_members.html",
        event=event,
        form=FlaskForm(),
        people=db.session.scalars(query).all(),
        shown=shown,
        sizes=classes.class_sizes(event),
        unassigned=classes.unassigned_count(event),
    )

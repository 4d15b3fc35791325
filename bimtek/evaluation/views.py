"""Evaluation pages: the report and the questionnaire's settings (manager of the event),
and the questionnaire itself (the participant, on a phone)."""

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

from bimtek.core import charts
from bimtek.core.charts import SCALE_COLORS
from bimtek.core.web import participant_required
from bimtek.errors import InvalidInput, ServiceError
from bimtek.evaluation import queries, services
from bimtek.events.access import event_required
from bimtek.extensions import db
from bimtek.participants.queries import own_participant

bp = Blueprint("evaluation", __name__)

ADMIN = "/admin/kegiatan/<code>/evaluasi"
PORTAL = "/portal/peserta/<int:participant_id>/evaluasi"

CATEGORY_CLASSES = {"sangat_baik": "ok", "baik": "ok", "cukup": "warn", "kurang": "bad"}


def distribution_segments(distribution: dict) -> list[charts.Segment]:
    """A 100%-wide stacked bar of how many chose 1, 2, 3 and 4."""
    values = [(value, distribution.get(value, 0)) for value in queries.SCALE]
    return charts.stack(values, sum(distribution.values()), SCALE_COLORS)


# ------------------------------------------------------------------------------------ staff


@bp.route(ADMIN)
@event_required("manager")
def report(event):
    """The evaluation report: aggregates only, each part from MIN_RESPONDENTS on."""
    return render_template(
        "evaluation/report.html",
        event=event,
        data=queries.report(event),
        settings=queries.settings_of(event),
        categories=queries.CATEGORY_LABELS,
        category_classes=CATEGORY_CLASSES,
        scale_labels=queries.SCALE_LABELS,
        scale_colors=SCALE_COLORS,
        segments=distribution_segments,
    )


def _settings_page(event, errors=None, values=None, status=200):
    return render_template(
        "evaluation/settings.html",
        event=event,
        settings=queries.settings_of(event),
        items={target: queries.items_of(event, target) for target in ("speaker", "organizer")},
        parts=queries.parts(event),
        errors=errors or {},
        values=values,
    ), status


@bp.route(ADMIN + "/pengaturan")
@event_required("manager")
def settings(event):
    return _settings_page(event)


@bp.post(ADMIN + "/pengaturan")
@event_required("manager")
def save_settings(event):
    try:
        services.update_settings(event, request.form, actor=current_user)
    except InvalidInput as error:
        flash(error.message, "error")
        return _settings_page(event, error.fields, request.form, 422)
    db.session.commit()
    flash(_("Pengaturan evaluasi tersimpan."), "success")
    return redirect(url_for(".settings", code=event.code))


@bp.post(ADMIN + "/pernyataan/<target>")
@event_required("manager")
def save_items(event, target):
    if target not in ("speaker", "organizer"):
        abort(404)
    try:
        services.save_items(event, target, request.form, actor=current_user)
    except InvalidInput as error:
        flash(error.message + " " + " ".join(error.fields.values()), "error")
        return _settings_page(event, error.fields, None, 422)
    db.session.commit()
    flash(_("Daftar pernyataan tersimpan."), "success")
    return redirect(url_for(".settings", code=event.code) + f"#{target}")


# ------------------------------------------------------------------------------ participant


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _page(participant, errors=None, message=None, status=200):
    """The one page: every narasumber and the organizer, answers so far, the progress."""
    sections = queries.questionnaire(participant)
    answered, asked = queries.answer_count(sections)
    return render_template(
        "evaluation/portal.html",
        participant=participant,
        event=participant.event,
        sections=sections,
        answered=answered,
        asked=asked,
        ready=queries.ready_to_submit(sections),
        waiting=any(s.state == "open" for s in sections),
        settings=queries.settings_of(participant.event),
        scale_labels=queries.SCALE_LABELS,
        errors=errors or {},
        message=message,
    ), status


@bp.route(PORTAL)
@participant_required
def portal(participant_id):
    participant = own_participant(participant_id, current_user)
    return _page(participant)


@bp.post(PORTAL + "/jawaban")
@participant_required
def save_page(participant_id):
    """Save answers of the one page: each tap (fetch, JSON) or all (the button, no script)."""
    participant = own_participant(participant_id, current_user)
    try:
        services.save_page(participant, request.form)
    except ServiceError as error:
        db.session.rollback()
        if _wants_json():
            return jsonify(error.to_dict()), error.status
        flash(error.message, "error")
        return redirect(url_for(".portal", participant_id=participant.id))
    db.session.commit()
    if _wants_json():
        return jsonify({"saved": True})
    flash(_("Jawaban tersimpan."), "success")
    return redirect(url_for(".portal", participant_id=participant.id))


@bp.post(PORTAL + "/selesai")
@participant_required
def submit_page(participant_id):
    """Send every open part at once, when each statement is answered."""
    participant = own_participant(participant_id, current_user)
    try:
        services.save_page(participant, request.form)
        db.session.commit()  # what was answered stays, even if sending is refused below
        services.submit_page(participant, {})
    except InvalidInput as error:
        db.session.rollback()
        return _page(participant, error.fields, error.message, status=422)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".portal", participant_id=participant.id))
    db.session.commit()
    flash(_("Terima kasih, penilaian Anda terkirim."), "success")
    return redirect(url_for(".portal", participant_id=participant.id))


@bp.route(PORTAL + "/<part_key>")
@participant_required
def form(participant_id, part_key):
    """The one-part page of before: now a place on the one page."""
    participant = own_participant(participant_id, current_user)
    part = queries.find_part(participant.event, part_key)
    if part is None:
        abort(404)
    return redirect(url_for(".portal", participant_id=participant.id, _anchor=f"part-{part.key}"))


@bp.post(PORTAL + "/<part_key>/simpan")
@participant_required
def save(participant_id, part_key):
    """Save the answers given so far (each click, from the page's script; or the button)."""
    participant = own_participant(participant_id, current_user)
    try:
        services.save_answers(participant, part_key, request.form)
    except ServiceError as error:
        db.session.rollback()
        if _wants_json():
            return jsonify(error.to_dict()), error.status
        flash(error.message, "error")
        return redirect(url_for(".portal", participant_id=participant.id))
    db.session.commit()
    if _wants_json():
        return jsonify({"saved": True})
    flash(_("Jawaban tersimpan."), "success")
    return redirect(url_for(".form", participant_id=participant.id, part_key=part_key))


@bp.post(PORTAL + "/<part_key>/kirim")
@participant_required
def submit(participant_id, part_key):
    participant = own_participant(participant_id, current_user)
    try:
        services.submit(participant, part_key, request.form)
    except InvalidInput as error:
        db.session.rollback()
        part = queries.find_part(participant.event, part_key)
        draft = queries.draft_of(participant, part.key) if part else None
        if part is None:
            abort(404)
        scores = dict(draft.scores) if draft else {}
        for item in queries.items_of(participant.event, part.target):
            raw = request.form.get(f"item-{item.key}")
            if raw and raw.isdigit() and int(raw) in queries.SCALE:
                scores[item.key] = int(raw)
        return render_template(
            "evaluation/form.html",
            participant=participant,
            event=participant.event,
            part=part,
            items=queries.items_of(participant.event, part.target),
            scores=scores,
            comment=request.form.get("comment", ""),
            scale_labels=queries.SCALE_LABELS,
            errors=error.fields,
            message=error.message,
        ), 422
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".portal", participant_id=participant.id))
    db.session.commit()
    flash(_("Terima kasih, penilaian Anda terkirim."), "success")
    return redirect(url_for(".portal", participant_id=participant.id))

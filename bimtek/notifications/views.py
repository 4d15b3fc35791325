"""Manager pages: the delivery log, announcements, test reminders, WhatsApp links.

Every page is for the event's managers (and admins) only: they show email addresses and
phone numbers, which panitia never see. Staff without a right in the event get 404.
"""

import sqlalchemy as sa
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
from flask_wtf import FlaskForm

from bimtek.assessments.models import Assessment
from bimtek.certificates.models import Certificate
from bimtek.core.pagination import page_number
from bimtek.core.web import nav_url, no_store, public_link
from bimtek.errors import InvalidInput, ServiceError
from bimtek.events.access import event_required, load_in_event
from bimtek.extensions import db
from bimtek.notifications import rounds, services
from bimtek.notifications.models import (
    AUDIENCES,
    CHANNELS,
    Announcement,
    Delivery,
    status_labels,
)
from bimtek.notifications.whatsapp import whatsapp_claim_link, whatsapp_link
from bimtek.participants import accounts
from bimtek.participants.models import Participant

bp = Blueprint("notifications", __name__)


@bp.app_template_global()
def delivery_status_labels() -> dict[str, str]:
    return status_labels()


ADMIN = "/kegiatan/<code>"


@bp.route(ADMIN + "/pengiriman")
@event_required("manager")
def deliveries(event):
    status = request.args.get("status", "")
    participant_id = request.args.get("peserta", type=int)
    query = services.delivery_query(event.id, status=status, participant_id=participant_id)
    page = db.paginate(
        query, page=page_number(request.args.get("hal")), per_page=50, error_out=False
    )
    return render_template(
        "notifications/deliveries.html",
        event=event,
        page=page,
        status=status,
        participant_id=participant_id,
        counts=services.delivery_counts(event.id),
        stuck=len(services.retryable(event.id)),
        form=FlaskForm(),
    )


@bp.route(ADMIN + "/pengiriman/ulang", methods=["POST"])
@event_required("manager")
def retry(event):
    if not FlaskForm().validate_on_submit():
        abort(400)
    delivery_id = request.form.get("delivery_id", type=int)
    if delivery_id:
        todo = [load_in_event(Delivery, delivery_id, event)]
    else:
        todo = services.retryable(event.id)
    count = services.retry(todo, actor=current_user)
    db.session.commit()
    flash(_("%(n)s pesan dikirim ulang.", n=count), "success")
    return redirect(url_for(".deliveries", code=event.code))


@bp.route(ADMIN + "/pengumuman", methods=["GET", "POST"])
@event_required("manager")
def announcements(event):
    form = FlaskForm()
    errors = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            announcement = services.announce(event, request.form, actor=current_user)
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            if announcement.by_email:
                flash(_("Pengumuman sedang dikirim lewat email."), "success")
            if announcement.by_whatsapp:  # straight on to sending it in turn
                return redirect(
                    url_for(
                        ".round_page",
                        code=event.code,
                        round_key=rounds.announcement_round(announcement),
                    )
                )
            return redirect(url_for(".announcements", code=event.code))

    assessments = db.session.scalars(
        sa.select(Assessment).where(Assessment.event_id == event.id).order_by(Assessment.kind)
    ).all()
    return render_template(
        "notifications/announcements.html",
        event=event,
        form=form,
        errors=errors,
        values=request.form,
        audiences=AUDIENCES,
        channels=CHANNELS,
        announcements=services.announcements_of(event.id),
        assessments=assessments,
    ), 422 if errors else 200


@bp.route(ADMIN + "/pengumuman/pengingat-tes", methods=["POST"])
@event_required("manager")
def remind_test(event):

    if not FlaskForm().validate_on_submit():
        abort(400)
    assessment = load_in_event(Assessment, request.form.get("assessment_id", type=int), event)
    channels = request.form.get("channels") or "email"
    if channels not in CHANNELS:
        channels = "email"
    if channels in ("email", "both"):
        count = services.remind_test(assessment, actor=current_user)
        db.session.commit()
        flash(_("Pengingat tes dikirim ke %(n)s peserta lewat email.", n=count), "success")
    if channels in ("whatsapp", "both"):
        return redirect(
            url_for(".round_page", code=event.code, round_key=rounds.test_round(assessment))
        )
    return redirect(url_for(".announcements", code=event.code))


@bp.route(ADMIN + "/pengumuman/<int:announcement_id>")
@event_required("manager")
def announcement(event, announcement_id):
    """How far one announcement reached: by email, on WhatsApp, and who by neither."""
    item = load_in_event(Announcement, announcement_id, event)
    reach = rounds.reach_of(event, item)
    return render_template(
        "notifications/announcement.html",
        event=event,
        announcement=item,
        reach=reach,
        unreached=[row for row in reach if not row.reached],
        round_key=rounds.announcement_round(item),
    )


@bp.route(ADMIN + "/whatsapp/giliran/<round_key>")
@event_required("manager")
def round_page(event, round_key):
    """Send in turn on a phone: the next person, one tap; the group message above."""
    round_ = rounds.find_round(event, round_key)
    if round_ is None:
        abort(404)
    progress = rounds.round_progress(event, round_)
    person = progress.next
    text = rounds.group_text(event, round_)
    page = render_template(
        "notifications/round.html",
        event=event,
        round=round_,
        progress=progress,
        person=person,
        person_text=rounds.person_text(round_, person) if person else "",
        chat_link=rounds.chat_link(round_, person) if person else "",
        last=progress.last,
        last_link=rounds.chat_link(round_, progress.last) if progress.last else "",
        group_text=text,
        share_link=rounds.share_link(text),
        form=FlaskForm(),
    )
    return no_store(page)


@bp.post(ADMIN + "/whatsapp/giliran/<round_key>")
@event_required("manager")
def take_turn(event, round_key):
    """Record the turn, then open WhatsApp with the person's number and message (or, for
    "lewati", come back to the round)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    round_ = rounds.find_round(event, round_key)
    if round_ is None:
        abort(404)
    back = url_for(".round_page", code=event.code, round_key=round_.key)
    state = request.form.get("state", "opened")
    try:
        person = rounds.take_turn(
            event, round_, request.form.get("participant_id"), state, actor=current_user
        )
    except ServiceError as error:
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error.to_dict()), error.status
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"participant_id": person.id, "state": state, "next": back})
    if state == "opened":
        return redirect(rounds.chat_link(round_, person), 303)
    return redirect(back)


@bp.route(ADMIN + "/whatsapp")
@event_required("manager")
def whatsapp(event):

    status = request.args.get("status", "registered")
    if status not in ("registered", "waitlisted", "certificate"):
        status = "registered"
    query = sa.select(Participant).where(Participant.event_id == event.id)
    if status == "certificate":  # those with a certificate in force: its download link
        query = query.where(
            Participant.id.in_(
                sa.select(Certificate.participant_id).where(
                    Certificate.event_id == event.id, Certificate.revoked_at.is_(None)
                )
            )
        )
    else:
        query = query.where(Participant.status == status)
    participants = db.session.scalars(query.order_by(Participant.registration_number)).all()
    purpose = "certificate" if status == "certificate" else "ticket"
    rows = [(p, whatsapp_link(p, purpose)) for p in participants]
    text = rounds.group_text(event)
    announcements = [a for a in services.announcements_of(event.id) if a.by_whatsapp]
    tests = db.session.scalars(
        sa.select(Assessment).where(Assessment.event_id == event.id).order_by(Assessment.kind)
    ).all()
    keys = ["tiket", "sertifikat"]
    keys += [rounds.announcement_round(a) for a in announcements]
    keys += [rounds.test_round(a) for a in tests]
    found = [rounds.find_round(event, key) for key in keys]
    return render_template(
        "notifications/whatsapp.html",
        event=event,
        rows=[row for row in rows if row[1]],
        without=[p for p, link in rows if not link],
        status=status,
        group_text=text,
        share_link=rounds.share_link(text),
        rounds=[(r, rounds.round_progress(event, r)) for r in found],
    )


@bp.route(ADMIN + "/peserta/<int:participant_id>/kode-aktivasi", methods=["POST"])
@event_required("manager")
def activation_code(event, participant_id):
    """Managers of the participant's event (and admins): a printable one-time code, once,
    with a WhatsApp link to send it (a page of notifications: it needs the WhatsApp link,
    and notifications sit above participants)."""
    participant = load_in_event(Participant, participant_id, event)
    issued, plain = accounts.issue_activation_code(participant, actor=current_user)
    db.session.commit()
    link = public_link(url_for("accounts.claim", kode=plain))
    whatsapp = whatsapp_claim_link(participant, link, plain, issued.expires_at)
    page = render_template(
        "participants/admin/activation_code.html",
        event=event,
        participant=participant,
        code=plain,
        link=link,
        claim_url=public_link(url_for("accounts.claim")),
        expires_at=issued.expires_at,
        whatsapp=whatsapp,
        back=nav_url("participants_admin.edit", code=event.code, participant_id=participant.id),
    )
    return no_store(page)

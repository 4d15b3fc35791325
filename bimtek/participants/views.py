"""Self-registration, the ticket, the participant portal, and the admin participant list."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from bimtek.auth.sessions import start_session
from bimtek.core.pagination import page_number
from bimtek.core.web import participant_required
from bimtek.errors import Conflict, InvalidInput
from bimtek.events.access import event_required, load_in_event
from bimtek.events.services import get_public_event, schedule_by_day
from bimtek.extensions import db, registration_limit
from bimtek.participants import accounts, cancellation, editing, queries, registration
from bimtek.participants.classes import own_sessions
from bimtek.participants.forms import AddParticipantForm, CancelForm, RegistrationForm
from bimtek.participants.models import Participant, category_labels
from bimtek.participants.pdf import ticket_pdf
from bimtek.participants.validation import REGISTRATION_FIELDS, clean_registration
from bimtek.participants.visibility import sees_personal_data

bp = Blueprint("participants", __name__)
admin_bp = Blueprint("participants_admin", __name__)


#: the session key holding a registration that waits for its NIK's owner to log in
PENDING = "pending_registration"


def _registering_account():
    """The logged-in participant, who registers themself; None for anyone else."""
    if current_user.is_authenticated and current_user.role == "participant":
        return current_user._get_current_object()
    return None


def _keep_pending(event, data) -> None:
    """Keep what was typed (never the password) to fill the form again after the login."""
    values = {field: str(data.get(field) or "")[:254] for field in REGISTRATION_FIELDS}
    nik = "".join(ch for ch in values.pop("nik", "") if ch.isdigit())
    session[PENDING] = {"event": event.code, "nik": nik, "values": values}


def _prefill(event, account) -> dict | None:
    """What to fill the form with: the registration typed before logging in (only for the
    account of the NIK typed: on a shared computer nobody else sees it), else the details of
    the person's latest registration."""
    pending = session.get(PENDING)
    if pending and pending.get("event") == event.code:
        if account is not None and pending.get("nik") == account.nik:
            return dict(pending.get("values") or {})
        if account is not None:
            session.pop(PENDING, None)
    latest = queries.registrations_of(account)[:1] if account else []
    if latest:
        return {field: getattr(latest[0], field) or "" for field in REGISTRATION_FIELDS}
    return None


@bp.route("/kegiatan/<code>/daftar", methods=["GET", "POST"])
@registration_limit
def register(code):
    event = get_public_event(code)
    account = _registering_account()
    prefill = _prefill(event, account) if request.method == "GET" else None
    form = RegistrationForm(data=prefill) if prefill else RegistrationForm()
    if account is not None:
        form.nik.data = account.nik
    errors = {}
    if form.validate_on_submit():
        data = request.form.to_dict()
        try:
            if account is None and data.get("password") != data.get("password_confirm"):
                _values, errors = clean_registration(data, password_required=True)
                errors["password_confirm"] = _("Konfirmasi kata sandi tidak sama.")
                if not form.consent.data:
                    errors["consent"] = _("Persetujuan pemrosesan data pribadi wajib diberikan.")
                raise InvalidInput(_("Periksa kembali isian yang ditandai."), fields=errors)
            outcome = registration.register(
                event,
                data,
                registration.RegistrationTerms(
                    password_required=account is None,
                    channel="public",
                    account=account,
                    consent=bool(form.consent.data),
                ),
            )
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        except registration.DuplicateNik as error:
            return _already_registered(event, error)
        except registration.AccountExists as error:
            if current_user.is_authenticated:  # staff: only the owner may register it
                raise
            _keep_pending(event, data)
            flash(error.message, "info")
            return redirect(url_for("auth.login", next=url_for(".register", code=event.code)))
        else:
            db.session.commit()
            session.pop(PENDING, None)
            participant = outcome.participant
            if not current_user.is_authenticated:  # a new account, created just now
                start_session(participant.user)
                db.session.commit()
            return redirect(url_for(".ticket", ticket_code=participant.ticket_code))
    state = event.registration_state()
    status = 422 if errors else 200
    return render_template(
        "participants/register.html",
        event=event,
        form=form,
        errors=errors,
        state=state,
        seats_left=queries.seats_left(event),
        account=account,
        retention_years=current_app.config["PERSONAL_DATA_RETENTION_YEARS"],
    ), status


def _already_registered(event, error):
    """The NIK is already in this event: not a dead end. The person's own registration
    (logged in) links to its ticket; anyone else is offered login, account activation and
    password recovery, which all ask for proof before showing anything."""
    own = None
    if current_user.is_authenticated and current_user.role == "participant":
        own = next(
            (p for p in queries.registrations_of(current_user) if p.event_id == event.id), None
        )
    return render_template(
        "participants/already_registered.html",
        event=event,
        message=error.message,
        own=own,
        next_url=url_for(".portal"),
    ), 409


def _participant_for_ticket(ticket_code: str) -> Participant:
    participant = queries.find_by_ticket(ticket_code)
    if participant is None:
        abort(404)
    return participant


@bp.route("/tiket/<ticket_code>")
def ticket(ticket_code):
    participant = _participant_for_ticket(ticket_code)
    return render_template(
        "participants/ticket.html",
        participant=participant,
        event=participant.event,
        position=queries.waitlist_position(participant),
        schedule=schedule_by_day(participant.event, own_sessions(participant)),
    )


@bp.route("/tiket/<ticket_code>.pdf")
def ticket_download(ticket_code):
    participant = _participant_for_ticket(ticket_code)
    if participant.status == "cancelled":
        abort(404)
    return send_file(
        ticket_pdf(participant),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"tiket-{participant.registration_label}.pdf",
    )


@bp.route("/portal")
@participant_required
def portal():
    """The person's registrations, and the personal data held about them (to them only)."""
    registrations = queries.registrations_of(current_user)
    response = make_response(
        render_template(
            "participants/portal.html",
            registrations=registrations,
            positions={p.id: queries.waitlist_position(p) for p in registrations},
            cancellable={p.id: cancellation.may_cancel_own(p) for p in registrations},
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/portal/<int:participant_id>/jadwal")
@participant_required
def schedule(participant_id):
    participant = queries.own_participant(participant_id, current_user)
    return render_template(
        "participants/schedule.html",
        event=participant.event,
        participant=participant,
        schedule=schedule_by_day(participant.event, own_sessions(participant)),
    )


@admin_bp.route("/kegiatan/<code>/peserta")
@event_required("panitia")
def index(event):
    """The participant list: managers edit from it, the desk's panitia look people up (without
    their personal data, see ``participants.visibility``)."""
    search = request.args.get("q", "")
    category = request.args.get("kategori", "")
    status = request.args.get("status", "")
    sort = request.args.get("urut", "number")
    personal = sees_personal_data(current_user, event)
    query = queries.participant_query(
        event.id, search=search, category=category, status=status, sort=sort, personal=personal
    )
    page = db.paginate(
        query,
        page=page_number(request.args.get("hal")),
        per_page=current_app.config["PARTICIPANTS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "participants/admin/index.html",
        event=event,
        page=page,
        search=search,
        category=category,
        status=status,
        sort=sort,
        personal=personal,
        categories=category_labels(),
        counts=queries.status_counts(event.id),
    )


@admin_bp.route("/kegiatan/<code>/peserta/<int:participant_id>", methods=["GET", "POST"])
@event_required("manager")
def edit(event, participant_id):
    participant = load_in_event(Participant, participant_id, event)
    form = RegistrationForm(obj=participant)
    errors = {}
    if form.validate_on_submit():
        try:
            editing.update_participant(participant, request.form, actor=current_user)
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Data peserta disimpan."), "success")
            return redirect(url_for(".index", code=event.code))
    return render_template(
        "participants/admin/edit.html",
        event=participant.event,
        participant=participant,
        form=form,
        errors=errors,
        cancel_form=CancelForm(),
        position=queries.waitlist_position(participant),
        may_hand_out=participant.user is not None
        and accounts.may_hand_out_proof(current_user, participant.user),
    ), 422 if errors else 200


@admin_bp.route("/kegiatan/<code>/peserta/baru", methods=["GET", "POST"])
@event_required("manager")
def add(event):
    """Tambah peserta: the registration form's rules, by a manager, window or not."""
    form = AddParticipantForm()
    errors = {}
    full = queries.seats_left(event) == 0
    if form.validate_on_submit():
        try:
            outcome = registration.register(
                event,
                request.form.to_dict(),
                registration.RegistrationTerms(
                    channel="admin",
                    actor=current_user,
                    enforce_window=False,
                    over_capacity_reason=form.over_capacity_reason.data or "",
                ),
            )
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        except registration.DuplicateNik as error:
            errors = {"nik": error.message}
            flash(error.message, "error")
        else:
            db.session.commit()
            person = outcome.participant
            if outcome.waitlist_position:
                flash(
                    _(
                        "%(name)s ditambahkan ke daftar tunggu (antrean ke-%(n)s).",
                        name=person.full_name,
                        n=outcome.waitlist_position,
                    ),
                    "info",
                )
            else:
                flash(_("%(name)s ditambahkan sebagai peserta.", name=person.full_name), "success")
            return redirect(url_for(".edit", code=event.code, participant_id=person.id))
    return render_template(
        "participants/admin/add.html",
        event=event,
        form=form,
        errors=errors,
        full=full,
        seats_left=queries.seats_left(event),
    ), 422 if errors else 200


@admin_bp.route("/kegiatan/<code>/peserta/<int:participant_id>/batal", methods=["GET", "POST"])
@event_required("manager")
def cancel(event, participant_id):
    """Cancel a registration: a confirmation page with the reason, then the POST."""
    participant = load_in_event(Participant, participant_id, event)
    form = CancelForm()
    errors, status = {}, 200
    if participant.status != "cancelled" and form.validate_on_submit():
        try:
            promoted = cancellation.cancel(
                participant,
                actor=current_user,
                reason=form.reason.data or "",
                reason_required=True,
            )
        except (InvalidInput, Conflict) as error:
            db.session.rollback()
            errors, status = error.fields, error.status
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Pendaftaran %(name)s dibatalkan.", name=participant.full_name), "success")
            if promoted:
                flash(
                    _("%(name)s naik dari daftar tunggu menjadi peserta.", name=promoted.full_name),
                    "info",
                )
            return redirect(url_for(".edit", code=event.code, participant_id=participant.id))
    elif request.method == "POST" and participant.status != "cancelled":
        abort(400)
    return render_template(
        "participants/admin/cancel.html",
        event=event,
        participant=participant,
        form=form,
        errors=errors,
        holds=cancellation.holds(participant) if participant.status != "cancelled" else [],
        waiting=queries.status_counts(event.id)["waitlisted"],
    ), status


@admin_bp.route("/kegiatan/<code>/peserta/<int:participant_id>/aktifkan", methods=["POST"])
@event_required("manager")
def reactivate(event, participant_id):
    """Give a cancelled registration back (a seat if free, else the end of the waitlist)."""
    participant = load_in_event(Participant, participant_id, event)
    form = CancelForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        cancellation.reactivate(participant, actor=current_user, reason=form.reason.data or "")
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if participant.status == "registered":
            flash(_("%(name)s aktif kembali dan mendapat kursi.", name=participant.full_name))
        else:
            flash(
                _(
                    "%(name)s aktif kembali di akhir daftar tunggu (antrean ke-%(n)s).",
                    name=participant.full_name,
                    n=queries.waitlist_position(participant),
                ),
                "info",
            )
    return redirect(url_for(".edit", code=event.code, participant_id=participant.id))


@bp.route("/portal/<int:participant_id>/batal", methods=["GET", "POST"])
@participant_required
def cancel_own(participant_id):
    """A participant cancels their own registration, after a confirmation (reason optional).

    Someone else's registration is a 404, as everywhere in the portal.
    """
    participant = queries.own_participant(participant_id, current_user)
    form = CancelForm()
    errors = {}
    if participant.status != "cancelled" and form.validate_on_submit():
        try:
            cancellation.cancel_own(participant, actor=current_user, reason=form.reason.data or "")
        except (InvalidInput, Conflict) as error:
            db.session.rollback()
            errors = getattr(error, "fields", None) or {}
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Pendaftaran Anda dibatalkan."), "success")
            return redirect(url_for(".portal"))
    elif request.method == "POST" and participant.status != "cancelled":
        abort(400)
    response = make_response(
        render_template(
            "participants/cancel_own.html",
            participant=participant,
            event=participant.event,
            form=form,
            errors=errors,
            refusal=cancellation.own_cancel_refusal(participant)
            if participant.status != "cancelled"
            else None,
        ),
        422 if errors else 200,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

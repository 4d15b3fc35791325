"""Pages for getting into a participant account: account claim, password recovery, and the
manager's one-time activation code. The rules are in participants/accounts.py."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.auth.sessions import start_session
from bimtek.core.web import no_store, public_link, safe_next
from bimtek.errors import InvalidInput
from bimtek.events.access import event_required, load_in_event
from bimtek.extensions import db, limiter
from bimtek.participants import accounts
from bimtek.participants.forms import HandBackForm
from bimtek.participants.models import Participant

bp = Blueprint("accounts", __name__)
admin_bp = Blueprint("participant_accounts_admin", __name__)


def _recovery_limit():
    return current_app.config["RATELIMIT_ACCOUNT_RECOVERY"]


def _refused(response) -> bool:
    """A claim or recovery that did not log anyone in (it redirects when it does)."""
    return response.status_code != 302


#: refused claims and recoveries per address, both pages together; a right proof is free,
#: so a venue's Wi-Fi where hundreds claim their accounts is never stopped by its own success
recovery_limit = limiter.shared_limit(
    _recovery_limit, scope="account_recovery", methods=["POST"], deduct_when=_refused
)


def _proof_page(kind: str):
    """Claim and recovery: one form (NIK, code, new password), two wordings."""
    next_url = safe_next(request.args.get("next"))
    values = {
        "nik": request.form.get("nik", ""),
        "code": request.form.get("code", request.args.get("kode", "")),
    }
    errors, status = {}, 200
    if request.method == "POST":
        try:
            user = accounts.recover_account(
                request.form.get("nik", ""),
                request.form.get("code", ""),
                request.form.get("password", ""),
                request.form.get("confirm", ""),
                address=request.remote_addr or "",
            )
        except InvalidInput as error:
            errors, status = error.fields or {"code": error.message}, error.status
        except accounts.TooManyAttempts as error:
            errors, status = {"code": error.message}, error.status
        else:
            start_session(user)
            db.session.commit()
            return redirect(next_url or url_for("participants.portal"))
    page = render_template(
        "participants/account_proof.html",
        kind=kind,
        values=values,
        errors=errors,
        next_url=next_url,
    )
    return no_store(page), status


@bp.route("/akun/aktivasi", methods=["GET", "POST"])
@recovery_limit
def claim():
    """Anyone; answers the same whether the NIK exists. Refused POSTs limited per address,
    wrong ones per code tried."""
    return _proof_page("claim")


@bp.route("/akun/lupa-kata-sandi", methods=["GET", "POST"])
@recovery_limit
def recover():
    """Anyone; as ``claim``."""
    return _proof_page("recover")


@bp.route("/akun/kirim-tautan", methods=["POST"])
@limiter.limit(_recovery_limit)
def send_link():
    """Anyone: a one-time link to the email on file for a NIK (or address). The page is the
    same whether or not the NIK exists or has an address; limited per address (here) and
    per account (``accounts.request_link``)."""
    kind = "recover" if request.form.get("kind") == "recover" else "claim"
    accounts.request_link(request.form.get("identifier", ""), address=request.remote_addr or "")
    db.session.commit()
    page = render_template(
        "participants/account_link_sent.html",
        kind=kind,
        next_url=safe_next(request.args.get("next")),
    )
    return no_store(page)


@admin_bp.route(
    "/kegiatan/<code>/peserta/<int:participant_id>/kode-aktivasi/email", methods=["POST"]
)
@event_required("manager")
def activation_email(event, participant_id):
    """Managers of the participant's event (and admins): mail a one-time link (a new code,
    made when the message is written) to the participant's address."""
    participant = load_in_event(Participant, participant_id, event)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        accounts.send_link_by_manager(participant, actor=current_user)
    except InvalidInput as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _(
                "Tautan aktivasi dikirim ke alamat email peserta. Kode aktivasi yang sudah "
                "dicetak tetap berlaku sampai salah satunya dipakai."
            ),
            "success",
        )
    return redirect(
        url_for("participants_admin.edit", code=event.code, participant_id=participant.id)
    )


@admin_bp.route(
    "/kegiatan/<code>/peserta/<int:participant_id>/serahkan-akun", methods=["GET", "POST"]
)
@event_required("manager")
def hand_back(event, participant_id):
    """Give an account back to the owner of its NIK, after checking their KTP in person:
    sessions end, the password is cleared, and a new activation code is shown once. From an
    administrator or a manager of every event the account holds (403 otherwise)."""
    participant = load_in_event(Participant, participant_id, event)
    if participant.user is None:
        abort(404)
    accounts.check_may_hand_out(current_user, participant.user)
    form = HandBackForm()
    errors, status = {}, 200
    if form.validate_on_submit():
        try:
            issued, plain = accounts.hand_back_account(
                participant,
                actor=current_user,
                reason=form.reason.data,
                ktp_checked=form.ktp_checked.data,
            )
        except InvalidInput as error:
            errors, status = error.fields, error.status
        else:
            db.session.commit()
            page = render_template(
                "participants/admin/activation_code.html",
                event=event,
                participant=participant,
                code=plain,
                link=public_link(url_for("accounts.claim", kode=plain)),
                claim_url=public_link(url_for("accounts.claim")),
                expires_at=issued.expires_at,
                whatsapp=None,
                back=url_for(
                    "participants_admin.edit", code=event.code, participant_id=participant.id
                ),
            )
            return no_store(page)
    page = render_template(
        "participants/admin/hand_back.html",
        event=event,
        participant=participant,
        form=form,
        errors=errors,
        reason_max=accounts.REASON_MAX,
    )
    return no_store(page), status

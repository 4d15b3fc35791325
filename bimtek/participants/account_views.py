"""Pages for getting into a participant account: account claim, password recovery, and the
manager's one-time activation code. The rules are in participants/accounts.py."""

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from bimtek.auth.views import _safe_next, start_session
from bimtek.core.web import nav_url
from bimtek.errors import InvalidInput
from bimtek.events.access import event_required, load_in_event
from bimtek.extensions import db, limiter
from bimtek.participants import accounts
from bimtek.participants.models import Participant

bp = Blueprint("accounts", __name__)
admin_bp = Blueprint("participant_accounts_admin", __name__)


def _recovery_limit():
    return current_app.config["RATELIMIT_ACCOUNT_RECOVERY"]


def _no_store(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _proof_page(kind: str):
    """Claim and recovery: one form (NIK, code, new password), two wordings."""
    next_url = _safe_next(request.args.get("next"))
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
    return _no_store(page), status


@bp.route("/akun/aktivasi", methods=["GET", "POST"])
@limiter.limit(_recovery_limit, methods=["POST"])
def claim():
    """Anyone; answers the same whether the NIK exists. POST limited per address and NIK."""
    return _proof_page("claim")


@bp.route("/akun/lupa-kata-sandi", methods=["GET", "POST"])
@limiter.limit(_recovery_limit, methods=["POST"])
def recover():
    """Anyone; as ``claim``."""
    return _proof_page("recover")


@admin_bp.route("/kegiatan/<code>/peserta/<int:participant_id>/kode-aktivasi", methods=["POST"])
@event_required("manager")
def activation_code(event, participant_id):
    """Managers of the participant's event (and admins): a printable one-time code, once."""
    participant = load_in_event(Participant, participant_id, event)
    issued, plain = accounts.issue_activation_code(participant, actor=current_user)
    db.session.commit()
    link = _public_url(url_for("accounts.claim", kode=plain))
    page = render_template(
        "participants/admin/activation_code.html",
        event=event,
        participant=participant,
        code=plain,
        link=link,
        claim_url=_public_url(url_for("accounts.claim")),
        expires_at=issued.expires_at,
        back=nav_url("participants_admin.edit", code=event.code, participant_id=participant.id),
    )
    return _no_store(page)


def _public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + path

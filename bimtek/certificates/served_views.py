"""Pages of the certificates of those who served (manager of the event): choose who,
preview, issue, mail again; the roles' texts. Downloads and revoking are the participants' routes
(``certificates.admin_download``, ``certificates.revoke``): a certificate is a certificate."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.certificates import printing, served, served_issuing
from bimtek.certificates.models import SERVED_ROLES, Certificate
from bimtek.certificates.queries import served_counts
from bimtek.certificates.views import _pdf_response
from bimtek.core.web import public_base_url, staff_required
from bimtek.errors import NotFound, ServiceError
from bimtek.events.access import event_required, load_in_event
from bimtek.extensions import db

bp = Blueprint("served_certificates", __name__)

ADMIN = "/admin/kegiatan/<code>/sertifikat/bertugas"


@bp.route(ADMIN)
@event_required("manager")
def index(event):
    return render_template(
        "certificates/served.html",
        event=event,
        form=FlaskForm(),
        roles=SERVED_ROLES,
        people={role: served.served_people(event, role) for role in SERVED_ROLES},
        texts=served.all_role_settings(event),
        patterns={role: served.number_pattern(event, role) for role in SERVED_ROLES},
        counts=served_counts(event),
    )


@bp.post(ADMIN + "/<role>/terbitkan")
@event_required("manager")
def issue(event, role):
    if role not in SERVED_ROLES:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        outcome = served_issuing.issue_served(
            event, role, request.form.getlist("orang"), actor=current_user
        )
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".index", code=event.code))
    db.session.commit()
    if outcome.issued:
        flash(
            _(
                "%(n)s sertifikat diterbitkan (%(first)s s.d. %(last)s).",
                n=len(outcome.issued),
                first=outcome.issued[0].number,
                last=outcome.issued[-1].number,
            ),
            "success",
        )
    else:
        flash(_("Tidak ada sertifikat baru: yang dipilih sudah menerima."), "info")
    return redirect(url_for(".index", code=event.code))


@bp.post(ADMIN + "/<int:certificate_id>/kirim-ulang")
@event_required("manager")
def resend(event, certificate_id):
    """Mail a served certificate again, to the address on file now ("Kirim ulang")."""
    certificate = load_in_event(Certificate, certificate_id, event)
    if certificate.role not in SERVED_ROLES:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        address = served_issuing.send_served_again(certificate, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _(
                "Sertifikat %(number)s sedang dikirim ulang ke %(address)s.",
                number=certificate.number,
                address=address,
            ),
            "success",
        )
    return redirect(url_for(".index", code=event.code) + f"#{certificate.role}")


@bp.route(ADMIN + "/<role>/contoh.pdf")
@event_required("manager")
def preview(event, role):
    """One person's certificate as it will be, before issuing (not signed, not numbered)."""
    if role not in SERVED_ROLES:
        abort(404)
    key = request.args.get("orang", "")
    person = next((p for p in served.served_people(event, role) if p.key == key), None)
    if person is None:
        raise NotFound(_("Nama tidak tercatat bertugas pada kegiatan ini."), code="unknown_person")
    return _pdf_response(
        served.preview_pdf(event, role, person, public_base_url()),
        f"contoh-sertifikat-{role}-{event.code}.pdf",
        inline=True,
    )


@bp.post(ADMIN + "/teks")
@event_required("manager")
def texts(event):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        served_issuing.update_served_texts(event, request.form, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Teks sertifikat narasumber, moderator, dan panitia disimpan."), "success")
    return redirect(url_for("certificates.settings", code=event.code) + "#bertugas")


# --- a staff account's own certificates (a panitia member with an account) -------------------

OWN = "/akun/bertugas"


@bp.route(OWN)
@staff_required
def own_index():
    return render_template(
        "certificates/own_served.html", certificates=served.own_served_certificates(current_user)
    )


@bp.route(OWN + "/<int:certificate_id>.pdf")
@staff_required
def own_download(certificate_id):
    """The signed file as issued, for the one it names; anyone else's is a 404."""
    certificate = served.own_served_certificate(current_user, certificate_id)
    return _pdf_response(
        printing.issued_pdf(certificate, public_base_url()),
        printing.certificate_filename(certificate),
    )

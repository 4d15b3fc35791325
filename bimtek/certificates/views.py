"""Certificates: admin pages (rules, design, issuing, downloads), the participant's own
certificate, and the public verification page."""

import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from bimtek.certificates import (
    configuration,
    issuing,
    numbering,
    printing,
    queries,
    rules,
    runs,
    served,
    signing,
    signing_keys,
    verification,
    withdrawal,
)
from bimtek.certificates.models import SERVED_ROLES, IssueRun
from bimtek.core.web import participant_required, public_base_url
from bimtek.errors import InvalidInput, ServiceError
from bimtek.evaluation.queries import certificate_blocked
from bimtek.events.access import event_required, load_in_event
from bimtek.extensions import db, verify_limit, verify_upload_limit
from bimtek.participants.models import Participant
from bimtek.participants.queries import own_participant

bp = Blueprint("certificates", __name__)

ADMIN = "/admin/kegiatan/<code>/sertifikat"


@bp.context_processor
def signing_key():
    """Who signs this install's certificates (and whether it is the demo key), for pages."""
    return {
        "certificate_signer": signing.signer_facts,
        "certificate_signed_by": verification.signed_by,
        "printed_issue_date": queries.printed_issue_date,
    }


def _pdf_response(data: bytes, filename: str, *, inline: bool = False) -> Response:
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=not inline,
        download_name=filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- admin ----------------------------------------------------------------------------------

FILTERS = ("semua", "layak", "belum", "terbit")


@bp.route(ADMIN)
@event_required("manager")
def admin_index(event):
    verdicts = rules.eligibility(event)
    shown = request.args.get("tampil", "semua")
    if shown not in FILTERS:
        shown = "semua"
    issued = queries.certificate_counts(event)
    counts = {
        "semua": len(verdicts),
        "layak": sum(1 for v in verdicts if v.eligible and v.certificate is None),
        "belum": sum(1 for v in verdicts if not v.eligible and v.certificate is None),
        "terbit": issued.in_force,
    }
    if shown == "layak":
        verdicts = [v for v in verdicts if v.eligible and v.certificate is None]
    elif shown == "belum":
        verdicts = [v for v in verdicts if not v.eligible and v.certificate is None]
    elif shown == "terbit":
        verdicts = [v for v in verdicts if v.certificate is not None]
    revoked = [
        c
        for role in ("participant", *SERVED_ROLES)
        for c in queries.issued_certificates(
            event, include_revoked=True, with_people=True, role=role
        )
        if c.revoked_at
    ]
    running = runs.busy_run(event)
    return render_template(
        "certificates/admin_index.html",
        event=event,
        running=running,
        running_counts=runs.run_counts(running) if running else None,
        settings=queries.get_settings(event),
        verdicts=verdicts,
        counts=counts,
        issued=issued,
        shown=shown,
        revoked=revoked,
        served=queries.served_counts(event),
        format_score=rules.format_score,
    )


@bp.get(ADMIN + "/terbitkan")
@event_required("manager")
def confirm_issue_all(event):
    """Before issuing all: how many, the first and last number, and what still stops it; while
    a run is under way, its progress instead."""
    running = runs.busy_run(event)
    if running is not None:
        return redirect(url_for(".issue_run", code=event.code, run_id=running.id))
    return render_template(
        "certificates/confirm_issue.html", event=event, preview=rules.preview_issue_all(event)
    )


@bp.post(ADMIN + "/terbitkan")
@event_required("manager")
def issue_all(event):
    """Record the run and queue its job; the progress page follows (a run under way is
    joined, not doubled)."""
    if request.form.get("confirm") != "1":
        return redirect(url_for(".confirm_issue_all", code=event.code))
    try:
        run, started = runs.start_run(event, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".admin_index", code=event.code))
    db.session.commit()
    if run is None:
        flash(_("Tidak ada sertifikat baru: semua yang memenuhi syarat sudah menerima."), "info")
        return redirect(url_for(".admin_index", code=event.code))
    if not started:
        flash(_("Penerbitan sertifikat sedang berjalan; berikut kemajuannya."), "info")
    return redirect(url_for(".issue_run", code=event.code, run_id=run.id))


@bp.get(ADMIN + "/terbitkan/<int:run_id>")
@event_required("manager")
def issue_run(event, run_id):
    """A run's progress: counts, who was issued (name, number) and who not (why). JSON for
    the page's script, with the lines past ``setelah`` (a position)."""
    run = load_in_event(IssueRun, run_id, event)
    counts = runs.run_counts(run)
    if request.accept_mimetypes.best == "application/json":
        after = request.args.get("setelah", -1, type=int)
        return {
            "status": run.status,
            "stalled": runs.stalled(run),
            "error": run.error,
            "total": counts.total,
            "done": counts.done,
            "issued": counts.issued,
            "already": counts.already,
            "failed": counts.failed,
            "percent": counts.percent,
            "lines": [
                {
                    "position": line.position,
                    "name": line.name,
                    "status": line.status,
                    "number": line.number,
                    "reason": line.reason,
                }
                for line in runs.run_lines(run, after=after)
            ],
        }
    return render_template(
        "certificates/issue_run.html",
        event=event,
        run=run,
        counts=counts,
        lines=runs.run_lines(run),
        stalled=runs.stalled(run),
    )


@bp.post(ADMIN + "/peserta/<int:participant_id>/terbitkan")
@event_required("manager")
def issue_one(event, participant_id):
    participant = load_in_event(Participant, participant_id, event)
    try:
        certificate = issuing.issue(participant, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Sertifikat %(number)s diterbitkan.", number=certificate.number), "success")
    return redirect(url_for(".admin_index", code=event.code, tampil=request.args.get("tampil")))


@bp.post(ADMIN + "/<int:certificate_id>/cabut")
@event_required("manager")
def revoke(event, certificate_id):
    certificate = queries.get_certificate(event, certificate_id)
    try:
        issuing.revoke(certificate, request.form.get("reason", ""), actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Sertifikat %(number)s dicabut.", number=certificate.number), "success")
    if certificate.role != "participant":
        return redirect(url_for("served_certificates.index", code=event.code))
    return redirect(url_for(".admin_index", code=event.code))


@bp.route(ADMIN + "/peserta/<int:participant_id>/batal", methods=["GET", "POST"])
@event_required("manager")
def cancel_holder(event, participant_id):
    """Cancel a participant and revoke their certificate in force: a confirmation page naming
    the certificate, then the POST with the reason."""
    participant = load_in_event(Participant, participant_id, event)
    certificate = queries.active_certificate(participant)
    errors = {}
    if request.method == "POST" and participant.status != "cancelled":
        try:
            withdrawal.cancel_holder(
                participant, request.form.get("reason", ""), actor=current_user
            )
        except ServiceError as error:
            db.session.rollback()
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            if certificate is not None:
                flash(
                    _(
                        "Pendaftaran %(name)s dibatalkan dan sertifikat %(number)s dicabut.",
                        name=participant.full_name,
                        number=certificate.number,
                    ),
                    "success",
                )
            else:
                flash(_("Pendaftaran %(name)s dibatalkan.", name=participant.full_name), "success")
            return redirect(url_for(".admin_index", code=event.code))
    return render_template(
        "certificates/cancel_holder.html",
        event=event,
        participant=participant,
        certificate=certificate,
        errors=errors,
        reason=request.form.get("reason", ""),
    ), 422 if errors else 200


@bp.route(ADMIN + "/<int:certificate_id>.pdf")
@event_required("manager")
def admin_download(event, certificate_id):
    certificate = queries.get_certificate(event, certificate_id)
    data = printing.issued_pdf(certificate, public_base_url())
    return _pdf_response(data, printing.certificate_filename(certificate))


@bp.route(ADMIN + "/contoh.pdf")
@event_required("manager")
def preview(event):
    return _pdf_response(
        printing.sample_pdf(event, public_base_url()),
        f"contoh-sertifikat-{event.code}.pdf",
        inline=True,
    )


# --- admin: settings ------------------------------------------------------------------------


@bp.route(ADMIN + "/pengaturan", methods=["GET", "POST"])
@event_required("manager")
def settings(event):
    current = queries.get_settings(event)
    errors, form = {}, None
    if request.method == "POST":
        try:
            configuration.update_settings(event, request.form, actor=current_user)
        except InvalidInput as error:
            db.session.rollback()
            errors, form = error.fields, request.form
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Pengaturan sertifikat disimpan."), "success")
            return redirect(url_for(".settings", code=event.code))
    current = queries.get_settings(event)
    return render_template(
        "certificates/settings.html",
        event=event,
        settings=current,
        form=form,
        errors=errors,
        served_texts=served.all_role_settings(event),
        max_signatories=configuration.MAX_SIGNATORIES,
        format_score=rules.format_score,
        signing_key=signing_keys.get_event_key(event),
    ), 422 if errors else 200


def _upload(name: str) -> bytes | None:
    storage = request.files.get(name)
    if storage is None or not storage.filename:
        return None
    return storage.read(configuration.MAX_IMAGE_BYTES + 1)


@bp.post(ADMIN + "/pengaturan/gambar/<slot>")
@event_required("manager")
def upload_image(event, slot):
    try:
        if request.form.get("remove"):
            configuration.set_image(event, slot, None, actor=current_user)
        else:
            raw = _upload("image")
            if raw is None:
                raise InvalidInput(_("Pilih berkas gambar PNG atau JPG terlebih dahulu."))
            configuration.set_image(event, slot, raw, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Gambar disimpan."), "success")
    return redirect(url_for(".settings", code=event.code) + "#gambar")


@bp.post(ADMIN + "/pengaturan/kunci")
@event_required("manager")
def event_key(event):
    """Upload the event's own signing key (PKCS#12 and its passphrase)."""
    storage = request.files.get("key_file")
    data = storage.read(signing_keys.MAX_KEY_BYTES + 1) if storage and storage.filename else None
    try:
        signing_keys.set_event_key(
            event, data, request.form.get("passphrase", ""), actor=current_user
        )
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Kunci penanda tangan kegiatan disimpan."), "success")
    return redirect(url_for(".settings", code=event.code) + "#kunci")


@bp.post(ADMIN + "/pengaturan/kunci/hapus")
@event_required("manager")
def event_key_remove(event):
    if signing_keys.remove_event_key(event, actor=current_user):
        db.session.commit()
        flash(
            _("Kunci kegiatan dihapus; sertifikat berikutnya memakai kunci instalasi."),
            "success",
        )
    return redirect(url_for(".settings", code=event.code) + "#kunci")


@bp.route(ADMIN + "/pengaturan/gambar/<slot>")
@event_required("manager")
def image(event, slot):
    settings = queries.get_settings(event)
    if slot in configuration.IMAGE_SLOTS:
        data, mime = getattr(settings, slot), getattr(settings, f"{slot}_type")
    elif slot.startswith("ttd-"):
        signatory = queries.get_signatory(event, slot.removeprefix("ttd-"))
        data, mime = signatory.signature, signatory.signature_type
    else:
        abort(404)
    if not data:
        abort(404)
    return Response(data, mimetype=mime, headers={"Cache-Control": "private, no-store"})


@bp.post(ADMIN + "/pengaturan/penanda-tangan")
@bp.post(ADMIN + "/pengaturan/penanda-tangan/<int:signatory_id>")
@event_required("manager")
def save_signatory(event, signatory_id=None):
    try:
        signatory = queries.get_signatory(event, signatory_id) if signatory_id else None
        if request.form.get("delete") and signatory is not None:
            configuration.delete_signatory(signatory, actor=current_user)
            message = _("Penanda tangan dihapus.")
        else:
            configuration.save_signatory(
                event,
                request.form,
                signature=_upload("signature"),
                signatory=signatory,
                actor=current_user,
            )
            message = _("Penanda tangan disimpan.")
    except ServiceError as error:
        db.session.rollback()
        detail = "; ".join(error.fields.values()) if error.fields else ""
        flash(f"{error.message} {detail}".strip(), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".settings", code=event.code) + "#penanda-tangan")


# --- participant ----------------------------------------------------------------------------


@bp.route("/portal/peserta/<int:participant_id>/sertifikat")
@participant_required
def mine(participant_id):
    participant = own_participant(participant_id, current_user)
    verdict = rules.eligibility_for(participant)
    history = queries.certificates_of(participant)
    return render_template(
        "certificates/mine.html",
        participant=participant,
        event=participant.event,
        verdict=verdict,
        certificate=verdict.certificate,
        revoked=[c for c in history if c.revoked_at],
        format_score=rules.format_score,
    )


@bp.route("/portal/peserta/<int:participant_id>/sertifikat.pdf")
@participant_required
def mine_download(participant_id):
    participant = own_participant(participant_id, current_user)
    if certificate_blocked(participant):
        flash(_("Lengkapi evaluasi kegiatan terlebih dahulu untuk mengunduh sertifikat."), "info")
        return redirect(url_for("evaluation.portal", participant_id=participant.id))
    certificate = queries.active_certificate(participant)
    if certificate is None:
        abort(404)
    data = printing.issued_pdf(certificate, public_base_url())
    return _pdf_response(data, printing.certificate_filename(certificate))


# --- public ---------------------------------------------------------------------------------


@bp.route("/verify/<code>")
@verify_limit
def verify(code):
    try:
        certificate = queries.get_by_code(code)
    except queries.UnknownCertificate as error:
        return render_template(
            "certificates/verify.html", certificate=None, message=error.message, code=code
        ), 404
    return _verified(certificate)


@bp.route("/verify", methods=["GET"])
@verify_limit
def verify_form():
    """The form; with ``kode`` (a verification code or a certificate number) the answer.

    A code goes on to /verify/<code>; a number is answered here, without revealing the
    certificate's code or the full name (the number is printed for all to see and runs in
    sequence, the code is not): the name masked, the event, the dates and the status."""
    typed = (request.args.get("kode") or "").strip()[:200]
    if not typed:
        return render_template("certificates/verify.html", certificate=None, message=None, code="")
    code = queries.normalise_lookup(typed)
    if numbering.CODE_PATTERN.match(code):
        return redirect(url_for(".verify", code=code))
    try:
        certificate = queries.find_for_verification(typed)
    except queries.UnknownCertificate as error:
        return render_template(
            "certificates/verify.html", certificate=None, message=error.message, code=typed
        ), 404
    return _verified(certificate, full_name=False)


def _verified(certificate, *, full_name: bool = True):
    response = Response(
        render_template(
            "certificates/verify.html",
            certificate=certificate,
            facts=queries.verification_facts(certificate, full_name=full_name),
            full_name=full_name,
        )
    )
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/verify")
@verify_upload_limit
def verify_upload():
    """Public: is this PDF file a certificate we issued, unchanged? The file is not kept."""
    error, verdict = None, None
    try:
        verdict = verification.verify_document(
            verification.uploaded_pdf(), seconds=verification.time_budget(current_app.config)
        )
    except InvalidInput as refused:
        error = refused
    response = Response(
        render_template(
            "certificates/verify.html",
            certificate=None,
            message=None,
            code="",
            verdict=verdict,
            result=verification.verdict_json(verdict, public_base_url()) if verdict else None,
            upload_error=error.message if error else None,
        ),
        status=error.status if error else 200,
    )
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-store"
    return response

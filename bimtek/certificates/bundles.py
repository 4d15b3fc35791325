"""Certificate bundles built by a job: all certificates as a ZIP, or one merged PDF.

400 certificates take seconds to draw; a request should not wait for them. The manager
asks for a bundle (POST), a job builds it under ``instance/prepared/`` with its progress in
``PreparedFile``, the page shows a progress bar and then the file, kept for
PREPARED_FILE_HOURS. Asking again while nothing changed gives the same file: the bundle's
fingerprint is the list of certificates in force and the design's last change, and a
retried job finds the file ready and builds nothing.
"""

import hashlib
import io
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import (
    Blueprint,
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
from flask_wtf import FlaskForm

from bimtek.audit.services import record
from bimtek.certificates import pdf, services
from bimtek.certificates.models import Certificate
from bimtek.core.timeutil import utcnow
from bimtek.events.access import event_required, load_in_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.jobs import enqueue_on_commit, job
from bimtek.jobs.models import PreparedFile

#: bundle name in the URL -> (PreparedFile.kind, mimetype, file suffix)
BUNDLES = {
    "zip": ("certificates_zip", "application/zip", "zip"),
    "pdf": ("certificates_pdf", "application/pdf", "pdf"),
}
#: certificates drawn per step of the ZIP (one progress update each)
CHUNK = 50
#: a bundle still queued or running after this is taken for lost (its process died)
STALE = timedelta(minutes=15)

bp = Blueprint("certificate_bundles", __name__)
ADMIN = "/kegiatan/<code>/sertifikat/berkas"


def prepared_folder() -> Path:
    folder = Path(current_app.instance_path) / "prepared"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fingerprint(event) -> tuple[str, int]:
    """What the bundle is made of: the certificates in force and the design's version.

    Creates the event's certificate settings if missing (as drawing would): call on POST.
    """
    ids = db.session.scalars(
        sa.select(Certificate.id)
        .where(
            Certificate.event_id == event.id,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.seq)
    ).all()
    settings = services.get_settings(event)
    signatories = [(s.id, s.name, s.title, s.nip) for s in settings.signatories]
    design = f"{ids}|{settings.updated_at}|{signatories}"
    digest = hashlib.sha256(design.encode()).hexdigest()[:40]
    return digest, len(ids)


def prepare(event, bundle: str, *, actor, channel: str = "web") -> PreparedFile:
    """The bundle for what is in force now: one being built or ready, else a new job."""
    kind = BUNDLES[bundle][0]
    now = utcnow()
    _forget_expired(event, now)
    digest, total = fingerprint(event)
    existing = db.session.scalar(
        sa.select(PreparedFile)
        .where(
            PreparedFile.event_id == event.id,
            PreparedFile.kind == kind,
            PreparedFile.fingerprint == digest,
            sa.or_(
                PreparedFile.status == "ready",
                sa.and_(  # one being built, unless its process died long ago
                    PreparedFile.status.in_(("queued", "running")),
                    PreparedFile.created_at > now - STALE,
                ),
            ),
        )
        .order_by(PreparedFile.id.desc())
        .limit(1)
    )
    if existing is not None:
        return existing
    prepared = PreparedFile(
        event_id=event.id,
        kind=kind,
        fingerprint=digest,
        status="queued",
        done=0,
        total=total,
        filename=f"sertifikat-{event.code}.{BUNDLES[bundle][2]}",
        path="",
        size=0,
        error="",
        requested_by_id=getattr(actor, "id", None),
    )
    db.session.add(prepared)
    db.session.flush()
    record(
        "certificate.bundle",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=prepared,
        details={"kind": kind, "certificates": total},
    )
    enqueue_on_commit(build_bundle, prepared.id)
    return prepared


def _forget_expired(event, now) -> None:
    expired = db.session.scalars(
        sa.select(PreparedFile).where(
            PreparedFile.event_id == event.id, PreparedFile.expires_at < now
        )
    ).all()
    for prepared in expired:
        if prepared.path:
            (prepared_folder() / prepared.path).unlink(missing_ok=True)
        db.session.delete(prepared)


@job()
def build_bundle(prepared_id: int) -> None:
    """Build the file once: a ready one is left alone, a failed one is built again."""
    result = db.session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == prepared_id, PreparedFile.status.in_(("queued", "failed")))
        .values(status="running", done=0, error="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return
    prepared = db.session.get(PreparedFile, prepared_id)
    try:
        data = _build(prepared)
        name = f"{prepared.event_id}-{prepared.id}-{secrets.token_hex(8)}.{prepared.kind[-3:]}"
        target = prepared_folder() / name
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    except Exception as error:
        db.session.rollback()
        prepared = db.session.get(PreparedFile, prepared_id)
        prepared.status = "failed"
        prepared.error = repr(error)[:1000]
        db.session.commit()
        raise
    now = utcnow()
    prepared.status = "ready"
    prepared.path = name
    prepared.size = len(data)
    prepared.done = prepared.total
    prepared.finished_at = now
    prepared.expires_at = now + timedelta(hours=current_app.config["PREPARED_FILE_HOURS"])
    db.session.commit()


def _build(prepared: PreparedFile) -> bytes:
    event = db.session.get(Event, prepared.event_id)
    certificates = services.issued_certificates(event)
    prepared.total = len(certificates)
    db.session.commit()
    if prepared.kind == "certificates_pdf":
        return services.certificates_pdf(event, certificates)
    from bimtek.certificates.pdfsplit import split

    design = services.design_for(event)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for start in range(0, len(certificates), CHUNK):
            chunk = certificates[start : start + CHUNK]
            merged = pdf.render(design, [services.sheet_for(c) for c in chunk], bulk=True)
            titles = [f"Sertifikat {c.number}" for c in chunk]
            for certificate, data in zip(chunk, split(merged, 2, titles), strict=True):
                archive.writestr(services.certificate_filename(certificate), data)
            prepared.done = start + len(chunk)
            db.session.commit()
    return buffer.getvalue()


# --- views (manager of the event) ---------------------------------------------------------


@bp.route(ADMIN + "/<bundle>", methods=["POST"])
@event_required("manager")
def request_bundle(event, bundle):
    if bundle not in BUNDLES:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    prepared = prepare(event, bundle, actor=current_user)
    db.session.commit()
    return redirect(url_for(".show", code=event.code, prepared_id=prepared.id))


@bp.route(ADMIN + "/<int:prepared_id>")
@event_required("manager")
def show(event, prepared_id):
    prepared = load_in_event(PreparedFile, prepared_id, event)
    if request.accept_mimetypes.best == "application/json":
        return {
            "status": prepared.status,
            "done": prepared.done,
            "total": prepared.total,
            "percent": prepared.percent,
        }
    return render_template(
        "notifications/prepared_file.html", event=event, prepared=prepared, form=FlaskForm()
    )


@bp.route(ADMIN + "/<int:prepared_id>/unduh")
@event_required("manager")
def download(event, prepared_id):
    prepared = load_in_event(PreparedFile, prepared_id, event)
    path = prepared_folder() / prepared.path if prepared.path else None
    if prepared.status != "ready" or path is None or not path.is_file():
        flash(_("Berkas belum siap atau sudah dihapus; siapkan lagi."), "error")
        return redirect(url_for(".show", code=event.code, prepared_id=prepared.id))
    mimetype = BUNDLES["zip" if prepared.kind.endswith("zip") else "pdf"][1]
    response = send_file(
        path, mimetype=mimetype, as_attachment=True, download_name=prepared.filename, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""Certificate bundles built by a job: the issued files as a ZIP, or one PDF to print.

The ZIP holds the certificates in force exactly as issued (those of who served in a folder
per role: ``narasumber/``, ``moderator/``, ``panitia/``): the stored signed files, byte for
byte (their SHA-256 is the API's ``document_sha256``); revoked ones are left out. The print
PDF is drawn from the certificates' issued snapshots and says on every page that it is a
print copy (``printing.print_copy_pdf``). 400 files are about 48 MB and the print PDF takes
a second or more to draw: the manager asks for a bundle (POST), a job builds it into the
database (``bimtek.storage``) with its progress in ``PreparedFile``, and the page shows a
progress bar and then the file, kept for PREPARED_FILE_HOURS (the pieces shared with other
prepared files: ``jobs/prepared.py``).
Asking again while nothing changed gives the same file: the bundle's fingerprint is the
certificates in force, their files and snapshots (and the design, which draws those issued
before signing existed), and a retried job finds the file ready and builds nothing.
"""

import hashlib
import io
import zipfile

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.certificates.models import SERVED_ROLES, Certificate
from bimtek.certificates.printing import issued_files, print_copy_pdf
from bimtek.certificates.queries import get_settings, issued_certificates
from bimtek.events.access import event_required
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.jobs import prepared as files
from bimtek.jobs.models import PreparedFile

#: bundle name in the URL -> (PreparedFile.kind, mimetype, file suffix)
BUNDLES = {
    "zip": ("certificates_zip", "application/zip", "zip"),
    "pdf": ("certificates_pdf", "application/pdf", "pdf"),
}
#: certificates' files loaded per step of the ZIP (one progress update each)
CHUNK = 50

bp = Blueprint("certificate_bundles", __name__)
ADMIN = "/kegiatan/<code>/sertifikat/berkas"


def fingerprint(event) -> tuple[str, int]:
    """What the bundle is made of: the certificates in force with their files and snapshots,
    and the design's version."""
    rows = db.session.execute(
        sa.select(Certificate.id, Certificate.document_sha256, Certificate.design_id)
        .where(
            Certificate.event_id == event.id,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.seq)
    ).all()
    ids = [tuple(row) for row in rows]
    settings = get_settings(event)
    signatories = [(s.id, s.name, s.title, s.nip) for s in settings.signatories]
    design = f"{ids}|{settings.updated_at}|{signatories}"
    digest = hashlib.sha256(design.encode()).hexdigest()[:40]
    return digest, len(ids)


def prepare(event, bundle: str, *, actor, channel: str = "web") -> PreparedFile:
    """The bundle for what is in force now: one being built or ready, else a new job."""
    kind, _mimetype, suffix = BUNDLES[bundle]
    digest, total = fingerprint(event)
    return files.prepare(
        event,
        kind,
        fingerprint=digest,
        total=total,
        filename=f"sertifikat-{event.code}.{suffix}",
        actor=actor,
        channel=channel,
        action="certificate.bundle",
        details={"certificates": total},
    )


@files.builder("certificates_zip", "certificates_pdf", back="certificates.admin_index")
def _build(prepared: PreparedFile) -> bytes:
    event = db.session.get(Event, prepared.event_id)
    certificates = issued_certificates(event)
    if prepared.kind == "certificates_pdf":
        prepared.total = len(certificates)
        db.session.commit()
        return print_copy_pdf(event, certificates)
    folders = [("", certificates)]
    folders += [(f"{role}/", issued_certificates(event, role=role)) for role in SERVED_ROLES]
    prepared.total = sum(len(group) for _folder, group in folders)
    db.session.commit()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for folder, group in folders:
            for batch in issued_files(group, chunk=CHUNK):
                for name, data in batch:
                    archive.writestr(folder + name, data)
                prepared.done += len(batch)
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
    return redirect(url_for("prepared_files.show", code=event.code, prepared_id=prepared.id))

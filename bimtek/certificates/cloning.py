"""What certificates copy when an event is cloned: the settings, logos, background and
signatories, and the texts of the narasumber, moderator and panitia certificates (not the
signing key, the numbering or the date of signing). The event's own signing key
(``EventSigningKey``, its own table) is never copied: a clone may be run by other people, and
a key is handed over by uploading it, not as a side effect.

``bimtek.events.cloning`` sends ``event_cloned``; this receiver answers it.
"""

import sqlalchemy as sa

from bimtek.certificates.configuration import ensure_settings
from bimtek.certificates.models import CertificateSettings, ServedCertificateSettings, Signatory
from bimtek.certificates.queries import get_settings
from bimtek.events.models import Event
from bimtek.events.signals import event_cloned
from bimtek.extensions import db

#: certificate settings columns never copied: the key, the numbering, the date of signing
CERTIFICATE_SKIP = {"event_id", "last_seq", "signing_date", "updated_at"}


@event_cloned.connect
def copy_certificate_settings(source: Event, *, event: Event, **_extra):
    """The certificate settings with logos and background, and the signatories."""
    original = get_settings(source, with_images=True)
    settings = ensure_settings(event)
    for column in CertificateSettings.__table__.columns:
        if column.key not in CERTIFICATE_SKIP:
            setattr(settings, column.key, getattr(original, column.key))
    for signatory in original.signatories:
        db.session.add(
            Signatory(
                event_id=event.id,
                position=signatory.position,
                name=signatory.name,
                title=signatory.title,
                nip=signatory.nip,
                signature=signatory.signature,
                signature_type=signatory.signature_type,
            )
        )
    for texts in db.session.scalars(
        sa.select(ServedCertificateSettings).where(ServedCertificateSettings.event_id == source.id)
    ):
        db.session.add(
            ServedCertificateSettings(
                event_id=event.id,
                role=texts.role,
                role_text=texts.role_text,
                body_text=texts.body_text,
                last_seq=0,
            )
        )
    db.session.flush()
    return "signatories", len(original.signatories)

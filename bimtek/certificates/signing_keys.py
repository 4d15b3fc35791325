"""An event's own signing key: a regency signs its own Bimtek's certificates with its own
PKCS#12 (``.p12``/``.pfx``); events without one sign with the install's key.

A manager uploads the file with its passphrase on the event's certificate settings page.
``read_pkcs12`` refuses, each with its own message and code, a file that is too big
(``key_too_large``), not PKCS#12 (``key_not_pkcs12``), not opened by the passphrase
(``key_wrong_passphrase``), without a private key (``key_no_private_key``), not yet or no
longer valid (``key_not_yet_valid``, ``key_expired``), or whose certificate may not sign
(``key_cannot_sign``).

Kept in the database, so every app server and worker signs with it: the file as uploaded in
``stored_files`` (``bimtek.storage``), its passphrase only encrypted with Fernet under a key
derived from the app's SECRET_KEY (HKDF-SHA256, ``seal``/``unseal``). A database copy alone
does not open the key; a changed SECRET_KEY does not either: issuing is then refused until
the key is uploaded again. Cloning an event does not copy the key (``cloning.py``).
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.certificates.models import EventSigningKey
from bimtek.certificates.signing import (
    NoSigningKey,
    Pkcs12Signer,
    cached_signer,
    configured_signer,
)
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.storage import files

#: a PKCS#12 of a key and its chain is a few KB; anything far bigger is not one
MAX_KEY_BYTES = 64 * 1024
MAX_PASSPHRASE = 200
PKCS12_TYPE = "application/x-pkcs12"
#: the PKCS#7 content types a PKCS#12's authSafe is (data, signedData)
_AUTH_SAFE_TYPES = ("1.2.840.113549.1.7.1", "1.2.840.113549.1.7.2")
_HKDF_INFO = b"bimtek certificate signing key passphrase"


@dataclass(frozen=True)
class KeyFacts:
    """What the signing certificate says, shown on the settings page and kept with the key."""

    common_name: str
    organization: str
    subject: str
    issuer: str
    valid_from: datetime
    valid_until: datetime
    fingerprint: str


def _fernet(secret_key: str):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        str(secret_key).encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(passphrase: str, secret_key: str) -> str:
    """The passphrase encrypted (a Fernet token) under a key derived from ``secret_key``."""
    return _fernet(secret_key).encrypt(passphrase.encode()).decode()


def unseal(token: str, secret_key: str) -> str:
    """The passphrase back; ``NoSigningKey`` when ``secret_key`` is not the one it was
    sealed with."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise NoSigningKey(
            _(
                "Kunci penanda tangan kegiatan ini tidak dapat dibuka lagi (SECRET_KEY aplikasi "
                "telah berubah). Unggah ulang berkas PKCS#12-nya di pengaturan sertifikat."
            )
        ) from error


def _refuse(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, fields={"key_file": message})


def _is_pkcs12(data: bytes) -> bool:
    """The outer shape of a PKCS#12 (PFX): version 3 and an authSafe of PKCS#7 data."""
    from asn1crypto import core

    try:
        outer = core.load(data, strict=True)
        if not isinstance(outer, core.Sequence) or len(outer) < 2:
            return False
        version, auth_safe = outer[0], outer[1]
        if not isinstance(version, core.Integer) or version.native != 3:
            return False
        content_type = auth_safe[0]
        return (
            isinstance(content_type, core.ObjectIdentifier)
            and content_type.dotted in _AUTH_SAFE_TYPES
        )
    except Exception:  # not DER at all
        return False


def _name(name, oid) -> str:
    return ", ".join(attribute.value for attribute in name.get_attributes_for_oid(oid))


def read_pkcs12(data: bytes, passphrase: str, now: datetime) -> KeyFacts:
    """The facts of a PKCS#12 that can sign certificates now, or ``InvalidInput`` saying
    what is wrong with it."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
    from cryptography.x509.oid import NameOID

    if not data:
        raise _refuse(_("Pilih berkas kunci PKCS#12 (.p12 atau .pfx)."), "key_missing")
    if len(data) > MAX_KEY_BYTES:
        raise _refuse(
            _(
                "Berkas terlalu besar untuk sebuah kunci PKCS#12 (paling besar %(size)s KB).",
                size=MAX_KEY_BYTES // 1024,
            ),
            "key_too_large",
        )
    if not _is_pkcs12(data):
        raise _refuse(
            _("Berkas ini bukan kunci PKCS#12 (.p12 atau .pfx)."),
            "key_not_pkcs12",
        )
    if len(passphrase) > MAX_PASSPHRASE:
        raise _refuse(_("Kata sandi terlalu panjang."), "key_wrong_passphrase")
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(
            data, passphrase.encode() or None
        )
    except Exception as error:
        raise _refuse(
            _("Kata sandi salah: berkas PKCS#12 ini tidak dapat dibuka dengan kata sandi itu."),
            "key_wrong_passphrase",
        ) from error
    if key is None or certificate is None:
        raise _refuse(
            _(
                "Berkas PKCS#12 ini tidak berisi kunci privat beserta sertifikatnya; "
                "ekspor ulang dengan kunci privatnya."
            ),
            "key_no_private_key",
        )
    signing_kinds = (
        rsa.RSAPrivateKey,
        ec.EllipticCurvePrivateKey,
        ed25519.Ed25519PrivateKey,
        ed448.Ed448PrivateKey,
    )
    if not isinstance(key, signing_kinds):
        raise _refuse(
            _("Jenis kunci ini tidak dapat dipakai untuk tanda tangan PDF (RSA atau EC)."),
            "key_cannot_sign",
        )
    if key.public_key().public_bytes(
        Encoding.DER, _spki()
    ) != certificate.public_key().public_bytes(Encoding.DER, _spki()):
        raise _refuse(
            _("Kunci privat dalam berkas ini bukan pasangan sertifikatnya."),
            "key_no_private_key",
        )
    valid_from = certificate.not_valid_before_utc
    valid_until = certificate.not_valid_after_utc
    if valid_until <= now:
        raise _refuse(
            _(
                "Sertifikat penanda tangan ini sudah kedaluwarsa sejak %(date)s.",
                date=valid_until.strftime("%d-%m-%Y"),
            ),
            "key_expired",
        )
    if valid_from > now:
        raise _refuse(
            _(
                "Sertifikat penanda tangan ini baru berlaku mulai %(date)s.",
                date=valid_from.strftime("%d-%m-%Y"),
            ),
            "key_not_yet_valid",
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise _refuse(
            _(
                "Sertifikat ini tidak boleh dipakai untuk tanda tangan (penggunaan kunci tanpa "
                "digitalSignature atau nonRepudiation)."
            ),
            "key_cannot_sign",
        )
    subject, issuer = certificate.subject, certificate.issuer
    return KeyFacts(
        common_name=_name(subject, NameOID.COMMON_NAME)[:200],
        organization=_name(subject, NameOID.ORGANIZATION_NAME)[:200],
        subject=subject.rfc4514_string()[:500],
        issuer=issuer.rfc4514_string()[:500],
        valid_from=valid_from,
        valid_until=valid_until,
        fingerprint=hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest(),
    )


def _spki():
    from cryptography.hazmat.primitives.serialization import PublicFormat

    return PublicFormat.SubjectPublicKeyInfo


def get_event_key(event: Event) -> EventSigningKey | None:
    """The event's own signing key, or None (it signs with the install's)."""
    return db.session.get(EventSigningKey, event.id)


def set_event_key(
    event: Event,
    data: bytes | None,
    passphrase: str,
    *,
    actor=None,
    channel: str = "web",
    now: datetime | None = None,
) -> EventSigningKey:
    """Check and keep the event's own PKCS#12 (replacing one it had); flushes, audited."""
    now = now or utcnow()
    passphrase = str(passphrase or "")
    facts = read_pkcs12(data or b"", passphrase, now.astimezone(UTC))
    existing = get_event_key(event)
    replaced = existing.fingerprint if existing is not None else None
    if existing is not None:
        old_file = existing.file_id
        db.session.delete(existing)
        db.session.flush()
        files.delete(old_file)
    stored = files.put(data, content_type=PKCS12_TYPE)
    key = EventSigningKey(
        event_id=event.id,
        file_id=stored.id,
        passphrase_sealed=seal(passphrase, current_app.config["SECRET_KEY"]),
        fingerprint=facts.fingerprint,
        common_name=facts.common_name,
        organization=facts.organization,
        subject=facts.subject,
        issuer=facts.issuer,
        valid_from=facts.valid_from,
        valid_until=facts.valid_until,
        uploaded_at=now,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(key)
    db.session.flush()
    record(
        "certificate.signing_key_set",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={
            "fingerprint": facts.fingerprint,
            "subject": facts.subject,
            "issuer": facts.issuer,
            "valid_until": facts.valid_until.isoformat(),
            "replaced": replaced,
        },
    )
    return key


def remove_event_key(event: Event, *, actor=None, channel: str = "web") -> bool:
    """Forget the event's own key (its certificates from now on sign with the install's);
    False when it had none. Flushes, audited."""
    key = get_event_key(event)
    if key is None:
        return False
    file_id, fingerprint, subject = key.file_id, key.fingerprint, key.subject
    db.session.delete(key)
    db.session.flush()
    files.delete(file_id)
    record(
        "certificate.signing_key_remove",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"fingerprint": fingerprint, "subject": subject},
    )
    return True


def event_signer(event: Event, app=None):
    """The signer of the event's certificates: its own key when it has one (opened once per
    process), else the install's (``signing.configured_signer``)."""
    app = app or current_app
    row = db.session.execute(
        sa.select(
            EventSigningKey.file_id,
            EventSigningKey.fingerprint,
            EventSigningKey.passphrase_sealed,
            EventSigningKey.valid_until,
        ).where(EventSigningKey.event_id == event.id)
    ).first()
    if row is None:
        return configured_signer(app)
    if row.valid_until <= utcnow():
        raise NoSigningKey(
            _(
                "Sertifikat penanda tangan kegiatan ini sudah kedaluwarsa. Unggah kunci yang "
                "masih berlaku, atau hapus kunci kegiatan untuk memakai kunci instalasi."
            )
        )

    def load():
        passphrase = unseal(row.passphrase_sealed, app.config["SECRET_KEY"])
        return Pkcs12Signer(data=files.read(row.file_id), password=passphrase)

    return cached_signer(("event", event.id, row.file_id, row.fingerprint), load)

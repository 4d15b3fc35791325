"""Electronic signatures on certificates (PAdES, with pyHanko), through one function.

Every issued certificate goes through ``sign_certificate_pdf(pdf_bytes, signer, details)``. A
signer is anything with a ``sign(pdf_bytes, details) -> bytes`` method and a ``certificate``
(the signing certificate, an ``asn1crypto.x509.Certificate``): ``Pkcs12Signer`` signs here
with the organizer's own key; a provider of certified signatures (BSrE and the like), whose
API takes a PDF and hands it back signed, plugs in as another signer class named by the
``CERT_SIGNER_FACTORY`` setting. Nothing else in the app knows how a PDF gets signed.

The key: a PKCS#12 file per install (``CERT_SIGNING_PKCS12``), its password only in the
environment (``BIMTEK_CERT_SIGNING_PASSWORD``), never in the database or a config file; or
an event's own PKCS#12, uploaded by its manager (``signing_keys.py``).
Without a signer, issuing is refused (``NoSigningKey``): a certificate that quietly goes out
unsigned cannot be told from a forgery by the reader, which is what signing is for.

Speed: pyHanko's ``SimpleSigner`` parses the key again for every signature; ``KeySigner``
(a ``pyhanko.sign.signers.Signer``, the class pyHanko documents for other key stores) keeps
the parsed key. Everything else is ``signers.sign_pdf`` as documented, its output untouched:
about 29 ms of CPU per certificate, most of it pyHanko building the CMS container with
asn1crypto (a container template filled in by hand took 3.3 ms, and was dropped as byte
surgery on pyHanko's output); 400 signed files (draw, cut, sign, store) take 14 s of CPU
(bench/certificates.py, 2026-12-07).

One signer is kept per key and process, and threads share it; its asn1crypto certificates
serialize lazily and are not safe to dump from two threads at once, so a signer signs one
file at a time. Signing is Python work under the GIL, so the lock costs no throughput.

``create_demo_signer`` makes a demo CA and a signing certificate under ``instance/`` for
``make run`` and the tests; its certificate says DEMO, and the verify page says so too.
"""

import hashlib
import importlib
import io
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from flask import current_app
from flask_babel import gettext as _

from bimtek.errors import Conflict

#: the organizational unit that marks a demo signing certificate
DEMO_UNIT = "Bimtek DEMO - bukan untuk produksi"
DEMO_FOLDER = "demo-signer"
DEMO_PKCS12 = "demo-signer.p12"
DEMO_CA = "demo-ca.pem"
PASSWORD_VARIABLE = "BIMTEK_CERT_SIGNING_PASSWORD"
FIELD_NAME = "TandaTanganElektronik"


class NoSigningKey(Conflict):
    code = "no_signing_key"


@dataclass(frozen=True)
class SignatureDetails:
    """What the signature says besides the signature itself."""

    #: the certificate's verification code, also kept in the signature's /Reason
    code: str
    number: str
    location: str = ""


class CertificateSigner(Protocol):
    """The seam: a local key, or a certified provider's API. What is said of the signer
    (issued rows, the verify page) is read from the certificate once, when the signer is
    made: the certificate's asn1crypto objects are used by the signing, and are not safe to
    read from another thread meanwhile."""

    certificate: object  # asn1crypto.x509.Certificate of the signing key
    fingerprint: str  # fingerprint(certificate)
    subject: tuple[str, str]  # subject_names(certificate): CN, O
    demo: bool  # is_demo(certificate)

    def sign(self, pdf_bytes: bytes, details: SignatureDetails) -> bytes: ...


def sign_certificate_pdf(pdf_bytes: bytes, signer: CertificateSigner, details) -> bytes:
    """The one place a certificate gets signed: ``pdf_bytes`` in, the signed PDF out."""
    return signer.sign(pdf_bytes, details)


def _key_signer_class():
    """A pyHanko ``Signer`` holding the parsed private key (pyHanko's ``Signer`` is meant to
    be subclassed with an ``async_sign_raw``). ``SimpleSigner`` parses and checks the RSA key
    again for every signature, 25-50 ms each time; this parses it once per process."""
    from pyhanko.sign import signers

    class KeySigner(signers.Signer):
        def __init__(self, *, signing_cert, private_key, cert_registry):
            self._private_key = private_key
            super().__init__(signing_cert=signing_cert, cert_registry=cert_registry)

        async def async_sign_raw(
            self, data: bytes, digest_algorithm: str, dry_run: bool = False
        ) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.ec import (
                ECDSA,
                EllipticCurvePrivateKey,
            )
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
            from pyhanko.sign.general import get_pyca_cryptography_hash

            key = self._private_key
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if isinstance(key, RSAPrivateKey):
                return key.sign(data, PKCS1v15(), hash_algorithm)
            if isinstance(key, EllipticCurvePrivateKey):
                return key.sign(data, ECDSA(hash_algorithm))
            return key.sign(data)  # Ed25519 / Ed448

    return KeySigner


def signature_room(chain) -> int:
    """Bytes to reserve for the CMS signature: the chain, the signature and attributes, with
    margin (without it pyHanko signs twice to measure). pyHanko writes the room as hex and
    refuses an odd count, which a chain of odd length gave now and then."""
    room = 4096 + sum(len(cert.dump()) for cert in chain)
    return room + room % 2


class Pkcs12Signer:
    """Signs with a key and certificate chain from a PKCS#12 file (PAdES B-B, SHA-256):
    ``path``, or the file's bytes as ``data``."""

    def __init__(self, path: str | None = None, password: str | None = None, *, data=None):
        from asn1crypto import x509
        from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        def asn1(certificate):
            return x509.Certificate.load(certificate.public_bytes(Encoding.DER))

        passphrase = password.encode() if password else None
        try:
            if data is None:
                data = Path(path).read_bytes()
            key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase)
        except Exception as error:
            raise NoSigningKey(_unreadable(path or "PKCS#12")) from error
        if key is None or certificate is None:
            raise NoSigningKey(_unreadable(path or "PKCS#12"))
        chain = [asn1(c) for c in others]
        registry = SimpleCertificateStore()
        registry.register_multiple(chain)
        self._signer = _key_signer_class()(
            signing_cert=asn1(certificate), private_key=key, cert_registry=registry
        )
        self.certificate = self._signer.signing_cert
        self.fingerprint = fingerprint(self.certificate)
        self.subject = subject_names(self.certificate)
        self.demo = is_demo(self.certificate)
        self.bytes_reserved = signature_room([self.certificate, *chain])
        self._one_at_a_time = threading.Lock()

    def sign(self, pdf_bytes: bytes, details: SignatureDetails) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=f"Sertifikat {details.number} (kode verifikasi {details.code})",
            location=details.location or None,
        )

        def sign() -> bytes:
            with self._one_at_a_time:
                output = signers.sign_pdf(
                    writer, metadata, signer=self._signer, bytes_reserved=self.bytes_reserved
                )
            return output.getvalue()

        return outside_event_loop(sign)


def outside_event_loop(function):
    """pyHanko's synchronous API starts an asyncio loop, which fails inside a running one
    (an async caller, Playwright's sync API): run it on a helper thread then."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def _unreadable(path: str) -> str:
    return _(
        "Kunci penanda tangan elektronik (%(path)s) tidak dapat dibuka. Periksa berkasnya dan "
        "kata sandinya di variabel lingkungan %(variable)s.",
        path=path,
        variable=PASSWORD_VARIABLE,
    )


def fingerprint(certificate) -> str:
    """SHA-256 of the certificate (DER), hex: how a signing key is recognised."""
    return hashlib.sha256(certificate.dump()).hexdigest()


def subject_names(certificate) -> tuple[str, str]:
    """The signing certificate's subject CN and O (an asn1crypto certificate)."""
    subject = certificate.subject.native

    def joined(value) -> str:
        return ", ".join(value) if isinstance(value, list | tuple) else str(value or "")

    return (
        joined(subject.get("common_name"))[:200],
        joined(subject.get("organization_name"))[:200],
    )


def is_demo(certificate) -> bool:
    units = certificate.subject.native.get("organizational_unit_name") or ()
    if isinstance(units, str):
        units = (units,)
    return DEMO_UNIT in units


_CACHE: dict = {}
_LOCK = threading.Lock()
#: events' own signers, opened once per process (a few at a time)
_EVENT_SIGNERS: OrderedDict = OrderedDict()
EVENT_SIGNERS_KEPT = 8


def cached_signer(key: tuple, load) -> CertificateSigner:
    """The signer kept under ``key``, made by ``load()`` the first time."""
    with _LOCK:
        signer = _EVENT_SIGNERS.get(key)
        if signer is not None:
            _EVENT_SIGNERS.move_to_end(key)
            return signer
    signer = load()
    with _LOCK:
        _EVENT_SIGNERS[key] = signer
        while len(_EVENT_SIGNERS) > EVENT_SIGNERS_KEPT:
            _EVENT_SIGNERS.popitem(last=False)
    return signer


def configured_signer(app=None) -> CertificateSigner:
    """The install's signer (loaded once per process and file), or ``NoSigningKey``."""
    app = app or current_app
    config = app.config
    factory = config.get("CERT_SIGNER_FACTORY")
    path = config.get("CERT_SIGNING_PKCS12")
    if path:  # a relative path is inside the instance folder
        path = Path(app.instance_path) / path
    if factory:
        key = ("factory", factory)
    elif path:
        try:
            key = ("pkcs12", str(path), os.stat(path).st_mtime_ns)
        except OSError as error:
            raise NoSigningKey(
                _("Berkas kunci penanda tangan elektronik tidak ditemukan: %(path)s.", path=path)
            ) from error
    else:
        raise NoSigningKey(
            _(
                "Sertifikat tidak dapat diterbitkan: kunci penanda tangan elektronik belum "
                "diatur. Atur CERT_SIGNING_PKCS12 (berkas PKCS#12) dan "
                "BIMTEK_CERT_SIGNING_PASSWORD, atau buat kunci demo dengan "
                "`flask create-demo-signer` untuk percobaan."
            )
        )
    with _LOCK:
        signer = _CACHE.get(key)
        if signer is None:
            if factory:
                module, _sep, name = factory.partition(":")
                signer = getattr(importlib.import_module(module), name)(config)
            else:
                signer = Pkcs12Signer(str(path), os.environ.get(PASSWORD_VARIABLE))
            _CACHE.clear()
            _CACHE[key] = signer
    return signer


def signer_facts(app=None) -> dict | None:
    """Who signs this install's certificates, for the verify page; None without a signer."""
    try:
        signer = configured_signer(app)
    except NoSigningKey:
        return None
    name, organization = signer.subject
    return {
        "name": name,
        "organization": organization,
        "fingerprint": signer.fingerprint,
        "demo": signer.demo,
    }


# --- demo CA --------------------------------------------------------------------------------


def create_demo_signer(folder: Path, organization: str = "Bimtek") -> Path:
    """A demo CA and a signing certificate issued by it, as an unencrypted PKCS#12 file
    (plus the CA as PEM, to trust in a PDF reader). Returns the PKCS#12 path."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_UNIT),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = name("Bimtek Demo CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Penanda Tangan Sertifikat (DEMO)"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"bimtek-demo-signer", key, leaf, [ca], serialization.NoEncryption()
    )
    target = folder / DEMO_PKCS12
    target.write_bytes(bundle)
    target.chmod(0o600)
    (folder / DEMO_CA).write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return target


def demo_signer_path(instance_path: str) -> Path:
    return Path(instance_path) / DEMO_FOLDER / DEMO_PKCS12

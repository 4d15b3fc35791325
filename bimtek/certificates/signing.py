"""Electronic signatures on certificates (PAdES, with pyHanko), through one function.

Every issued certificate goes through ``sign_certificate_pdf(pdf_bytes, signer, details)``. A
signer is anything with a ``sign(pdf_bytes, details) -> bytes`` method and a ``certificate``
(the signing certificate, an ``asn1crypto.x509.Certificate``): ``Pkcs12Signer`` signs here
with the organizer's own key; a provider of certified signatures (BSrE and the like), whose
API takes a PDF and hands it back signed, plugs in as another signer class named by the
``CERT_SIGNER_FACTORY`` setting. Nothing else in the app knows how a PDF gets signed.

The key: a PKCS#12 file per install (``CERT_SIGNING_PKCS12``), its password only in the
environment (``BIMTEK_CERT_SIGNING_PASSWORD``), never in the database or a config file.
Without a signer, issuing is refused (``NoSigningKey``): a certificate that quietly goes out
unsigned cannot be told from a forgery by the reader, which is what signing is for.

Speed: pyHanko parses the key again for every signature and builds the CMS container with
asn1crypto, 25-30 ms together; ``KeySigner`` keeps the parsed key and fills a container
template made once (``_CmsTemplate``): signing adds about 10 ms per certificate
(bench/certificates.py).

``create_demo_signer`` makes a demo CA and a signing certificate under ``instance/`` for
``make run`` and the tests; its certificate says DEMO, and the verify page says so too.
"""

import hashlib
import importlib
import io
import os
import threading
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
    """The seam: a local key, or a certified provider's API."""

    certificate: object  # asn1crypto.x509.Certificate of the signing key

    def sign(self, pdf_bytes: bytes, details: SignatureDetails) -> bytes: ...


def sign_certificate_pdf(pdf_bytes: bytes, signer: CertificateSigner, details) -> bytes:
    """The one place a certificate gets signed: ``pdf_bytes`` in, the signed PDF out."""
    return signer.sign(pdf_bytes, details)


def _key_signer_class():
    """pyHanko's SimpleSigner, holding the parsed key: pyHanko parses (and checks) the RSA
    key again for every signature, 50 ms each time."""
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers

    class KeySigner(signers.SimpleSigner):
        _private_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
            from pyhanko.sign.general import get_pyca_cryptography_hash

            if self._private_key is None:
                self._private_key = serialization.load_der_private_key(
                    self.signing_key.dump(), password=None
                )
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if isinstance(self._private_key, RSAPrivateKey) and (
                mechanism["algorithm"].native in ("rsassa_pkcs1v15", "sha256_rsa")
            ):
                return self._private_key.sign(
                    data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
                )
            return super().sign_raw(data, digest_algorithm)

        async def async_sign(self, data_digest: bytes, digest_algorithm: str, **options):
            """The CMS container from a template: see ``_CmsTemplate``."""
            from asn1crypto import cms

            plain = not any(
                options.get(name) for name in ("dry_run", "timestamper", "encap_content_info")
            ) and options.get("is_pdf_sig", True)
            key = (digest_algorithm, bool(options.get("use_pades")))
            template = self.__dict__.setdefault("_templates", {}).get(key) if plain else None
            if template is not None:
                data = template.fill(data_digest, self)
                if data is not None:
                    return cms.ContentInfo.load(data)
            content_info = await super().async_sign(data_digest, digest_algorithm, **options)
            if plain:
                self._templates[key] = _CmsTemplate(content_info, data_digest, digest_algorithm)
            return content_info

    return KeySigner


#: the only signed attributes a templated container may hold: none of them changes between
#: documents except the message digest (PAdES puts the signing time in the PDF, not in CMS)
TEMPLATE_ATTRIBUTES = ["content_type", "message_digest", "signing_certificate_v2"]


class _CmsTemplate:
    """A signature container made once by pyHanko, filled in for each next document.

    With PAdES and an RSA key, two containers of the same signer differ only in the message
    digest (fixed length) and the RSA signature over the signed attributes (as long as the
    key's modulus): both are swapped in place, the signature computed afresh. pyHanko builds
    the same container in 20–30 ms of asn1crypto work; this takes well under 1 ms plus the
    RSA signature. Anything else (ECDSA's varying lengths, other attributes) is left to
    pyHanko.
    """

    def __init__(self, content_info, digest: bytes, digest_algorithm: str):
        self.der = content_info.dump()
        self.digest = digest
        self.digest_algorithm = digest_algorithm
        signer_info = content_info["content"]["signer_infos"][0]
        attributes = signer_info["signed_attrs"]
        self.usable = (
            [a["type"].native for a in attributes] == TEMPLATE_ATTRIBUTES
            and signer_info["signature_algorithm"].signature_algo == "rsassa_pkcs1v15"
            and self.der.count(digest) == 1
        )
        self.attributes = attributes.dump()
        self.signature = signer_info["signature"].native
        self.usable = self.usable and self.der.count(self.signature) == 1

    def fill(self, digest: bytes, signer) -> bytes | None:
        if not self.usable or len(digest) != len(self.digest):
            return None
        attributes = self.attributes.replace(self.digest, digest)
        # the signature covers the attributes as a SET, not with their [0] tag
        signature = signer.sign_raw(b"\x31" + attributes[1:], self.digest_algorithm)
        if len(signature) != len(self.signature):
            return None
        return self.der.replace(self.digest, digest).replace(self.signature, signature)


class Pkcs12Signer:
    """Signs with a key and certificate chain from a PKCS#12 file (PAdES B-B, SHA-256)."""

    def __init__(self, path: str, password: str | None = None):
        passphrase = password.encode() if password else None
        from pyhanko.sign import signers

        try:
            loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase)
        except Exception as error:  # pyHanko logs and returns None, or raises, by version
            raise NoSigningKey(_unreadable(path)) from error
        if loaded is None:
            raise NoSigningKey(_unreadable(path))
        self._signer = _key_signer_class()(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )
        self.certificate = self._signer.signing_cert
        chain = [self.certificate, *self._signer.cert_registry]
        #: room for the CMS signature: the chain, the signature and attributes, with margin;
        #: without it pyHanko signs twice to measure. Even: pyHanko counts it in hex pairs
        room = 4096 + sum(len(cert.dump()) for cert in chain)
        self.bytes_reserved = room + room % 2

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


def is_demo(certificate) -> bool:
    units = certificate.subject.native.get("organizational_unit_name") or ()
    if isinstance(units, str):
        units = (units,)
    return DEMO_UNIT in units


_CACHE: dict = {}
_LOCK = threading.Lock()


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
    subject = signer.certificate.subject.native
    return {
        "name": subject.get("common_name", ""),
        "organization": subject.get("organization_name", ""),
        "fingerprint": fingerprint(signer.certificate),
        "demo": is_demo(signer.certificate),
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

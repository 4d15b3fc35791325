"""The backup file: a zip holding ``manifest.json`` (format, database kind, Alembic revision,
time made, size and SHA-256 of the copy) and the database's copy, ``database.sqlite`` or
``database.pgdump`` (pg_dump's custom format). Restore reads the manifest and checks the
copy against it before it touches the database, so a file of another kind, a truncated or a
changed one is refused with a message instead of half a restore. A zip because Python reads
and writes it with no extra package, and it ends with a directory of its members: a cut-off
file has none and is told apart at once."""

import hashlib
import json
import os
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _

from bimtek.errors import ServiceError

FORMAT = "bimtek-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: the database's copy inside the zip, per SQLAlchemy dialect name
PAYLOADS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: pg_dump's custom format is compressed already; a SQLite file shrinks to about a third
COMPRESSION = {"sqlite": zipfile.ZIP_DEFLATED, "postgresql": zipfile.ZIP_STORED}
CHUNK = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")


class BackupError(ServiceError):
    """A backup or restore refused; ``code`` says why."""

    code = "backup_error"


@dataclass(frozen=True)
class Manifest:
    """What a backup file holds (``manifest.json``)."""

    database: str
    alembic_revision: str
    #: ISO 8601, UTC
    created_at: str
    payload: str
    payload_bytes: int
    payload_sha256: str
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "format": self.format,
                "format_version": self.format_version,
                "database": self.database,
                "alembic_revision": self.alembic_revision,
                "created_at": self.created_at,
                "payload": self.payload,
                "bytes": self.payload_bytes,
                "sha256": self.payload_sha256,
            },
            indent=2,
        ).encode()


def database_name(kind: str) -> str:
    return DATABASE_NAMES.get(kind, kind)


def check_target(path: Path, *, force: bool) -> None:
    """Refuse to write where there is no folder, or over a file unless ``force``."""
    if not path.parent.is_dir():
        raise BackupError(
            _("Folder %(folder)s tidak ada.", folder=path.parent), code="backup_folder_missing"
        )
    if path.exists() and not force:
        raise BackupError(
            _(
                "Berkas %(path)s sudah ada; pilih nama lain atau tambahkan --force untuk "
                "menggantinya.",
                path=path,
            ),
            code="backup_exists",
        )


def file_digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_archive(
    path: Path,
    *,
    database: str,
    alembic_revision: str,
    payload: Path,
    force: bool = False,
    created_at: datetime | None = None,
) -> Manifest:
    """Write the backup file at ``path`` from the database's copy ``payload``: first to a
    temporary file beside it (readable by its owner only: it holds personal data), then
    renamed over ``path``, so a failed backup never leaves half a file under that name."""
    path = Path(path)
    check_target(path, force=force)
    size, sha256 = file_digest(payload)
    manifest = Manifest(
        database=database,
        alembic_revision=alembic_revision,
        created_at=(created_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        payload=PAYLOADS[database],
        payload_bytes=size,
        payload_sha256=sha256,
    )
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw:
            with zipfile.ZipFile(raw, "w") as stored:
                stored.writestr(MANIFEST, manifest.to_json())
                stored.write(payload, manifest.payload, compress_type=COMPRESSION[database])
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return manifest


def _unreadable(path: Path, reason: str) -> BackupError:
    return BackupError(
        _(
            "%(path)s bukan berkas cadangan Bimtek yang utuh (%(reason)s). Berkas yang "
            "terpotong atau rusak tidak dapat dipulihkan; pakai cadangan lain.",
            path=path,
            reason=reason,
        ),
        code="backup_unreadable",
    )


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at ``path``; refuses a file that is not a whole backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(
            _("Berkas cadangan %(path)s tidak ditemukan.", path=path), code="backup_not_found"
        )
    try:
        with zipfile.ZipFile(path) as stored:
            names = stored.namelist()
            raw = stored.read(MANIFEST)
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise _unreadable(path, _("bukan zip, atau terpotong")) from None
    except KeyError:
        raise _unreadable(path, _("tidak ada %(name)s", name=MANIFEST)) from None
    try:
        fields = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _unreadable(path, _("%(name)s bukan JSON", name=MANIFEST)) from None
    if not isinstance(fields, dict) or fields.get("format") != FORMAT:
        raise _unreadable(path, _("formatnya bukan %(format)s", format=FORMAT))
    if fields.get("format_version") != FORMAT_VERSION:
        raise _unreadable(
            path,
            _(
                "versi format %(version)s, yang dikenal %(known)s",
                version=fields.get("format_version"),
                known=FORMAT_VERSION,
            ),
        )
    database = fields.get("database")
    try:
        manifest = Manifest(
            database=database,
            alembic_revision=fields["alembic_revision"],
            created_at=fields["created_at"],
            payload=fields["payload"],
            payload_bytes=fields["bytes"],
            payload_sha256=fields["sha256"],
        )
    except KeyError as missing:
        raise _unreadable(path, _("%(field)s tidak ada", field=missing.args[0])) from None
    whole = (
        database in PAYLOADS
        and manifest.payload == PAYLOADS[database]
        and manifest.payload in names
        and isinstance(manifest.alembic_revision, str)
        and isinstance(manifest.created_at, str)
        and isinstance(manifest.payload_bytes, int)
        and isinstance(manifest.payload_sha256, str)
        and SHA256.fullmatch(manifest.payload_sha256)
    )
    if not whole:
        raise _unreadable(path, _("isi %(name)s tidak lengkap", name=MANIFEST))
    return manifest


def extract_payload(path: Path, manifest: Manifest, folder: Path) -> Path:
    """Unpack the database's copy into ``folder`` and check its size and SHA-256 against
    the manifest; refuses a changed or damaged copy."""
    target = folder / manifest.payload
    digest = hashlib.sha256()
    size = 0
    try:
        with zipfile.ZipFile(path) as stored, stored.open(manifest.payload) as source:
            with open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise _unreadable(path, _("salinan basis data rusak")) from None
    if size != manifest.payload_bytes or digest.hexdigest() != manifest.payload_sha256:
        raise BackupError(
            _(
                "Salinan basis data di %(path)s tidak sama dengan yang dicatat saat dibuat "
                "(SHA-256 atau ukurannya berbeda): berkas ini telah berubah atau rusak.",
                path=path,
            ),
            code="backup_corrupt",
        )
    return target

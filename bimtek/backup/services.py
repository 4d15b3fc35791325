"""Make and restore a backup of the whole database (``flask backup`` / ``flask restore``).

Everything the app keeps lives in the database: participants, attendance, tests, evaluations,
certificates with their signed files, uploads, the audit log. The instance folder is not
copied; the signing key (``CERT_SIGNING_PKCS12``) and ``SECRET_KEY`` are configuration, kept
apart from backups.

- **SQLite**: the online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot while the app keeps working, and writes the copy back into the app's database
  on restore, in one transaction.
- **PostgreSQL**: ``pg_dump --format=custom`` and ``pg_restore``, found on PATH or in
  ``PG_BIN_DIR``. They get the connection as libpq reads it from the environment
  (``PGHOST``, ``PGUSER``, ``PGPASSWORD``, …): a password on a command line is visible to
  every user of the machine in ``ps``. Restore moves the old ``public`` schema aside, restores
  into a new one in one transaction, and drops the old one only when that succeeded.

Restore refuses a database holding any row unless ``force``; a backup of an older schema is
migrated to the head revision afterwards, one of a newer schema is refused.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import gettext as _
from flask_migrate import upgrade

from bimtek.audit.services import record
from bimtek.backup import archive
from bimtek.backup.archive import BackupError, Manifest
from bimtek.extensions import db, migrate

#: URL query options libpq also reads from the environment (psycopg passes them to libpq)
LIBPQ_OPTIONS = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslpassword": "PGSSLPASSWORD",
    "channel_binding": "PGCHANNELBINDING",
    "gssencmode": "PGGSSENCMODE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
}
#: inherited variables that would point the programs at another server or database
INHERITED_TARGET = ("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD")
#: where restore keeps the schema it replaces until the new one is in
SET_ASIDE = "bimtek_before_restore"


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    #: the backup's revision when it was migrated to head after the restore, else None
    migrated_from: str | None
    revision: str


def current_revision() -> str | None:
    """The Alembic revision of the app's database (None: never migrated)."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.get_config())


def database_is_empty() -> bool:
    """No table of the app's database holds a row (Alembic's own table aside)."""
    with db.engine.connect() as connection:
        for name in sa.inspect(connection).get_table_names():
            if name == "alembic_version":
                continue
            if connection.execute(sa.select(sa.literal(1)).select_from(sa.table(name))).first():
                return False
    return True


def _database_kind() -> str:
    kind = db.engine.dialect.name
    if kind not in archive.PAYLOADS:
        raise BackupError(
            _("Basis data %(kind)s tidak didukung untuk cadangan.", kind=kind),
            code="backup_unsupported_database",
        )
    return kind


def make_backup(path: Path, *, force: bool = False) -> Manifest:
    """Write a backup of the app's database to ``path`` (refuses an existing file unless
    ``force``). Reads only."""
    path = Path(path)
    kind = _database_kind()
    archive.check_target(path, force=force)
    revision = current_revision()
    if revision is None:
        raise BackupError(
            _("Basis data belum berisi skema Bimtek (jalankan flask init-db)."),
            code="backup_no_schema",
        )
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".bimtek-backup-") as folder:
        payload = Path(folder) / archive.PAYLOADS[kind]
        if kind == "sqlite":
            _copy_sqlite(payload)
        else:
            _dump_postgres(payload)
        return archive.write_archive(
            path, database=kind, alembic_revision=revision, payload=payload, force=force
        )


def restore_backup(
    path: Path, *, force: bool = False, actor=None, channel: str = "cli"
) -> Restored:
    """Replace the app's database with the backup at ``path``, then migrate it to head.

    Refuses, before anything is changed: a file that is not a whole backup, a backup of the
    other database kind or of a newer schema, and a database holding rows unless ``force``.
    Stop the app servers and workers first. The caller commits (the audit record)."""
    path = Path(path)
    kind = _database_kind()
    manifest = archive.read_manifest(path)
    scripts = _scripts()
    _refuse_unless_restorable(manifest, kind, scripts)
    db.session.remove()
    if not force and not database_is_empty():
        raise BackupError(
            _(
                "Basis data tujuan sudah berisi data. Pemulihan akan menggantinya seluruhnya; "
                "tambahkan --force bila memang itu yang dimaksud."
            ),
            code="restore_target_not_empty",
        )
    program = postgres_program("pg_restore") if kind == "postgresql" else None
    with tempfile.TemporaryDirectory(prefix="bimtek-restore-") as folder:
        payload = archive.extract_payload(path, manifest, Path(folder))
        if kind == "sqlite":
            _restore_sqlite(path, payload)
        else:
            _restore_postgres(program, payload)
    db.engine.dispose()
    head = scripts.get_current_head()
    migrated_from = None
    if manifest.alembic_revision != head:
        upgrade()
        migrated_from = manifest.alembic_revision
    record(
        "backup.restore",
        actor=actor,
        channel=channel,
        details={
            "file": path.name,
            "created_at": manifest.created_at,
            "sha256": manifest.payload_sha256,
            "revision": manifest.alembic_revision,
            "migrated_to": head if migrated_from else None,
        },
    )
    db.session.flush()
    return Restored(manifest, migrated_from, head)


def _refuse_unless_restorable(manifest: Manifest, kind: str, scripts: ScriptDirectory) -> None:
    """A backup of the same database kind, of a schema revision this code knows."""
    if manifest.database != kind:
        raise BackupError(
            _(
                "Berkas ini cadangan basis data %(backup)s; aplikasi memakai %(ours)s. "
                "Cadangan hanya dapat dipulihkan ke jenis basis data yang sama.",
                backup=archive.database_name(manifest.database),
                ours=archive.database_name(kind),
            ),
            code="backup_wrong_database",
        )
    if manifest.alembic_revision not in {script.revision for script in scripts.walk_revisions()}:
        raise BackupError(
            _(
                "Cadangan ini dibuat oleh versi Bimtek yang lebih baru (revisi skema "
                "%(revision)s tidak dikenal). Perbarui aplikasi dulu, lalu pulihkan.",
                revision=manifest.alembic_revision,
            ),
            code="backup_newer_schema",
        )


def _copy_sqlite(target: Path) -> None:
    source = db.engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            source.driver_connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
    finally:
        source.close()


def _restore_sqlite(path: Path, payload: Path) -> None:
    db.engine.dispose()
    target = db.engine.raw_connection()
    try:
        source = sqlite3.connect(payload)
        try:
            source.backup(target.driver_connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(
                _(
                    "Salinan SQLite di %(path)s tidak dapat dibaca: %(error)s",
                    path=path,
                    error=error,
                ),
                code="backup_corrupt",
            ) from None
        finally:
            source.close()
    finally:
        target.close()


def postgres_program(name: str) -> str:
    """The path of PostgreSQL's client program ``name`` (pg_dump, pg_restore): in
    ``PG_BIN_DIR`` when set, else on PATH."""
    folder = current_app.config.get("PG_BIN_DIR")
    found = shutil.which(name, path=folder) if folder else shutil.which(name)
    if found:
        return found
    where = _("di %(folder)s (PG_BIN_DIR)", folder=folder) if folder else _("di PATH")
    raise BackupError(
        _(
            "Program %(program)s tidak ditemukan %(where)s. Pasang klien PostgreSQL "
            "(apt-get install postgresql-client, versi server atau lebih baru) atau atur "
            "BIMTEK_PG_BIN_DIR ke foldernya.",
            program=name,
            where=where,
        ),
        code="backup_tool_missing",
    )


def libpq_environment(url) -> dict[str, str]:
    """The environment variables that tell libpq (pg_dump, pg_restore) where to connect and
    as whom, from a SQLAlchemy URL; nothing of it goes on a command line."""
    url = sa.engine.make_url(url)
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    for option, value in url.query.items():
        if option not in LIBPQ_OPTIONS:
            raise BackupError(
                _(
                    "Opsi koneksi %(option)s pada alamat basis data tidak dapat diteruskan ke "
                    "pg_dump/pg_restore.",
                    option=option,
                ),
                code="backup_unsupported_option",
            )
        values[LIBPQ_OPTIONS[option]] = value if isinstance(value, str) else value[-1]
    return {name: value for name, value in values.items() if value}


def pg_dump_arguments(program: str, target) -> list[str]:
    """pg_dump's command line (the database comes from ``PGDATABASE``)."""
    return [program, "--format=custom", f"--file={target}"]


def pg_restore_arguments(program: str, url, source) -> list[str]:
    """pg_restore's command line: all in one transaction, stop at the first error; tables
    owned by the user restoring, whoever owned them where the backup was made."""
    return [
        program,
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        f"--dbname={sa.engine.make_url(url).database}",
        str(source),
    ]


def _run(arguments: list[str]) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in INHERITED_TARGET}
    environment.update(libpq_environment(db.engine.url))
    done = subprocess.run(arguments, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _(
                "%(program)s gagal (kode %(code)s): %(error)s",
                program=Path(arguments[0]).name,
                code=done.returncode,
                error=done.stderr.strip()[-2000:],
            ),
            code="backup_tool_failed",
        )


def _dump_postgres(target: Path) -> None:
    _run(pg_dump_arguments(postgres_program("pg_dump"), target))


def _restore_postgres(program: str, payload: Path) -> None:
    db.engine.dispose()
    with db.engine.begin() as connection:
        schemas = set(sa.inspect(connection).get_schema_names())
        if SET_ASIDE in schemas:
            raise BackupError(
                _(
                    "Skema %(schema)s tertinggal dari pemulihan sebelumnya yang terputus; "
                    "periksa isinya, hapus (DROP SCHEMA %(schema)s CASCADE), lalu ulangi.",
                    schema=SET_ASIDE,
                ),
                code="restore_leftover_schema",
            )
        if "public" in schemas:
            connection.execute(sa.text(f"ALTER SCHEMA public RENAME TO {SET_ASIDE}"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    try:
        _run(pg_restore_arguments(program, db.engine.url, payload))
    except BackupError:
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            if "public" in schemas:
                connection.execute(sa.text(f"ALTER SCHEMA {SET_ASIDE} RENAME TO public"))
        raise
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SET_ASIDE} CASCADE"))

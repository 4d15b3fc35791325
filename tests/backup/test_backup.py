"""``flask backup`` / ``flask restore``: what a backup file says it is, what restore refuses
(a missing, truncated or changed file, another database kind, a newer schema, a database
that is not empty), and how the PostgreSQL client programs are found and given the password."""

import hashlib
import json
import os
import shutil
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import has_app_context

from bimtek.audit.models import AuditLog
from bimtek.backup import archive, services
from bimtek.backup.archive import BackupError
from bimtek.events.models import Event
from bimtek.extensions import db, migrate
from tests import factories
from tests.backup.conftest import app_on
from tests.conftest import POSTGRES_URL


def head_revision() -> str:
    return ScriptDirectory.from_config(migrate.get_config()).get_current_head()


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def event_codes() -> set[str]:
    return set(db.session.scalars(sa.select(Event.code)))


def refused(code: str, call, *args, **kwargs) -> BackupError:
    with pytest.raises(BackupError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    if has_app_context():
        db.session.rollback()
    return caught.value


def rewrite(source, target, *, manifest=None, payload=None) -> None:
    """Copy the backup ``source`` to ``target``, replacing its manifest fields or payload."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == archive.MANIFEST and manifest:
                data = json.dumps({**json.loads(data), **manifest}).encode()
            elif item.filename != archive.MANIFEST and payload:
                data = payload(data)
            new.writestr(item, data)


def test_a_backup_says_what_it_is(app, tmp_path):
    factories.make_event()
    folder = tmp_path / "backups"
    folder.mkdir()
    path = folder / "bimtek.backup"
    before = datetime.now(UTC)
    manifest = services.make_backup(path)

    assert archive.read_manifest(path) == manifest
    assert manifest.format == "bimtek-backup" and manifest.format_version == 1
    assert manifest.database == db.engine.dialect.name
    assert manifest.alembic_revision == current_revision() == head_revision()
    created = datetime.fromisoformat(manifest.created_at)
    assert before - timedelta(seconds=1) <= created <= datetime.now(UTC)
    with zipfile.ZipFile(path) as stored:
        assert stored.namelist() == [archive.MANIFEST, manifest.payload]
        written = json.loads(stored.read(archive.MANIFEST))
        payload = stored.read(manifest.payload)
    assert written["format"] == "bimtek-backup" and written["database"] == manifest.database
    assert hashlib.sha256(payload).hexdigest() == manifest.payload_sha256 == written["sha256"]
    assert len(payload) == manifest.payload_bytes
    assert path.stat().st_mode & 0o077 == 0  # personal data: for the owner's eyes only
    assert list(folder.iterdir()) == [path]  # no temporary file left next to it


def test_a_backup_replaces_an_existing_file_only_when_forced(app, tmp_path):
    path = tmp_path / "bimtek.backup"
    path.write_bytes(b"yesterday's backup")
    error = refused("backup_exists", services.make_backup, path)
    assert str(path) in error.message
    assert path.read_bytes() == b"yesterday's backup"
    services.make_backup(path, force=True)
    assert archive.read_manifest(path).database == db.engine.dialect.name


def test_a_backup_into_a_missing_folder_is_refused(app, tmp_path):
    refused("backup_folder_missing", services.make_backup, tmp_path / "nowhere" / "b.backup")


@pytest.mark.parametrize(
    "content",
    [b"", b"not a backup at all", b"PK\x03\x04 a zip that stops here"],
    ids=["empty", "text", "zip-header-only"],
)
def test_restore_refuses_a_file_that_is_no_backup(app, tmp_path, content):
    path = tmp_path / "something.backup"
    path.write_bytes(content)
    refused("backup_unreadable", services.restore_backup, path)


def test_restore_refuses_a_zip_of_something_else(app, tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as other:
        other.writestr("photo.jpg", b"\xff\xd8\xff")
    refused("backup_unreadable", services.restore_backup, path)
    with zipfile.ZipFile(path, "w") as other:
        other.writestr(archive.MANIFEST, json.dumps({"format": "something-else"}))
    refused("backup_unreadable", services.restore_backup, path)
    with zipfile.ZipFile(path, "w") as other:
        other.writestr(archive.MANIFEST, b"{not json")
    refused("backup_unreadable", services.restore_backup, path)


def test_restore_refuses_a_missing_file(app, tmp_path):
    error = refused("backup_not_found", services.restore_backup, tmp_path / "gone.backup")
    assert "gone.backup" in error.message


def test_restore_refuses_a_truncated_file(app, tmp_path):
    factories.make_event()
    path = tmp_path / "bimtek.backup"
    services.make_backup(path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 1, 100):
        truncated = tmp_path / f"cut-{cut}.backup"
        truncated.write_bytes(data[:cut])
        error = refused("backup_unreadable", services.restore_backup, truncated)
        assert str(truncated) in error.message
    assert event_codes() == {"UJI24"}


def test_restore_refuses_a_changed_payload(app, tmp_path):
    factories.make_event()
    path, changed = tmp_path / "bimtek.backup", tmp_path / "changed.backup"
    services.make_backup(path)

    def flip_a_byte(data: bytes) -> bytes:
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    rewrite(path, changed, payload=flip_a_byte)
    error = refused("backup_corrupt", services.restore_backup, changed, force=True)
    assert "SHA-256" in error.message
    assert event_codes() == {"UJI24"}


def test_restore_refuses_a_backup_of_the_other_database_kind(app, tmp_path):
    factories.make_event()
    ours = db.engine.dialect.name
    other = "postgresql" if ours == "sqlite" else "sqlite"
    payload = tmp_path / "payload"
    payload.write_bytes(b"a dump of the other kind")
    path = tmp_path / "other.backup"
    archive.write_archive(path, database=other, alembic_revision=head_revision(), payload=payload)
    error = refused("backup_wrong_database", services.restore_backup, path, force=True)
    assert "SQLite" in error.message and "PostgreSQL" in error.message
    assert event_codes() == {"UJI24"}


def test_a_copy_that_is_no_database_leaves_the_target_as_it_was(app, tmp_path):
    """The manifest and SHA-256 agree, but the copy inside is not a database: the restore
    fails inside the database's own tools and the target keeps its rows."""
    factories.make_event()
    payload = tmp_path / "payload"
    payload.write_bytes(b"not a database " * 1000)
    path = tmp_path / "garbage.backup"
    kind = db.engine.dialect.name
    archive.write_archive(path, database=kind, alembic_revision=head_revision(), payload=payload)
    code = "backup_corrupt" if kind == "sqlite" else "backup_tool_failed"
    refused(code, services.restore_backup, path, force=True)
    assert event_codes() == {"UJI24"}
    assert current_revision() == head_revision()
    assert "bimtek_before_restore" not in sa.inspect(db.engine).get_schema_names()


def test_restore_refuses_a_backup_of_a_newer_schema(app, tmp_path):
    path, newer = tmp_path / "bimtek.backup", tmp_path / "newer.backup"
    services.make_backup(path)
    rewrite(path, newer, manifest={"alembic_revision": "9999_from_the_future"})
    error = refused("backup_newer_schema", services.restore_backup, newer, force=True)
    assert "9999_from_the_future" in error.message


def test_restore_refuses_a_database_that_is_not_empty(app, tmp_path):
    factories.make_event()
    path = tmp_path / "bimtek.backup"
    services.make_backup(path)
    factories.make_event("LAIN24")
    error = refused("restore_target_not_empty", services.restore_backup, path)
    assert "--force" in error.message
    assert event_codes() == {"UJI24", "LAIN24"}


def test_restore_with_force_replaces_what_is_there(fresh_database, tmp_path):
    path = tmp_path / "bimtek.backup"
    with app_on(fresh_database("src", template=True), tmp_path / "src", migrated=True):
        factories.make_event("ASAL24")
        manifest = services.make_backup(path)
    with app_on(fresh_database("dst", template=True), tmp_path / "dst", migrated=True):
        factories.make_event("LAMA24")
        refused("restore_target_not_empty", services.restore_backup, path)
        restored = services.restore_backup(path, force=True)
        db.session.commit()
        assert restored.manifest == manifest and restored.migrated_from is None
        assert event_codes() == {"ASAL24"}
        entry = db.session.scalars(
            sa.select(AuditLog).where(AuditLog.action == "backup.restore")
        ).one()
        assert entry.channel == "cli"
        assert entry.details["sha256"] == manifest.payload_sha256
        assert entry.details["created_at"] == manifest.created_at


def test_a_migrated_database_without_rows_counts_as_empty(fresh_database, tmp_path):
    path = tmp_path / "bimtek.backup"
    with app_on(fresh_database("src", template=True), tmp_path / "src", migrated=True):
        factories.make_event("ASAL24")
        services.make_backup(path)
    with app_on(fresh_database("dst", template=True), tmp_path / "dst", migrated=True):
        assert services.database_is_empty()
        services.restore_backup(path)
        db.session.commit()
        assert event_codes() == {"ASAL24"}
        assert not services.database_is_empty()


def test_restore_of_an_older_backup_migrates_to_head(fresh_database, tmp_path):
    path, source = tmp_path / "bimtek.backup", fresh_database("src")
    with app_on(source, tmp_path / "src"):
        script = ScriptDirectory.from_config(migrate.get_config())
        older = script.get_revision(script.get_current_head()).down_revision
    with app_on(source, tmp_path / "src", migrated=True, revision=older):
        assert current_revision() == older
        manifest = services.make_backup(path)
    assert manifest.alembic_revision == older
    with app_on(fresh_database("dst"), tmp_path / "dst"):
        restored = services.restore_backup(path)
        db.session.commit()
        assert restored.migrated_from == older
        assert current_revision() == head_revision()
        factories.make_event("BARU24")  # the schema is the models' again
        assert event_codes() == {"BARU24"}


def test_a_database_without_the_schema_has_nothing_to_back_up(fresh_database, tmp_path):
    with app_on(fresh_database("src"), tmp_path / "src"):
        refused("backup_no_schema", services.make_backup, tmp_path / "b.backup")
    assert not (tmp_path / "b.backup").exists()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BIMTEK_TEST_DATABASE_URL (PostgreSQL)")
def test_a_schema_left_by_an_interrupted_restore_stops_the_next(fresh_database, tmp_path):
    path = tmp_path / "bimtek.backup"
    with app_on(fresh_database("src"), tmp_path / "src", migrated=True):
        factories.make_event("ASAL24")
        services.make_backup(path)
    with app_on(fresh_database("dst"), tmp_path / "dst", migrated=True):
        factories.make_event("LAMA24")
        with db.engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {services.SET_ASIDE}"))
        error = refused("restore_leftover_schema", services.restore_backup, path, force=True)
        assert services.SET_ASIDE in error.message
        assert event_codes() == {"LAMA24"}


def test_the_commands(runner, app, tmp_path):
    factories.make_event()
    path = tmp_path / "bimtek.backup"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    manifest = archive.read_manifest(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert str(path) in made.output and digest in made.output
    assert manifest.alembic_revision in made.output

    again = runner.invoke(args=["backup", str(path)])
    assert again.exit_code == 1 and "--force" in again.output

    over = runner.invoke(args=["restore", str(path)])
    assert over.exit_code == 1 and "--force" in over.output
    truncated = tmp_path / "cut.backup"
    truncated.write_bytes(path.read_bytes()[:200])
    cut = runner.invoke(args=["restore", "--force", str(truncated)])
    assert cut.exit_code == 1 and str(truncated) in cut.output
    assert event_codes() == {"UJI24"}


def test_missing_postgresql_client_programs_are_named(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    for program in ("pg_dump", "pg_restore"):
        error = refused("backup_tool_missing", services.postgres_program, program)
        assert program in error.message and "postgresql-client" in error.message


def test_the_postgresql_bin_folder_is_looked_in_first(app, tmp_path, monkeypatch):
    found = shutil.which("pg_dump")
    if found is None:
        pytest.skip("pg_dump is not installed here")
    monkeypatch.setenv("PATH", str(tmp_path))
    app.config["PG_BIN_DIR"] = str(tmp_path / "missing")
    error = refused("backup_tool_missing", services.postgres_program, "pg_dump")
    assert str(tmp_path / "missing") in error.message
    app.config["PG_BIN_DIR"] = str(os.path.dirname(found))
    assert services.postgres_program("pg_dump") == found


def test_the_password_goes_to_libpq_through_the_environment():
    url = "postgresql+psycopg://bimtek:s3cr%40t@db.example:5433/bimtek_prod?sslmode=require"
    environment = services.libpq_environment(url)
    assert environment == {
        "PGHOST": "db.example",
        "PGPORT": "5433",
        "PGUSER": "bimtek",
        "PGPASSWORD": "s3cr@t",
        "PGDATABASE": "bimtek_prod",
        "PGSSLMODE": "require",
    }
    for arguments in (
        services.pg_dump_arguments("/usr/bin/pg_dump", "/tmp/dump"),
        services.pg_restore_arguments("/usr/bin/pg_restore", url, "/tmp/dump"),
    ):
        assert not any("s3cr" in argument for argument in arguments)
        assert not any("bimtek:" in argument for argument in arguments)
    assert services.libpq_environment("postgresql://postgres@127.0.0.1/bimtek") == {
        "PGHOST": "127.0.0.1",
        "PGUSER": "postgres",
        "PGDATABASE": "bimtek",
    }


def test_an_unknown_connection_option_is_refused():
    url = "postgresql://postgres@127.0.0.1/bimtek?surprise=1"
    error = refused("backup_unsupported_option", services.libpq_environment, url)
    assert "surprise" in error.message

"""``flask --app bimtek backup PATH`` and ``flask --app bimtek restore PATH``."""

from pathlib import Path

import click
from flask_babel import gettext as _

from bimtek.backup import archive
from bimtek.backup.services import make_backup, restore_backup
from bimtek.core.commands import fail
from bimtek.errors import ServiceError
from bimtek.extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing file at PATH.")
def backup_command(path, force):
    """Write a backup of the whole database to PATH (SQLite: its online backup API;
    PostgreSQL: pg_dump). The signing key and SECRET_KEY are not inside: keep them apart."""
    try:
        manifest = make_backup(path, force=force)
    except ServiceError as error:
        fail(error)
    size, sha256 = archive.file_digest(path)
    click.echo(
        _(
            "Cadangan %(database)s ditulis: %(path)s",
            database=archive.database_name(manifest.database),
            path=path,
        )
    )
    click.echo(f"  {size} bytes, sha256 {sha256}")
    click.echo(
        _(
            "  revisi skema %(revision)s, dibuat %(created)s",
            revision=manifest.alembic_revision,
            created=manifest.created_at,
        )
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(path, force):
    """Replace the database with the backup at PATH, then migrate it to the current schema.
    Stop the app servers and workers first. A database holding data is replaced only with
    --force."""
    try:
        restored = restore_backup(path, force=force, channel="cli")
    except ServiceError as error:
        db.session.rollback()
        fail(error)
    db.session.commit()
    manifest = restored.manifest
    click.echo(
        _(
            "Dipulihkan dari %(path)s (cadangan %(database)s, dibuat %(created)s).",
            path=path,
            database=archive.database_name(manifest.database),
            created=manifest.created_at,
        )
    )
    if restored.migrated_from:
        click.echo(
            _(
                "Skema dinaikkan dari revisi %(old)s ke %(new)s.",
                old=restored.migrated_from,
                new=restored.revision,
            )
        )


def register(cli) -> None:
    """Add the backup commands to the ``flask`` command group."""
    cli.add_command(backup_command)
    cli.add_command(restore_command)

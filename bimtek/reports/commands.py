"""``flask --app bimtek import-participants CODE FILE.xlsx [--dry-run]``."""

from pathlib import Path

import click
from flask_babel import gettext as _

from bimtek.errors import InvalidInput, ServiceError
from bimtek.events.services import get_event
from bimtek.extensions import db
from bimtek.participants import importing


@click.command("import-participants")
@click.argument("code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report every row; save nothing.")
def import_participants_command(code, path, dry_run):
    """Import participants of event CODE from an .xlsx file, with a row-by-row report.

    Only the valid rows are imported (all of them or, if one fails, none); capacity and the
    waitlist apply as in self-registration.
    """
    try:
        event = get_event(code)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    data = path.read_bytes()
    limit = importing.import_max_bytes()
    if len(data) > limit:
        raise click.ClickException(
            _(
                "Berkas terlalu besar (%(size).1f MB); batas %(limit).0f MB.",
                size=len(data) / 1048576,
                limit=limit / 1048576,
            )
        )
    try:
        report = importing.preview_import(event, data)
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    for line in importing.format_report(report):
        click.echo(line)
    if dry_run:
        click.echo(_("Uji coba (--dry-run): tidak ada yang disimpan."))
        return
    if not report.valid:
        raise click.ClickException(_("Tidak ada baris yang valid; tidak ada yang diimpor."))
    try:
        result = importing.import_participants(event, report, channel="cli", filename=path.name)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        _(
            "Diimpor %(n)s peserta: %(registered)s terdaftar, %(waitlisted)s daftar tunggu; "
            "%(skipped)s baris bermasalah dilewati.",
            n=result.registered + result.waitlisted,
            registered=result.registered,
            waitlisted=result.waitlisted,
            skipped=result.skipped,
        )
    )


def register(cli) -> None:
    """Add the reports commands to the ``flask`` command group."""
    cli.add_command(import_participants_command)

"""Assessment commands: ``close-expired-attempts``, ``seed-questions``, ``import-questions``."""

from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from bimtek.assessments import attempts, excel
from bimtek.assessments.demo import load_demo_questions, simulate_demo_attempts
from bimtek.core.commands import fail
from bimtek.errors import ServiceError
from bimtek.events.services import get_event
from bimtek.extensions import db


@click.command("close-expired-attempts")
def close_expired_attempts():
    """Close every test attempt whose deadline has passed, scoring what was answered."""
    closed = attempts.close_expired_attempts()
    db.session.commit()
    click.echo(
        ngettext(
            "%(num)d percobaan yang lewat batas waktunya ditutup.",
            "%(num)d percobaan yang lewat batas waktunya ditutup.",
            closed,
        )
    )


@click.command("seed-questions")
@click.argument("code", default="KUTIM24")
@click.option("--simulate/--no-simulate", default=False, help="Also add simulated attempts.")
def seed_questions(code, simulate):
    """Load the demo question bank (M1–M3) and pre/post tests into event CODE. Safe to rerun."""
    try:
        event = get_event(code)
    except ServiceError as error:
        fail(error)
    added = load_demo_questions(event)
    made = simulate_demo_attempts(event) if simulate else 0
    db.session.commit()
    click.echo(
        _(
            "%(code)s: %(added)d soal ditambahkan, %(made)d percobaan simulasi.",
            code=event.code,
            added=added,
            made=made,
        )
    )


@click.command("import-questions")
@click.argument("code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if some fail.")
def import_questions(code, path, valid_only):
    """Add questions to event CODE's bank from an .xlsx (the template's layout).

    Nothing is saved when a row fails, unless --valid-only; every failing row is listed.
    """
    try:
        event = get_event(code)
        report = excel.import_questions(
            event, path.read_bytes(), valid_only=valid_only, channel="cli"
        )
    except ServiceError as error:
        db.session.rollback()
        fail(error)
    for problem in report.problems:
        click.echo(
            _(
                "Baris %(row)d, %(column)s: %(reason)s",
                row=problem.row,
                column=problem.column,
                reason=problem.reason,
            )
        )
    if report.problems and not report.imported:
        db.session.rollback()
        raise click.ClickException(_("Ada baris bermasalah; tidak ada soal yang disimpan."))
    db.session.commit()
    click.echo(
        ngettext(
            "%(imported)d soal diimpor dari %(num)d baris.",
            "%(imported)d soal diimpor dari %(num)d baris.",
            report.rows,
            imported=report.imported,
        )
    )


def register(cli):
    cli.add_command(close_expired_attempts)
    cli.add_command(seed_questions)
    cli.add_command(import_questions)

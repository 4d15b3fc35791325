"""``flask attendance …``: print the documents and the counts from the command line."""

import click
import sqlalchemy as sa

from bimtek.attendance.pdf import badges_pdf, sign_in_sheet_pdf
from bimtek.attendance.queries import session_attendance, session_counts
from bimtek.attendance.scan_targets import load_session
from bimtek.core.commands import fail
from bimtek.errors import ServiceError
from bimtek.events.services import get_event
from bimtek.extensions import db
from bimtek.participants.models import Participant


@click.group("attendance")
def attendance_cli():
    """Kehadiran: daftar hadir, kartu peserta, rekap."""


@attendance_cli.command("sheet")
@click.argument("session_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
def sheet(session_id, output):
    """Write the daftar hadir PDF of a session."""

    try:
        session = load_session(session_id)
    except ServiceError as error:
        fail(error)
    with open(output, "wb") as handle:
        handle.write(sign_in_sheet_pdf(session, session_attendance(session)).read())
    click.echo(f"Daftar hadir sesi {session_id} ditulis ke {output}")


@attendance_cli.command("badges")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
def badges(code, output):
    """Write the name badges (8 per A4 page) of an event's registered participants."""

    try:
        event = get_event(code)
    except ServiceError as error:
        fail(error)
    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "registered")
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    with open(output, "wb") as handle:
        handle.write(badges_pdf(event, people).read())
    click.echo(f"{len(people)} kartu peserta ditulis ke {output}")


@attendance_cli.command("summary")
@click.argument("code")
def summary(code):
    """Print each session's counts: checked in / expected, late, izin, sakit, alpa."""

    try:
        event = get_event(code)
    except ServiceError as error:
        fail(error)
    for session in event.sessions:
        c = session_counts(session)
        start = session.local_start
        click.echo(
            f"{session.id:>4} {start:%d/%m %H:%M} {session.title[:40]:<40} "
            f"{c['checked_in']:>4}/{c['expected']:<4} terlambat {c['terlambat']:>3} "
            f"izin {c['izin']:>3} sakit {c['sakit']:>3} alpa {c['alpa']:>3}"
        )


def register(cli) -> None:
    cli.add_command(attendance_cli)

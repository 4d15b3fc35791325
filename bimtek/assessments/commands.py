"""Assessment commands: ``flask --app bimtek close-expired-attempts`` and ``seed-questions``."""

import click

from bimtek.cli import fail
from bimtek.errors import ServiceError
from bimtek.extensions import db


@click.command("close-expired-attempts")
def close_expired_attempts():
    """Close every test attempt whose deadline has passed, scoring what was answered."""
    from bimtek.assessments.services import close_expired_attempts as close

    closed = close()
    db.session.commit()
    click.echo(f"Closed {closed} attempt(s) past their deadline.")


@click.command("seed-questions")
@click.argument("code", default="KUTIM24")
@click.option("--simulate/--no-simulate", default=False, help="Also add simulated attempts.")
def seed_questions(code, simulate):
    """Load the demo question bank (M1–M3) and pre/post tests into event CODE. Safe to rerun."""
    from bimtek.assessments.demo import load_demo_questions, simulate_demo_attempts
    from bimtek.events.services import get_event

    try:
        event = get_event(code)
    except ServiceError as error:
        fail(error)
    added = load_demo_questions(event)
    made = simulate_demo_attempts(event) if simulate else 0
    db.session.commit()
    click.echo(f"{event.code}: {added} question(s) added, {made} simulated attempt(s).")


def register(cli):
    cli.add_command(close_expired_attempts)
    cli.add_command(seed_questions)

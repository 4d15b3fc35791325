"""Flask commands: ``flask --app bimtek <command>``. They call services and commit once."""

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask_migrate import upgrade

from bimtek.assessments import commands as assessments_commands
from bimtek.attendance import commands as attendance_commands
from bimtek.auth import services
from bimtek.auth.models import User
from bimtek.auth.tokens import tokens_of
from bimtek.backup import commands as backup_commands
from bimtek.certificates import commands as certificates_commands
from bimtek.core.commands import fail
from bimtek.demo import load_demo, load_demo_staff, load_second_batch
from bimtek.errors import ServiceError
from bimtek.events.services import get_event
from bimtek.extensions import db
from bimtek.jobs.commands import worker
from bimtek.participants.accounts import issue_activation_code
from bimtek.participants.models import Participant
from bimtek.reports import commands as reports_commands
from bimtek.staff import commands as staff_commands
from bimtek.staff.assignments import assign_staff


def register_cli(app: Flask) -> None:
    """The install-wide commands and each domain's group."""
    for command in (init_db, seed_demo, create_user, create_token, reset_password, worker):
        app.cli.add_command(command)
    for domain in (
        attendance_commands,
        assessments_commands,
        backup_commands,
        certificates_commands,
        reports_commands,
        staff_commands,
    ):
        domain.register(app.cli)


@click.command("init-db")
def init_db():
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("seed-demo")
@click.option(
    "--participants",
    default=60,
    show_default=True,
    help="How many fictional participants to register in Angkatan I.",
)
@click.option("--admin-email", default="admin@bimtek.local", show_default=True)
def seed_demo(participants, admin_email):
    """Load both demo batches of the Kutai Timur Bimtek, an admin, and a manager and a
    panitia per batch. Safe to run again: nothing doubles, no password changes."""

    first, first_created = load_demo(participant_count=participants)
    second, second_created = load_second_batch()
    admin = db.session.scalar(sa.select(User).where(User.role == "admin").order_by(User.id))
    admin_password = None
    if admin is None:
        admin, admin_password = services.create_user(
            admin_email, role="admin", full_name="Admin Bimtek"
        )
    staff = load_demo_staff([first, second])
    db.session.commit()

    for event, created, note in (
        (first, first_created, "Angkatan I, finished"),
        (second, second_created, "Angkatan II, open for registration"),
    ):
        state = "loaded" if created else "already present"
        click.echo(
            f"Demo event {state}: {event.code} — {note}, {event.start_date:%d %b %Y} "
            f"at {event.place}"
        )
    logins = [("admin", "every event", admin, admin_password)] + [
        (right, event.code, user, password) for right, event, user, password in staff
    ]
    fresh = [login for login in logins if login[3]]
    if fresh:
        click.echo("")
        click.echo("  Staff logins (one-time passwords, shown once; change at first login):")
        for right, scope, user, password in fresh:
            click.echo(f"    {right:<8} {scope:<11} {user.email:<32} password: {password}")
    existing = [login for login in logins if not login[3]]
    if existing:
        click.echo("")
        click.echo("  Staff accounts already there (passwords unchanged):")
        for right, scope, user, _password in existing:
            click.echo(f"    {right:<8} {scope:<11} {user.email}")
        click.echo("  Forgot a password? flask --app bimtek reset-password EMAIL")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "manager", "panitia"]), required=True)
@click.option("--event", "event_code", default=None, help="Event code (manager and panitia).")
@click.option("--name", default="", help="Full name shown in the audit log.")
def create_user(email, role, event_code, name):
    """Create a staff account and print its one-time password.

    ``--role admin`` is the install-wide administrator; ``manager`` and ``panitia`` hold
    their right in the one event given with ``--event``.
    """

    if role != "admin" and not event_code:
        raise click.UsageError("--event CODE is required for a manager or panitia.")
    if role == "admin" and event_code:
        raise click.UsageError("An admin has every event; leave out --event.")
    try:
        event = get_event(event_code) if event_code else None
        user, password = services.create_user(
            email, role="admin" if role == "admin" else "staff", full_name=name
        )
        if event is not None:
            assign_staff(event, user, role, channel="cli")
    except ServiceError as error:
        fail(error)
    db.session.commit()
    where = f" of {event.code}" if event is not None else ""
    click.echo(f"Created {role}{where} {user.email}; one-time password: {password}")


@click.command("reset-password")
@click.argument("login")
@click.option(
    "--keep-tokens",
    is_flag=True,
    help="Staff: leave their API tokens working (by default a reset revokes them).",
)
def reset_password(login, keep_tokens):
    """Staff (LOGIN is an email): print a new one-time password; their sessions end and
    their API tokens are revoked (unless --keep-tokens). Participants (LOGIN is a NIK):
    print a one-time activation code and link, with which they choose a password
    themselves (as a manager's code from the participant's page)."""

    if "@" not in login:
        return _participant_activation_code(login)
    try:
        user = services.user_by_email(login)
    except ServiceError as error:
        fail(error)
    live = 0 if keep_tokens else sum(token.revoked_at is None for token in tokens_of(user))
    password = services.reset_password(user, revoke_tokens=not keep_tokens)
    db.session.commit()
    click.echo(f"New one-time password for {user.email}: {password}")
    if live:
        click.echo(f"{live} API token(s) revoked.")


def _participant_activation_code(nik: str) -> None:

    digits = "".join(ch for ch in nik if ch.isdigit())
    participant = db.session.scalar(
        sa.select(Participant)
        .where(Participant.nik == digits, Participant.user_id.is_not(None))
        .order_by(Participant.created_at.desc())
        .limit(1)
    )
    if participant is None:
        raise click.ClickException(f"No participant account with NIK {nik}.")
    try:
        issued, code = issue_activation_code(participant, actor=None, channel="cli")
    except ServiceError as error:
        fail(error)
    db.session.commit()
    base = (current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    click.echo(f"One-time activation code for {participant.full_name} (NIK {digits}): {code}")
    click.echo(f"Link: {base}/akun/aktivasi?kode={code}")
    click.echo(f"Valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC, once.")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="scanner", show_default=True, help="What the token is for.")
def create_token(email, name):
    """Print a new API token for a staff member, once. Only its hash is stored."""

    try:
        user = services.user_by_email(email)
        _token, plain = services.issue_api_token(user, name)
    except ServiceError as error:
        fail(error)
    db.session.commit()
    click.echo(plain)

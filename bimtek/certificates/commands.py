"""``flask --app bimtek issue-certificates CODE``: issue every eligible participant's
certificate, from a terminal or a scheduled job."""

import click
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from bimtek.certificates import signing
from bimtek.certificates.issuing import issue_all
from bimtek.certificates.rules import eligibility
from bimtek.core.commands import fail
from bimtek.errors import ServiceError
from bimtek.events.services import get_event
from bimtek.extensions import db


@click.command("issue-certificates")
@click.argument("code")
@click.option("--dry-run", is_flag=True, help="Only show who is eligible; issue nothing.")
def issue_certificates(code, dry_run):
    """Issue certificates to everyone eligible in event CODE (never twice)."""
    try:
        event = get_event(code)
        if dry_run:
            verdicts = eligibility(event)
            for verdict in verdicts:
                if verdict.certificate:
                    state = _("terbit %(number)s", number=verdict.certificate.number)
                elif verdict.eligible:
                    state = _("memenuhi syarat")
                else:
                    state = _("belum: %(reason)s", reason=verdict.reason)
                click.echo(f"{verdict.participant.full_name}: {state}")
            db.session.rollback()
            return
        outcome = issue_all(event, channel="cli")
    except ServiceError as error:
        db.session.rollback()
        fail(error)
    db.session.commit()
    if outcome.issued:
        click.echo(
            ngettext(
                "%(num)d sertifikat diterbitkan: %(first)s s.d. %(last)s",
                "%(num)d sertifikat diterbitkan: %(first)s s.d. %(last)s",
                len(outcome.issued),
                first=outcome.issued[0].number,
                last=outcome.issued[-1].number,
            )
        )
    else:
        click.echo(_("Tidak ada sertifikat baru."))
    click.echo(
        _(
            "Sudah terbit sebelumnya: %(already)s; belum memenuhi syarat: %(not_eligible)s",
            already=outcome.already,
            not_eligible=outcome.not_eligible,
        )
    )


@click.command("create-demo-signer")
@click.option("--force", is_flag=True, help="Replace an existing demo key.")
def create_demo_signer(force):
    """Create a DEMO CA and signing key in instance/demo-signer/ (for make run and trying out;
    never for real certificates)."""
    target = signing.demo_signer_path(current_app.instance_path)
    if target.exists() and not force:
        click.echo(_("Kunci demo sudah ada: %(path)s", path=target))
        return
    signing.create_demo_signer(target.parent)
    click.echo(_("Kunci penanda tangan DEMO dibuat: %(path)s", path=target))
    click.echo(
        _(
            "CA demo (untuk dipercaya di pembaca PDF): %(path)s",
            path=target.parent / signing.DEMO_CA,
        )
    )
    click.echo(
        _(
            'Pakai dengan: CERT_SIGNING_PKCS12 = "%(path)s"',
            path=f"{signing.DEMO_FOLDER}/{signing.DEMO_PKCS12}",
        )
    )


def register(cli) -> None:
    cli.add_command(issue_certificates)
    cli.add_command(create_demo_signer)

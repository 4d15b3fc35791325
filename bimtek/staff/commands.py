"""``flask --app bimtek revoke-token PREFIX_OR_ID``: stop a lost scanner's token at once."""

import click

from bimtek.auth import tokens
from bimtek.errors import ServiceError
from bimtek.extensions import db


@click.command("revoke-token")
@click.argument("prefix_or_id")
def revoke_token_command(prefix_or_id):
    """Revoke an API token, given its id or its prefix as listed (bmt_xxxxxxxx)."""

    try:
        token = tokens.find_token(prefix_or_id)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    if token.revoked_at is not None:
        click.echo(f"Token {token.prefix}… ({token.name}) was already revoked.")
        return
    tokens.revoke_api_token(token, actor=None, channel="cli")
    db.session.commit()
    click.echo(f"Revoked token {token.prefix}… ({token.name}) of {token.user.email}.")


def register(cli) -> None:
    cli.add_command(revoke_token_command)

"""What every domain's ``flask`` commands share."""

import click

from bimtek.errors import ServiceError


def fail(error: ServiceError):
    """End a command with the service's message (and its fields' messages) on stderr."""
    detail = "".join(f"\n  {field}: {message}" for field, message in error.fields.items())
    raise click.ClickException(error.message + detail)

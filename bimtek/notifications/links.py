"""What a message to a person needs from the request world: their language, absolute links."""

from flask import current_app, has_request_context, url_for

from bimtek.core.web import link_base, public_base_url
from bimtek.participants.models import Participant


def person_locale(participant: Participant) -> str:
    """The participant's language: their account's choice, else Indonesian."""
    locale = getattr(participant.user, "locale", None)
    return locale if locale in current_app.config["LANGUAGES"] else "id"


def public_url(endpoint: str, **values) -> str:
    """An absolute link on PUBLIC_BASE_URL, built in a request or in a job."""
    base = None
    if has_request_context():
        path = url_for(endpoint, **values)
        base = public_base_url()
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return link_base(base) + path

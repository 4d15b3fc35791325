"""Notifications: email to participants (through the job queue) and WhatsApp links.

Other domains never call this package: it listens to their signals
(``participants.signals``, ``certificates.signals``), connected in ``init_app``.
"""

import logging

from flask import Flask

from bimtek.certificates.signals import certificate_issued, served_certificate_resend
from bimtek.notifications import services
from bimtek.notifications.services import (
    on_account_link_requested,
    on_certificate_issued,
    on_promoted,
    on_registered,
    on_served_certificate_resend,
)
from bimtek.notifications.whatsapp import whatsapp_link
from bimtek.participants.signals import (
    account_link_requested,
    participant_promoted,
    participant_registered,
)


def init_app(app: Flask) -> None:

    participant_registered.connect(_registered)
    participant_promoted.connect(_promoted)
    certificate_issued.connect(_certificate_issued)
    served_certificate_resend.connect(_served_certificate_resend)
    account_link_requested.connect(_account_link_requested)
    app.jinja_env.globals["whatsapp_link"] = whatsapp_link
    if not app.config.get("MAIL_SERVER"):
        # no server: each message goes to the log, which `make run` must show
        app.logger.name  # noqa: B018  (Flask gives the "bimtek" logger its stderr handler)
        logging.getLogger("bimtek.mail").setLevel(logging.INFO)
    assert services.send_delivery  # the jobs are declared on import


def _registered(participant, **_kwargs):

    on_registered(participant)


def _promoted(participant, **_kwargs):

    on_promoted(participant)


def _certificate_issued(certificate, **_kwargs):

    on_certificate_issued(certificate)


def _served_certificate_resend(certificate, **_kwargs):

    on_served_certificate_resend(certificate)


def _account_link_requested(participant, **_kwargs):

    on_account_link_requested(participant)

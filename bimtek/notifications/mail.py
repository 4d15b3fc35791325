"""Sending one email through SMTP (Python's smtplib), or to the log when no server is set.

Why smtplib and not Flask-Mail/Flask-Mailman: every message is sent by a job that must
tell a refusal for good (a bounce: the server rejected the address) from a failure worth
retrying (server down, 4xx), and record either in the delivery log. smtplib raises exactly
those distinctions (``SMTPRecipientsRefused`` with the code, ``OSError``); the extensions
add a message class and a config layer we don't need, and hide the connection we need to
close per message. ``email.message.EmailMessage`` builds the plain text + HTML message
with attachments.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

logger = logging.getLogger("bimtek.mail")


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/pdf"


@dataclass
class Message:
    to: str
    subject: str
    text: str
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    #: stable id from the delivery key, so a receiving server can spot a duplicate
    message_id: str | None = None


class PermanentFailure(Exception):
    """The server refused the message for good (5xx for the recipient): a bounce."""


class TemporaryFailure(Exception):
    """The server is down, slow, or said to try later: retry."""


def build(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    email["Message-ID"] = (
        message.message_id and f"<{message.message_id}@{domain}>" or (make_msgid(domain=domain))
    )
    email.set_content(message.text)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    for item in message.attachments:
        maintype, subtype = item.mimetype.split("/", 1)
        email.add_attachment(
            item.content, maintype=maintype, subtype=subtype, filename=item.filename
        )
    return email


def send(message: Message) -> None:
    """Send now. Raises PermanentFailure or TemporaryFailure; returns when accepted."""
    config = current_app.config
    sender = config["MAIL_DEFAULT_SENDER"]
    email = build(message, sender)
    server = config.get("MAIL_SERVER")
    if not server:
        logger.info(
            "MAIL_SERVER not set; this message would be sent:\n%s",
            _readable(email, message),
        )
        return
    port = int(config["MAIL_PORT"])
    timeout = config["MAIL_TIMEOUT"]
    try:
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(
                server, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(server, port, timeout=timeout)
        with smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as error:
        code, reason = next(iter(error.recipients.values()))
        _raise_for(code, reason)
    except smtplib.SMTPResponseException as error:  # refused the sender, login or message
        raise TemporaryFailure(f"{error.smtp_code} {_text(error.smtp_error)}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error


def _raise_for(code: int, reason) -> None:
    """A recipient refused with 5xx is a bounce; 4xx means try later."""
    if 500 <= int(code) < 600:
        raise PermanentFailure(f"{code} {_text(reason)}")
    raise TemporaryFailure(f"{code} {_text(reason)}")


def _text(reason) -> str:
    return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)


def _readable(email: EmailMessage, message: Message) -> str:
    names = ", ".join(a.filename for a in message.attachments) or "-"
    return (
        f"From: {email['From']}\nTo: {email['To']}\nSubject: {email['Subject']}\n"
        f"Attachments: {names}\n\n{message.text}"
    )

"""What each message says: subject, plain text and HTML (templates/email/), attachments.

Called by ``services.compose`` inside ``force_locale(person's language)``. Short, for a
phone: who, what, the one link that matters, and the schedule for a new ticket.
"""

from flask import current_app, render_template
from flask_babel import gettext as _

from bimtek.certificates.printing import certificate_filename, issued_pdf
from bimtek.certificates.queries import verification_url
from bimtek.events.services import schedule_by_day
from bimtek.notifications.links import public_url
from bimtek.notifications.mail import Attachment, Message
from bimtek.participants.accounts import issue_link_code
from bimtek.participants.pdf import ticket_pdf
from bimtek.participants.queries import waitlist_position


def build(delivery) -> Message:
    if delivery.kind == "served_certificate":
        return _served_certificate(delivery)
    participant = delivery.participant
    event = participant.event
    context = {
        "delivery": delivery,
        "participant": participant,
        "event": event,
        "ticket_url": ticket_url(participant),
    }
    attachments = []
    kind = delivery.kind
    if kind == "registration":
        subject = _("Tiket Anda: %(event)s", event=event.title)
        context["schedule"] = schedule_by_day(event)
        attachments.append(_ticket_attachment(participant))
    elif kind == "waitlist":
        subject = _("Daftar tunggu: %(event)s", event=event.title)
        context["position"] = waitlist_position(participant)
    elif kind == "promotion":
        subject = _("Anda mendapat kursi: %(event)s", event=event.title)
        context["schedule"] = schedule_by_day(event)
        attachments.append(_ticket_attachment(participant))
    elif kind == "certificate":
        subject = _("Sertifikat Anda siap: %(event)s", event=event.title)
        context["certificate_url"] = public_url("certificates.mine", participant_id=participant.id)
    elif kind == "test_open":
        subject = _("Tes sudah dibuka: %(event)s", event=event.title)
        context["test_url"] = public_url("assessments.portal", participant_id=participant.id)
    elif kind == "account_link":
        claim = not participant.user.password_hash
        subject = _("Aktivasi akun Anda") if claim else _("Buat kata sandi baru")
        code, expires_at = issue_link_code(participant)
        context["claim"] = claim
        context["code"] = code
        context["expires_at"] = expires_at
        context["link"] = public_url_of("accounts.claim" if claim else "accounts.recover", code)
    elif kind == "announcement":
        subject = delivery.announcement.subject
        context["announcement"] = delivery.announcement
    else:
        raise ValueError(f"unknown message kind {kind!r}")
    context["subject"] = subject
    return Message(
        to=delivery.to_address,
        subject=subject,
        text=render_template(f"email/{kind}.txt", **context),
        html=render_template(f"email/{kind}.html", **context),
        attachments=attachments,
        message_id=f"bimtek.{delivery.key.replace(':', '.')}",
    )


def _served_certificate(delivery) -> Message:
    """A narasumber's, moderator's or panitia member's certificate: most have no account to
    log in to, so the signed file itself is attached (as the ticket is to a registration),
    with the link that verifies it."""
    certificate = delivery.certificate
    event = certificate.event
    subject = _("Sertifikat Anda siap: %(event)s", event=event.title)
    context = {
        "delivery": delivery,
        "certificate": certificate,
        "event": event,
        "role": served_role_label(certificate.role),
        "verify_url": verification_url(certificate.verification_code),
        "subject": subject,
    }
    return Message(
        to=delivery.to_address,
        subject=subject,
        text=render_template("email/served_certificate.txt", **context),
        html=render_template("email/served_certificate.html", **context),
        attachments=[Attachment(certificate_filename(certificate), issued_pdf(certificate))],
        message_id=f"bimtek.{delivery.key.replace(':', '.')}",
    )


def served_role_label(role: str) -> str:
    return {
        "narasumber": _("narasumber"),
        "moderator": _("moderator"),
        "panitia": _("panitia penyelenggara"),
    }.get(role, role)


def public_url_of(endpoint: str, code: str) -> str:

    return public_url(endpoint, kode=code)


def ticket_url(participant) -> str:

    return public_url("participants.ticket", ticket_code=participant.ticket_code)


def _ticket_attachment(participant) -> Attachment:

    filename = f"tiket-{participant.registration_label}.pdf"
    if not current_app.config.get("MAIL_SERVER"):  # only logged: don't draw it
        return Attachment(filename, b"")
    return Attachment(filename, ticket_pdf(participant).getvalue())

"""WhatsApp without an API account: a wa.me link the organizer opens on their own phone.

``https://wa.me/<number>?text=<message>`` opens a chat with the message typed in; the
organizer presses send. The number is international without "+" (62…).
"""

from urllib.parse import quote

from flask_babel import force_locale
from flask_babel import gettext as _

from bimtek.core.phones import phone_international
from bimtek.core.timeutil import format_datetime, zone_abbreviation
from bimtek.notifications.links import person_locale, public_url
from bimtek.notifications.messages import ticket_url


def wa_number(phone: str | None) -> str | None:
    """62812… from +62812…, 0812… or 62812…; None when it is not an Indonesian mobile."""
    return phone_international(phone)


def ticket_text(participant) -> str:
    """The prefilled message, in the participant's language."""
    with force_locale(person_locale(participant)):
        return _(
            "Halo %(name)s, ini tiket Anda untuk %(event)s (kode %(code)s): %(url)s",
            name=participant.full_name,
            event=participant.event.title,
            code=participant.ticket_code,
            url=ticket_url(participant),
        )


def certificate_text(participant) -> str:
    """The prefilled "your certificate is ready" message, in the participant's language."""

    with force_locale(person_locale(participant)):
        return _(
            "Halo %(name)s, sertifikat Anda untuk %(event)s sudah terbit. "
            "Unduh setelah masuk ke portal peserta: %(url)s",
            name=participant.full_name,
            event=participant.event.title,
            url=public_url("certificates.mine", participant_id=participant.id),
        )


def whatsapp_link(participant, purpose: str = "ticket") -> str | None:
    """The wa.me link with the ticket (or certificate) link prefilled; None without a number."""
    number = wa_number(participant.phone)
    if number is None:
        return None
    text = certificate_text(participant) if purpose == "certificate" else ticket_text(participant)
    return f"https://wa.me/{number}?text={quote(text, safe='')}"


def whatsapp_claim_link(participant, link: str, code: str, expires_at) -> str | None:
    """For the manager who just made an activation code: the wa.me link with the claim link
    and the code prefilled, in the participant's language; None without a number."""
    number = wa_number(participant.phone)
    if number is None:
        return None
    with force_locale(person_locale(participant)):
        text = _(
            "Halo %(name)s, aktifkan akun peserta Bimtek Anda di %(url)s : isi NIK Anda, kode "
            "aktivasi %(code)s, dan kata sandi baru. Kode berlaku sampai %(when)s, sekali pakai.",
            name=participant.full_name,
            url=link,
            code=code,
            when=format_datetime(
                participant.event.local(expires_at),
                zone_abbreviation(participant.event.timezone),
                person_locale(participant),
            ),
        )
    return f"https://wa.me/{number}?text={quote(text, safe='')}"

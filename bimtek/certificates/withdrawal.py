"""Cancelling a participant who holds a certificate in force: the certificate is revoked
with the reason, in the same transaction, so it never stays valid for someone who withdrew.

Participants refuse any cancellation while a certificate is in force (``certificate_held``,
declared as a hold of ``participants.cancellation``); ``cancel_holder`` is the one way a
manager cancels such a participant, after a confirmation page naming the certificate.
"""

from flask_babel import gettext as _

from bimtek.certificates.issuing import revoke
from bimtek.certificates.queries import active_certificate
from bimtek.errors import InvalidInput
from bimtek.participants.cancellation import Hold, cancel, hold
from bimtek.participants.models import Participant
from bimtek.participants.registration import REASON_MAX


@hold
def certificate_held(participant: Participant) -> Hold | None:
    """A certificate in force keeps the participant from being cancelled as is."""
    certificate = active_certificate(participant)
    if certificate is None:
        return None
    return Hold(
        "certificate_in_force",
        _(
            "Sertifikat %(number)s atas nama %(name)s sudah terbit dan masih berlaku. "
            "Pembatalan hanya dapat dilakukan oleh pengelola kegiatan, sekaligus mencabut "
            "sertifikat tersebut.",
            number=certificate.number,
            name=certificate.name,
        ),
        "certificates.cancel_holder",
    )


def cancel_holder(
    participant: Participant, reason: str, *, actor, channel: str = "web"
) -> Participant | None:
    """Revoke the participant's certificate in force (if any) with the reason, then cancel
    the registration; the caller commits both at once. Returns whoever was promoted."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise InvalidInput(
            _("Alasan pembatalan wajib diisi."),
            fields={"reason": _("Alasan pembatalan wajib diisi.")},
        )
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Alasan paling banyak %(n)s karakter.", n=REASON_MAX),
            fields={"reason": _("Alasan terlalu panjang.")},
        )
    certificate = active_certificate(participant)
    if certificate is not None:
        revoke(certificate, reason, actor=actor, channel=channel)
    return cancel(participant, actor=actor, reason=reason, channel=channel, reason_required=True)

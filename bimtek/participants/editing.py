"""An organizer corrects a participant's details, by the registration form's rules."""

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth.models import User
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.registration import DuplicateNik
from bimtek.participants.validation import clean_registration


def update_participant(
    participant: Participant, data, *, actor: User, channel: str = "web"
) -> Participant:
    """Correct a participant's details (admin). Same checks as registration."""
    values, errors = clean_registration(data)
    if errors:
        raise InvalidInput(_("Periksa kembali isian yang ditandai."), fields=errors)
    values.pop("password")
    if values["nik"] != participant.nik:
        clash = db.session.scalar(
            sa.select(Participant.id).where(
                Participant.event_id == participant.event_id, Participant.nik == values["nik"]
            )
        )
        if clash:
            raise DuplicateNik(
                _("NIK ini sudah dipakai peserta lain pada kegiatan ini."),
                fields={"nik": _("NIK sudah terdaftar.")},
            )
    changed = {k: v for k, v in values.items() if getattr(participant, k) != v}
    for key, value in changed.items():
        setattr(participant, key, value)
    if "email" in changed and participant.proof_source == "owner":
        participant.proof_source = "staff"  # the address is now staff's word, not the owner's
    if changed:
        record(
            "participant.update",
            actor=actor,
            channel=channel,
            event_id=participant.event_id,
            target=participant,
            details={"fields": sorted(changed)},
        )
    db.session.flush()
    return participant

"""Who may see a participant's personal data (UU 27/2022): the one rule for pages and API.

NIK, NIP, phone and e-mail are shown to the event's managers and to administrators only.
The panitia at the check-in desk see who someone is (name, institution, job title,
registration number), never how to reach or identify them; for them a NIK search matches only
the full 16 digits, so a NIK cannot be read out digit by digit through the search.

The email address of a narasumber, moderator or panitia member (``Contributor.email``, where
their certificate is mailed) is personal data too: it shows only on pages for the event's
managers (the list of who served, their certificates, the delivery log).
"""

from bimtek.events.access import may
from bimtek.events.models import Event

#: the fields only managers and administrators see
PERSONAL_FIELDS = ("nik", "nip", "phone", "email")


def sees_personal_data(user, event: Event) -> bool:
    """Whether ``user`` (browser user or API token's user) may see personal data in ``event``."""
    return may(user, event, "manager")


def without_personal_data(payload: dict) -> dict:
    """``payload`` with the personal fields taken out (for the panitia)."""
    return {key: value for key, value in payload.items() if key not in PERSONAL_FIELDS}

"""The refusals of a check-in: an unknown ticket, or a known person who may not check in
here. ``participant`` on the conflicts lets the desk and the API show who the ticket is."""

from bimtek.errors import Conflict, NotFound
from bimtek.participants.models import Participant


class UnknownCode(NotFound):
    code = "unknown_code"


class ParticipantConflict(Conflict):
    """A check-in refused for a known person; ``participant`` lets the desk show who."""

    def __init__(self, message: str, *, participant: Participant, **kwargs):
        super().__init__(message, **kwargs)
        self.participant = participant


class NotRegistered(ParticipantConflict):
    code = "not_registered"


class WrongEvent(ParticipantConflict):
    code = "wrong_event"

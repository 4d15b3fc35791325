"""The refusals of a check-in: an unknown ticket, or a known person who may not check in
here. ``participant`` on the conflicts lets the desk and the API show who the ticket is."""

from flask_babel import gettext as _

from bimtek.errors import Conflict, NotFound
from bimtek.events.models import Session
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


class NotInClass(ParticipantConflict):
    """The session is another class's (``bimtek.events.classes.session_is_for``).

    The desk gets no "record anyway": such a row would count nowhere (a person's percentage
    is over their own sessions) and print on no daftar hadir, so it would record nothing
    anyone reads while telling the officer it did. The person is sent to their own class's
    session; a wrong class is put right by a manager moving the person, and the same scan
    then goes through."""

    code = "not_in_class"


def not_in_class(session: Session, participant: Participant) -> NotInClass:
    """The refusal of a person at another class's session, naming both classes."""
    theirs = participant.event_class
    session_class = session.event_class.name if session.event_class else ""
    if theirs is None:
        message = _(
            "Bukan kelasnya: sesi ini khusus %(session_class)s, sedangkan %(name)s belum "
            "masuk kelas mana pun. Minta pengelola kegiatan memasukkannya ke kelas.",
            session_class=session_class,
            name=participant.full_name,
        )
    else:
        message = _(
            "Bukan kelasnya: sesi ini khusus %(session_class)s, sedangkan %(name)s di "
            "%(their_class)s%(room)s. Arahkan ke sesi kelasnya.",
            session_class=session_class,
            name=participant.full_name,
            their_class=theirs.name,
            room=f" ({theirs.room})" if theirs.room else "",
        )
    return NotInClass(message, participant=participant)

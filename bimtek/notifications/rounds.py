"""WhatsApp rounds: one message to a group, or to each person in turn from a manager's phone.

Without a WhatsApp API account, the organizer sends from their own phone. Two ways, both
without typing a number:

- the event's WhatsApp group: one message (``group_text``) with the event's links, copied or
  shared (Web Share API, or ``wa.me/?text=`` without a number, which asks for the chat);
- each person in turn (a *round*): the page shows the next person and one button; the tap
  records the turn (``take_turn``) and opens ``wa.me/<62…>?text=<message>``. Who is next is
  whoever in the round's audience has no turn yet, read from the database, so a round
  survives a reload, a second phone, or the next day.

A round's key names it within the event: ``tiket`` (the ticket link), ``sertifikat`` (the
certificate link, to those with a certificate in force), ``pengumuman-<id>`` (an
announcement sent on WhatsApp) and ``tes-<id>`` ("the test is open").

"Opened" is what the server can know: the manager opened the chat with the message typed
in; WhatsApp does not tell whether they pressed send. Reached (``unreached``) therefore
means: an email the mail server accepted, or a WhatsApp chat opened with the message.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from bimtek.assessments.models import Assessment
from bimtek.audit.services import record
from bimtek.certificates.models import Certificate
from bimtek.core.phones import phone_international
from bimtek.core.timeutil import format_date_range, utcnow
from bimtek.errors import InvalidInput, NotFound
from bimtek.extensions import db
from bimtek.notifications.links import person_locale, public_url
from bimtek.notifications.models import TURN_STATES, Announcement, Delivery, WhatsAppTurn
from bimtek.notifications.whatsapp import certificate_text, ticket_text
from bimtek.participants.models import Participant


@dataclass(frozen=True)
class Round:
    key: str
    #: ticket, certificate, announcement or test
    kind: str
    title: str
    announcement: Announcement | None = None
    assessment: Assessment | None = None


@dataclass
class RoundProgress:
    #: people in the round's audience with a number WhatsApp can use, in registration order
    people: list[Participant]
    #: participant id -> "opened" or "skipped"
    turns: dict[int, str]
    #: people in the audience without a usable number (they need another channel)
    without_number: list[Participant] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def opened(self) -> int:
        return sum(1 for state in self.turns.values() if state == "opened")

    @property
    def done(self) -> int:
        return len(self.turns)

    @property
    def next(self) -> Participant | None:
        return next((p for p in self.people if p.id not in self.turns), None)

    @property
    def last(self) -> Participant | None:
        """The person taken most recently (to open again, should WhatsApp have failed)."""
        taken = [p for p in self.people if p.id in self.turns]
        return taken[-1] if taken else None


# --- which rounds ----------------------------------------------------------------------------


def find_round(event, key: str) -> Round | None:
    """The round of ``event`` named ``key``; None for an unknown key or another event's row."""
    key = str(key or "")
    if key == "tiket":
        return Round("tiket", "ticket", _("Tautan tiket"))
    if key == "sertifikat":
        return Round("sertifikat", "certificate", _("Tautan sertifikat"))
    prefix, _dash, number = key.partition("-")
    if not number.isdigit() or len(number) > 12:
        return None
    if prefix == "pengumuman":
        announcement = db.session.get(Announcement, int(number))
        if announcement is None or announcement.event_id != event.id:
            return None
        return Round(key, "announcement", announcement.subject, announcement=announcement)
    if prefix == "tes":
        assessment = db.session.get(Assessment, int(number))
        if assessment is None or assessment.event_id != event.id:
            return None
        return Round(
            key, "test", _("%(test)s sudah dibuka", test=assessment.label), assessment=assessment
        )
    return None


def announcement_round(announcement: Announcement) -> str:
    return f"pengumuman-{announcement.id}"


def test_round(assessment: Assessment) -> str:
    return f"tes-{assessment.id}"


def audience(event, round_: Round) -> list[Participant]:
    """Everyone the round is for, with or without a number, in registration order."""
    query = sa.select(Participant).where(Participant.event_id == event.id)
    if round_.kind == "certificate":
        query = query.where(
            Participant.id.in_(
                sa.select(Certificate.participant_id).where(
                    Certificate.event_id == event.id, Certificate.revoked_at.is_(None)
                )
            )
        )
    elif round_.kind == "announcement":
        audience = round_.announcement.audience
        statuses = ("registered", "waitlisted") if audience == "all" else (audience,)
        query = query.where(Participant.status.in_(statuses))
    else:
        query = query.where(Participant.status == "registered")
    return list(db.session.scalars(query.order_by(Participant.registration_number)))


def round_progress(event, round_: Round) -> RoundProgress:
    """Who is in the round, who has had their turn, and who is next."""
    everyone = audience(event, round_)
    turns = dict(
        db.session.execute(
            sa.select(WhatsAppTurn.participant_id, WhatsAppTurn.state).where(
                WhatsAppTurn.event_id == event.id, WhatsAppTurn.round == round_.key
            )
        ).all()
    )
    people = [p for p in everyone if phone_international(p.phone)]
    return RoundProgress(
        people=people,
        turns={pid: state for pid, state in turns.items() if pid in {p.id for p in people}},
        without_number=[p for p in everyone if not phone_international(p.phone)],
    )


# --- the messages ----------------------------------------------------------------------------


def event_links(event) -> list[tuple[str, str]]:
    """(label, absolute URL) of the links every message about the event carries."""
    return [
        (_("Pendaftaran"), public_url("participants.register", code=event.code)),
        (_("Jadwal dan informasi"), public_url("events.detail", code=event.code)),
        (_("Portal peserta (tiket, tes, evaluasi, sertifikat)"), public_url("participants.portal")),
    ]


def group_text(event, round_: Round | None = None) -> str:
    """One message for the event's WhatsApp group: no names, no numbers; the event's links."""
    head = f"*{event.title}*\n" + format_date_range(event.start_date, event.end_date, "id")
    place = ", ".join(part for part in (event.venue, event.city) if part)
    if place:
        head += f" · {place}"
    if round_ is None or round_.kind == "ticket":
        body = ""
    elif round_.kind == "announcement":
        body = f"*{round_.announcement.subject}*\n{round_.announcement.body}"
    elif round_.kind == "test":
        body = _("%(test)s sudah dibuka. Kerjakan di portal peserta.", test=round_.assessment.label)
    else:
        body = _("Sertifikat sudah terbit. Unduh di portal peserta setelah masuk.")
    links = "\n".join(f"{label}: {url}" for label, url in event_links(event))
    return "\n\n".join(part for part in (head, body, links) if part)


def person_text(round_: Round, participant: Participant) -> str:
    """The message one person receives, in their language."""
    if round_.kind == "ticket":
        return ticket_text(participant)
    if round_.kind == "certificate":
        return certificate_text(participant)
    event = participant.event
    with force_locale(person_locale(participant)):
        if round_.kind == "test":
            return _(
                "Halo %(name)s, %(test)s %(event)s sudah dibuka. Kerjakan di portal peserta: "
                "%(url)s",
                name=participant.full_name,
                test=round_.assessment.label,
                event=event.title,
                url=public_url("assessments.portal", participant_id=participant.id),
            )
        announcement = round_.announcement
        greeting = _("Halo %(name)s,", name=participant.full_name)
        footer = _(
            "%(event)s · portal peserta: %(url)s",
            event=event.title,
            url=public_url("participants.portal"),
        )
        return f"{greeting}\n\n*{announcement.subject}*\n{announcement.body}\n\n{footer}"


def chat_link(round_: Round, participant: Participant) -> str | None:
    """wa.me with the person's number and their message; None without a usable number."""
    number = phone_international(participant.phone)
    if number is None:
        return None
    return f"https://wa.me/{number}?text={quote(person_text(round_, participant), safe='')}"


def share_link(text: str) -> str:
    """wa.me without a number: WhatsApp asks which chat (the event's group)."""
    return f"https://wa.me/?text={quote(text, safe='')}"


# --- taking a turn -----------------------------------------------------------------------------


def take_turn(event, round_: Round, participant_id, state: str, *, actor, channel="web"):
    """Record that the manager opened the chat with (or skipped) this person; again is fine
    (the latest state stays). Returns the participant."""
    if state not in TURN_STATES:
        raise InvalidInput(_("Pilih buka atau lewati."), fields={"state": _("Tidak dikenal.")})
    progress = round_progress(event, round_)
    try:
        wanted = int(participant_id)
    except (TypeError, ValueError):
        wanted = None
    person = next((p for p in progress.people if p.id == wanted), None)
    if person is None:
        raise NotFound(_("Peserta tidak ada dalam daftar kirim ini."), code="not_in_round")
    turn = db.session.scalar(
        sa.select(WhatsAppTurn).where(
            WhatsAppTurn.round == round_.key, WhatsAppTurn.participant_id == person.id
        )
    )
    if turn is None:
        turn = WhatsAppTurn(event_id=event.id, participant_id=person.id, round=round_.key)
        db.session.add(turn)
    turn.state = state
    turn.actor_id = getattr(actor, "id", None)
    turn.updated_at = utcnow()
    db.session.flush()
    record(
        "whatsapp.turn",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=person,
        details={"round": round_.key, "state": state},
    )
    return person


# --- reach -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    participant: Participant
    #: the email's delivery state ("sent", "failed", …) or None when no email was queued
    email: str | None
    #: the WhatsApp turn ("opened", "skipped") or None
    whatsapp: str | None

    @property
    def reached(self) -> bool:
        return self.email == "sent" or self.whatsapp == "opened"


def reach_of(event, announcement: Announcement) -> list[Reach]:
    """Each person in the announcement's audience and how far it reached them."""
    round_ = Round(announcement_round(announcement), "announcement", "", announcement)
    emails = dict(
        db.session.execute(
            sa.select(Delivery.participant_id, Delivery.status).where(
                Delivery.announcement_id == announcement.id
            )
        ).all()
    )
    turns = dict(
        db.session.execute(
            sa.select(WhatsAppTurn.participant_id, WhatsAppTurn.state).where(
                WhatsAppTurn.event_id == announcement.event_id, WhatsAppTurn.round == round_.key
            )
        ).all()
    )
    return [Reach(p, emails.get(p.id), turns.get(p.id)) for p in audience(event, round_)]


def unreached(event, announcement: Announcement) -> list[Reach]:
    """Who the announcement has reached by no channel: no email sent, no chat opened."""
    return [row for row in reach_of(event, announcement) if not row.reached]

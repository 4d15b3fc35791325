"""Messages to participants: queued once per key, sent by a job, logged per person.

A message is a ``Delivery`` row written in the same transaction as what caused it (a
registration, a promotion, a certificate: a participant's, or one of those who served the
event, mailed to the address entered with them), and its sending is queued for after the
commit: a rolled-back registration leaves no row and sends nothing. The job claims the row with
one UPDATE (queued/failed -> sending), so two runs of the same job, or a manager's retry
racing an automatic one, send it once.
"""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.certificates.served import holder_email
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.jobs import enqueue_on_commit, job
from bimtek.notifications import mail, messages
from bimtek.notifications.links import person_locale
from bimtek.notifications.models import AUDIENCES, CHANNELS, Announcement, Delivery
from bimtek.participants.models import Participant

#: a claim older than this is taken to be from a job that died while sending
CLAIM_TIMEOUT = timedelta(minutes=10)
RETRYABLE = ("failed", "bounced")


# --- queueing ------------------------------------------------------------------------------


def queue_message(
    participant: Participant, kind: str, key: str, *, announcement: Announcement | None = None
) -> Delivery | None:
    """Log a message to ``participant`` and send it after commit; once per ``key``.

    None when the person has no email address or the message was already queued.
    """
    if not participant.email:
        return None
    return _queue(
        Delivery(
            event_id=participant.event_id,
            participant_id=participant.id,
            announcement_id=announcement.id if announcement else None,
            kind=kind,
            key=key,
            to_address=participant.email,
            locale=person_locale(participant),
        )
    )


def queue_served_certificate(certificate, key: str) -> Delivery | None:
    """Log the message carrying a served certificate (narasumber, moderator, panitia) to its
    holder's address on file, and send it after commit; once per ``key``. None when no
    address is on file or the message was already queued."""
    address = holder_email(certificate)
    if not address:
        return None
    return _queue(
        Delivery(
            event_id=certificate.event_id,
            certificate_id=certificate.id,
            kind="served_certificate",
            key=key,
            to_address=address,
            locale="id",
        )
    )


def _queue(delivery: Delivery) -> Delivery | None:
    if db.session.scalar(sa.select(Delivery.id).where(Delivery.key == delivery.key)) is not None:
        return None
    delivery.status = "queued"
    delivery.attempts = 0
    delivery.error = ""
    db.session.add(delivery)
    db.session.flush()
    enqueue_on_commit(send_delivery, delivery.id)
    return delivery


def on_registered(participant: Participant) -> None:
    kind = "registration" if participant.status == "registered" else "waitlist"
    queue_message(participant, kind, f"{kind}:{participant.id}")


def on_promoted(participant: Participant) -> None:
    stamp = participant.promoted_at.strftime("%Y%m%d%H%M%S") if participant.promoted_at else ""
    queue_message(participant, "promotion", f"promotion:{participant.id}:{stamp}")


def on_certificate_issued(certificate) -> None:
    if certificate.participant is None:  # a narasumber's, a moderator's or a panitia's
        queue_served_certificate(certificate, f"served_certificate:{certificate.id}")
        return
    queue_message(certificate.participant, "certificate", f"certificate:{certificate.id}")


def on_served_certificate_resend(certificate) -> None:
    """A manager's "Kirim ulang": a new message (its own key), to the address on file now."""
    key = f"served_certificate:{certificate.id}:{secrets.token_hex(8)}"
    queue_served_certificate(certificate, key)


def on_account_link_requested(participant: Participant) -> None:
    """A one-time claim/recovery link; its code is made when the job writes the message, so
    the plain code exists only in that message (never in the log or the queue)."""
    key = f"account_link:{participant.id}:{secrets.token_hex(8)}"
    queue_message(participant, "account_link", key)


def announce(event, data, *, actor, channel: str = "web") -> Announcement:
    """Write an announcement to the event's participants; a job sends it after commit."""
    subject = " ".join(str(data.get("subject") or "").split())
    body = str(data.get("body") or "").strip()
    audience = data.get("audience") or "registered"
    channels = data.get("channels") or "email"
    fields = {}
    if not subject:
        fields["subject"] = _("Judul wajib diisi.")
    elif len(subject) > 200:
        fields["subject"] = _("Judul paling banyak 200 karakter.")
    if not body:
        fields["body"] = _("Isi pengumuman wajib diisi.")
    elif len(body) > 5000:
        fields["body"] = _("Isi pengumuman paling banyak 5000 karakter.")
    if audience not in AUDIENCES:
        fields["audience"] = _("Pilih penerima.")
    if channels not in CHANNELS:
        fields["channels"] = _("Pilih lewat email, WhatsApp, atau keduanya.")
    if fields:
        raise InvalidInput(_("Periksa kembali isian yang ditandai."), fields=fields)
    announcement = Announcement(
        event_id=event.id,
        author=actor,
        audience=audience,
        subject=subject,
        body=body,
        channels=channels,
    )
    db.session.add(announcement)
    db.session.flush()
    record(
        "announcement.create",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=announcement,
        details={"audience": audience, "subject": subject, "channels": channels},
    )
    if announcement.by_email:
        enqueue_on_commit(send_announcement, announcement.id)
    return announcement


def remind_test(assessment, *, actor, channel: str = "web") -> int:
    """Tell every registered participant with an email that the test is open; once each."""
    queued = 0
    for participant in _audience(assessment.event_id, "registered"):
        key = f"test_open:{assessment.id}:{participant.id}"
        queued += queue_message(participant, "test_open", key) is not None
    record(
        "notification.test_open",
        actor=actor,
        channel=channel,
        event_id=assessment.event_id,
        target=assessment,
        details={"queued": queued},
    )
    return queued


def is_retryable(delivery: Delivery, now=None) -> bool:
    """Failed, bounced, or stuck (queued or sending for longer than CLAIM_TIMEOUT); never one
    whose address the personal-data purge erased."""
    if not delivery.to_address:
        return False
    if delivery.status in RETRYABLE:
        return True
    since = delivery.claimed_at if delivery.status == "sending" else delivery.created_at
    return delivery.status in ("queued", "sending") and since < (now or utcnow()) - CLAIM_TIMEOUT


def retry(deliveries: list[Delivery], *, actor, channel: str = "web") -> int:
    """Send failed, bounced or stuck messages again (after commit); returns how many."""
    count = 0
    for delivery in deliveries:
        if is_retryable(delivery):
            delivery.status = "queued"
            enqueue_on_commit(send_delivery, delivery.id)
            count += 1
    if count:
        db.session.flush()
        record(
            "notification.retry",
            actor=actor,
            channel=channel,
            event_id=deliveries[0].event_id,
            details={"count": count},
        )
    return count


def _audience(event_id: int, audience: str) -> list[Participant]:
    statuses = ("registered", "waitlisted") if audience == "all" else (audience,)
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(
                Participant.event_id == event_id,
                Participant.status.in_(statuses),
                Participant.email.is_not(None),
                Participant.email != "",
            )
            .order_by(Participant.registration_number)
        )
    )


# --- reading -------------------------------------------------------------------------------


def delivery_query(event_id: int, *, status: str = "", participant_id: int | None = None):
    query = sa.select(Delivery).where(Delivery.event_id == event_id)
    if status:
        query = query.where(Delivery.status == status)
    if participant_id:
        query = query.where(Delivery.participant_id == participant_id)
    return query.order_by(Delivery.created_at.desc(), Delivery.id.desc())


def delivery_counts(event_id: int) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Delivery.status, sa.func.count())
        .where(Delivery.event_id == event_id)
        .group_by(Delivery.status)
    )
    counts = dict.fromkeys(("queued", "sending", "sent", "failed", "bounced"), 0)
    counts.update(dict(rows.all()))
    return counts


def retryable(event_id: int) -> list[Delivery]:
    """The event's messages a manager may send again (see ``is_retryable``)."""
    stale = utcnow() - CLAIM_TIMEOUT
    return list(
        db.session.scalars(
            sa.select(Delivery).where(
                Delivery.event_id == event_id,
                Delivery.to_address != "",
                sa.or_(
                    Delivery.status.in_(RETRYABLE),
                    sa.and_(Delivery.status == "queued", Delivery.created_at < stale),
                    sa.and_(Delivery.status == "sending", Delivery.claimed_at < stale),
                ),
            )
        )
    )


def announcements_of(event_id: int) -> list[Announcement]:
    return list(
        db.session.scalars(
            sa.select(Announcement)
            .where(Announcement.event_id == event_id)
            .order_by(Announcement.created_at.desc())
        )
    )


# --- jobs ----------------------------------------------------------------------------------


@job()
def send_announcement(announcement_id: int) -> None:
    """Queue the announcement to each person in its audience (again: only the missing)."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None or not announcement.by_email:
        return
    for participant in _audience(announcement.event_id, announcement.audience):
        key = f"announcement:{announcement.id}:{participant.id}"
        queue_message(participant, "announcement", key, announcement=announcement)
    db.session.commit()


@job()
def send_delivery(delivery_id: int) -> None:
    """Send one logged message, unless it is sent or another job is sending it."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return
    try:
        message = compose(delivery)
        mail.send(message)
    except mail.PermanentFailure as error:
        _finish(delivery, "bounced", str(error))
        return
    except Exception as error:
        db.session.rollback()  # whatever failed, the log must say so
        _finish(db.session.get(Delivery, delivery_id), "failed", _reason(error))
        raise  # the queue retries it with backoff
    _finish(delivery, "sent", "")


def _claim(delivery_id: int) -> Delivery | None:
    now = utcnow()
    result = db.session.execute(
        sa.update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.to_address != "",
            sa.or_(
                Delivery.status.in_(("queued", "failed")),
                sa.and_(Delivery.status == "sending", Delivery.claimed_at < now - CLAIM_TIMEOUT),
            ),
        )
        .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(Delivery, delivery_id)


def _finish(delivery: Delivery, status: str, error: str) -> None:
    delivery.status = status
    delivery.error = error[:1000]
    if status == "sent":
        delivery.sent_at = utcnow()
    db.session.commit()


def _reason(error: Exception) -> str:
    return str(error) if isinstance(error, mail.TemporaryFailure) else repr(error)


# --- composing -----------------------------------------------------------------------------


def compose(delivery: Delivery) -> mail.Message:
    """The message for a logged delivery, in the person's language."""

    if delivery.participant is not None:  # the language as of sending
        delivery.locale = person_locale(delivery.participant)
    with force_locale(delivery.locale):
        message = messages.build(delivery)
    delivery.subject = message.subject[:250]
    return message

"""Anonymising an event's personal data after its retention period (UU 27/2022 on personal
data protection: data is kept no longer than its purpose needs).

What goes, for every participant of the event (registered, waitlisted or cancelled): NIK,
NIP, mobile number, e-mail and district; the free-text notes next to them (why a check-in
was marked izin or sakit, which can be health data; why a registration was cancelled); the
evaluation drafts that tie a person to answers; the participant lists uploaded for import;
the NIP and e-mail address of the narasumber, moderators and panitia entered for their
certificates; the addresses in the delivery log (and its errors, which mail servers write with
the address: a message purged is never sent again); the SPJ's personal data
(``bimtek.spj.personal_data``: honor names and NIPs, payment notes, dokumentasi photos, and the
names, NIPs and captions in the SPJ's audit rows), every amount, count and agency name of the
SPJ kept for its audit.
What stays: names (they are on the certificates, and the certificates stay verifiable),
institution, category, gender and position (the aggregates are made of them), attendance,
test scores, certificates, anonymous evaluation answers: every figure of the dashboard, the
results, the exports and the laporan kegiatan is the same after the purge.

A participant's account holds their NIK too, as its login. It is anonymised as well (and
can no longer log in) unless the person also takes part in an event whose data is still
kept: that event's purge anonymises the account later. The purge is irreversible and is
refused before the retention period is over.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.attendance.models import Attendance
from bimtek.audit.services import record
from bimtek.auth.models import User
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput
from bimtek.evaluation.models import EvaluationDraft
from bimtek.events.models import Contributor, Event
from bimtek.extensions import db
from bimtek.notifications.models import Delivery
from bimtek.participants.models import Participant
from bimtek.participants.uploads import ImportUpload
from bimtek.privacy.models import PersonalDataPolicy
from bimtek.privacy.retention import MAX_RETENTION_MONTHS, retention_of
from bimtek.spj.personal_data import purge_spj


class RetentionNotOver(Conflict):
    code = "retention_not_over"


class AlreadyPurged(Conflict):
    code = "already_purged"


def anonymous_nik(participant_id: int) -> str:
    """A placeholder that keeps NIK's NOT NULL and per-event uniqueness, and is no NIK
    (a real one is 16 digits)."""
    return f"ANON{participant_id:012d}"[-16:]


def _policy_row(event: Event) -> PersonalDataPolicy:
    policy = db.session.scalar(
        sa.select(PersonalDataPolicy)
        .where(PersonalDataPolicy.event_id == event.id)
        .with_for_update()
    )
    if policy is None:
        defaults = retention_of(event)
        policy = PersonalDataPolicy(event_id=event.id, retention_months=defaults.months)
        db.session.add(policy)
    return policy


def set_retention(event: Event, raw_months, *, actor=None, channel="web") -> PersonalDataPolicy:
    """How many months after the event's last day its personal data is kept (1–120)."""
    try:
        months = int(str(raw_months).strip())
    except (TypeError, ValueError):
        months = None
    if months is None or not 1 <= months <= MAX_RETENTION_MONTHS:
        raise InvalidInput(
            _("Periksa kembali masa retensi."),
            fields={
                "retention_months": _(
                    "Isi 1 sampai %(n)s bulan.",
                    n=MAX_RETENTION_MONTHS,
                )
            },
        )
    policy = _policy_row(event)
    if policy.purged_at is not None:
        raise AlreadyPurged(_("Data pribadi kegiatan ini sudah dianonimkan."))
    old = policy.retention_months
    policy.retention_months = months
    record(
        "privacy.retention",
        actor=actor,
        channel=channel,
        event_id=event.id,
        details={"from": old, "to": months},
    )
    db.session.flush()
    return policy


def purge_personal_data(
    event: Event, *, confirm_code: str, actor=None, channel="web", today: date | None = None
) -> dict:
    """Anonymise the event's personal data; the caller commits. Returns what was done."""
    if str(confirm_code or "").strip().upper() != event.code:
        raise InvalidInput(
            _("Ketik kode kegiatan untuk mengonfirmasi."),
            fields={"confirm_code": _("Ketik %(code)s persis.", code=event.code)},
        )
    today = today or event.local(utcnow()).date()
    policy = _policy_row(event)
    if policy.purged_at is not None:
        raise AlreadyPurged(_("Data pribadi kegiatan ini sudah dianonimkan."))
    retention = retention_of(event)
    if today < retention.purge_from:
        raise RetentionNotOver(
            _(
                "Masa retensi data pribadi belum berakhir: anonimisasi dapat dilakukan mulai "
                "%(purge_from)s.",
                purge_from=format(retention.purge_from, "%d-%m-%Y"),
            )
        )
    spj = purge_spj(event)  # before the kecamatan go: it freezes each person's rate group
    people = list(
        db.session.scalars(sa.select(Participant).where(Participant.event_id == event.id))
    )
    for person in people:
        person.nik = anonymous_nik(person.id)
        person.nip = None
        person.phone = ""
        person.email = None
        person.district = ""
        person.cancel_reason = ""
    ids = [person.id for person in people]
    accounts = _anonymise_accounts({p.user_id for p in people if p.user_id}, event)
    if ids:
        db.session.execute(
            sa.delete(EvaluationDraft).where(EvaluationDraft.participant_id.in_(ids))
        )
        db.session.execute(
            sa.update(Attendance).where(Attendance.participant_id.in_(ids)).values(note="")
        )
    uploads = db.session.execute(sa.delete(ImportUpload).where(ImportUpload.event_id == event.id))
    db.session.execute(
        sa.update(Contributor).where(Contributor.event_id == event.id).values(nip="", email="")
    )
    db.session.execute(
        sa.update(Delivery).where(Delivery.event_id == event.id).values(to_address="", error="")
    )
    policy.purged_at = utcnow()
    policy.purged_by_id = getattr(actor, "id", None)
    outcome = {
        "participants": len(people),
        "accounts": accounts,
        "uploads": uploads.rowcount,
        **spj,
    }
    record("privacy.purge", actor=actor, channel=channel, event_id=event.id, details=outcome)
    db.session.flush()
    return outcome


def _anonymise_accounts(user_ids: set[int], event: Event) -> int:
    """Participant accounts of ``user_ids`` that no other not-yet-purged event needs."""
    if not user_ids:
        return 0
    purged_events = sa.select(PersonalDataPolicy.event_id).where(
        PersonalDataPolicy.purged_at.is_not(None)
    )
    still_kept = set(
        db.session.scalars(
            sa.select(Participant.user_id).where(
                Participant.user_id.in_(user_ids),
                Participant.event_id != event.id,
                Participant.event_id.not_in(purged_events),
            )
        )
    )
    count = 0
    for user in db.session.scalars(
        sa.select(User).where(User.id.in_(user_ids - still_kept), User.role == "participant")
    ):
        user.nik = None
        user.email = None
        user.password_hash = None
        user.active = False
        user.session_version = (user.session_version or 1) + 1
        count += 1
    return count

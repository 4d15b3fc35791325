"""Who earns a certificate, and what stops an event from issuing: the rules, read only.

Eligibility (``eligibility``, ``eligibility_for``) follows the event's settings: attendance
at mandatory sessions and the post-test. ``ensure_signed`` refuses to issue without a real
signatory and a public address for the QR code. ``preview_issue_all`` tells what issuing
would do now.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from bimtek.assessments.results import scores as assessment_scores
from bimtek.attendance.queries import attendance_summary
from bimtek.certificates.models import Certificate, CertificateSettings, Signatory
from bimtek.certificates.numbering import format_number, issue_day
from bimtek.certificates.queries import active_certificate, get_settings
from bimtek.core import numbers
from bimtek.errors import Conflict, Forbidden
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant


class NotEligible(Forbidden):
    code = "not_eligible"


class Unsigned(Conflict):
    code = "no_signatory"


class PlaceholderSignatory(Conflict):
    code = "placeholder_signatory"


class LocalPublicAddress(Conflict):
    code = "local_public_address"


#: how the demo names its stand-in signatory; a name like this is never printed for real
PLACEHOLDER_SIGNATORY_NAME = "Nama Pejabat Penanda Tangan (contoh)"


LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1", "")


def is_placeholder_signatory(signatory: Signatory) -> bool:
    name = " ".join((signatory.name or "").lower().split())
    return name == PLACEHOLDER_SIGNATORY_NAME.lower() or name.endswith("(contoh)")


def is_local_address(base: str | None) -> bool:
    """An unset public address, or one only this machine can open (the QR would point
    there)."""
    if not base:
        return True
    host = (urlsplit(base).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")


def ensure_signed(settings: CertificateSettings) -> None:
    """A certificate goes out signed by a real person, with a QR anyone can open: refuse to
    issue while the event has no signatory, still has the demo's placeholder, or this
    install has no public address (PUBLIC_BASE_URL)."""
    if not settings.signatories:
        raise Unsigned(
            _(
                "Tambahkan minimal satu penanda tangan (Pengaturan & desain) sebelum "
                "menerbitkan sertifikat."
            )
        )
    placeholders = [s for s in settings.signatories if is_placeholder_signatory(s)]
    if placeholders:
        raise PlaceholderSignatory(
            _(
                'Penanda tangan "%(name)s" masih contoh. Ganti nama, jabatan, NIP dan tanda '
                "tangannya (Sertifikat → Pengaturan & desain) sebelum menerbitkan.",
                name=placeholders[0].name,
            )
        )
    base = current_app.config.get("PUBLIC_BASE_URL")
    if is_local_address(base):
        where = (
            _("Alamat publik aplikasi belum diatur (sekarang %(base)s)", base=base)
            if base
            else _("Alamat publik aplikasi belum diatur")
        )
        raise LocalPublicAddress(
            _(
                "%(where)s: QR pada sertifikat akan menunjuk ke alamat yang tidak bisa dibuka "
                "orang lain. Minta pengelola server mengisi BIMTEK_PUBLIC_BASE_URL, misalnya "
                "https://bimtek.kutaitimurkab.go.id, lalu terbitkan lagi.",
                where=where,
            )
        )


@dataclass
class Eligibility:
    """Whether one participant earns a certificate, and why not."""

    participant: Participant
    eligible: bool
    #: reasons in the reader's language, e.g. "kehadiran 62% < 80%"
    reasons: list[str] = field(default_factory=list)
    #: attendance at mandatory sessions as counted by the event's rules (None: no such sessions)
    attendance_percent: int | None = None
    post_score: float | None = None
    #: the certificate in force, when one has been issued
    certificate: Certificate | None = None

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def format_score(score: float) -> str:
    """55 → "55", 72.5 → "72,5" (Indonesian decimal comma; the rule is core/numbers.py's)."""
    return numbers.format_score(score)


def _attendance_and_scores(event: Event, settings: CertificateSettings):
    summaries = attendance_summary(event)
    scores = {}
    if settings.post_test_required or settings.min_post_score is not None:
        scores = assessment_scores(event, "post")
    return summaries, scores


def _judge(
    participant: Participant,
    settings: CertificateSettings,
    summary,
    score: float | None,
    mandatory_sessions: int,
) -> Eligibility:
    reasons = []
    if participant.status == "waitlisted":
        reasons.append(_("masih di daftar tunggu"))
    elif participant.status == "cancelled":
        reasons.append(_("pendaftaran dibatalkan"))
    total = summary.mandatory_total if summary is not None else mandatory_sessions
    percent = None
    if total:
        attended = 0
        if summary is not None:
            attended = summary.present
            if settings.count_excused:
                attended += summary.excused
            if settings.count_sick:
                attended += summary.sick
        percent = numbers.percent(attended, total)
        if attended * 100 < settings.min_attendance_percent * total:
            reasons.append(
                _(
                    "kehadiran %(percent)s%% < %(minimum)s%%",
                    percent=percent,
                    minimum=settings.min_attendance_percent,
                )
            )
    needs_post = settings.post_test_required or settings.min_post_score is not None
    if needs_post and score is None:
        reasons.append(_("post-test belum dikerjakan"))
    elif settings.min_post_score is not None and score < settings.min_post_score:
        reasons.append(
            _(
                "nilai post-test %(score)s < %(minimum)s",
                score=format_score(score),
                minimum=format_score(settings.min_post_score),
            )
        )
    return Eligibility(participant, not reasons, reasons, percent, score)


def _active_certificates(event_id: int) -> dict[int, Certificate]:
    rows = db.session.scalars(
        sa.select(Certificate).where(
            Certificate.event_id == event_id,
            Certificate.role == "participant",
            Certificate.revoked_at.is_(None),
        )
    )
    return {certificate.participant_id: certificate for certificate in rows}


def eligibility(event: Event) -> list[Eligibility]:
    """Every registered participant of the event, eligible or not with the reasons, by name;
    and anyone else who still holds a certificate in force (cancelled before cancelling
    revoked it), so the list shows every certificate in force and it can be revoked."""
    settings = get_settings(event)
    summaries, scores = _attendance_and_scores(event, settings)
    mandatory = sum(1 for session in event.sessions if session.mandatory)
    active = _active_certificates(event.id)
    participants = db.session.scalars(
        sa.select(Participant)
        .where(
            Participant.event_id == event.id,
            sa.or_(Participant.status == "registered", Participant.id.in_(list(active))),
        )
        .order_by(Participant.sort_name, Participant.id)
    )
    result = []
    for participant in participants:
        verdict = _judge(
            participant,
            settings,
            summaries.get(participant.id),
            scores.get(participant.id),
            mandatory,
        )
        verdict.certificate = active.get(participant.id)
        result.append(verdict)
    return result


def eligibility_for(participant: Participant) -> Eligibility:
    """One participant's verdict (waitlisted and cancelled people are never eligible)."""
    event = participant.event
    settings = get_settings(event)
    summaries, scores = _attendance_and_scores(event, settings)
    mandatory = sum(1 for session in event.sessions if session.mandatory)
    verdict = _judge(
        participant,
        settings,
        summaries.get(participant.id),
        scores.get(participant.id),
        mandatory,
    )
    verdict.certificate = active_certificate(participant)
    return verdict


@dataclass
class IssuePreview:
    """What "issue all" would do now: how many, which numbers, and what stops it."""

    count: int
    first_number: str | None
    last_number: str | None
    issue_date: date
    problem: str | None


def preview_issue_all(event: Event) -> IssuePreview:
    """Read only: the certificates ``issue_all`` would hand out now, for the confirmation."""
    settings = get_settings(event)
    verdicts = eligibility(event)
    count = sum(1 for v in verdicts if v.eligible and v.certificate is None)
    day = issue_day(event, settings)
    problem = None
    try:
        ensure_signed(settings)
    except Conflict as error:
        problem = error.message
    first = last = None
    if count:
        first, last = (
            format_number(settings.number_format, seq=seq, code=event.code, day=day)
            for seq in (settings.last_seq + 1, settings.last_seq + count)
        )
    return IssuePreview(count, first, last, day, problem)

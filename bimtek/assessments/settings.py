"""The pre- and post-test of an event: their window, duration and options.

``get_assessment`` only reads: an event whose tests nobody has set up yet gets an unsaved
Assessment with the defaults (so pages can show them), and the row is created by an
explicit operation, ``ensure_assessment``, on a manager's change or a participant's start.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from bimtek.assessments.models import KINDS, Assessment, Attempt
from bimtek.audit.services import record
from bimtek.core.forms import parse_flag, parse_int, parse_local_datetime
from bimtek.core.timeutil import local_to_utc, utcnow
from bimtek.errors import Conflict, Forbidden, InvalidInput, NotFound
from bimtek.events.models import Event
from bimtek.extensions import db

DEFAULT_DURATION_MINUTES = 30


class TestNotOpen(Forbidden):
    code = "test_not_open"


class PreTestStillOpen(Conflict):
    code = "pre_test_open"


# --------------------------------------------------------------------------------- queries


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound(_("Jenis tes tidak dikenal."), code="unknown_assessment")


def _stored(event: Event, kind: str) -> Assessment | None:
    return db.session.scalar(
        sa.select(Assessment).where(Assessment.event_id == event.id, Assessment.kind == kind)
    )


def _defaults(event: Event, kind: str) -> dict:
    opens, closes = default_window(event, kind)
    return {
        "event_id": event.id,
        "kind": kind,
        "opens_at": opens,
        "closes_at": closes,
        "duration_minutes": DEFAULT_DURATION_MINUTES,
        "questions_per_module": None,
        "show_score_after": kind == "post",
        "opens_before_pre_closes": False,
    }


def get_assessment(event: Event, kind: str) -> Assessment:
    """The event's pre- or post-test; before it is first set up, an unsaved one with the
    defaults (not added to the session: reading writes nothing)."""
    _check_kind(kind)
    stored = _stored(event, kind)
    if stored is not None:
        return stored
    return Assessment(event=event, **_defaults(event, kind))


def _schedule_days(event: Event):
    days = sorted({session.local_day for session in event.sessions})
    return (days[0], days[-1]) if days else (event.start_date, event.end_date)


def default_window(event: Event, kind: str) -> tuple[datetime | None, datetime | None]:
    """Where a new test's window starts: the pre-test on the schedule's first day (until the
    end of that day), the post-test from the start of its last day (no closing time).
    Editable in the settings; "Buka sekarang"/"Tutup sekarang" change it at once."""
    first, last = _schedule_days(event)

    def midnight(day):
        return local_to_utc(datetime.combine(day, datetime.min.time()), event.timezone)

    if kind == "pre":
        return midnight(first), midnight(first + timedelta(days=1))
    return midnight(last), None


def pre_test_closed(event: Event, now: datetime) -> bool:
    return get_assessment(event, "pre").window_state(now) == "closed"


def waits_for_pre(assessment: Assessment, now: datetime) -> bool:
    """A post-test whose own window is open but which waits for the pre-test to close (the
    rule unless a manager chose otherwise); False once the pre-test has closed."""
    return (
        assessment.kind == "post"
        and assessment.window_state(now) == "open"
        and not assessment.opens_before_pre_closes
        and not pre_test_closed(assessment.event, now)
    )


def availability(assessment: Assessment, now: datetime) -> str:
    """'not_yet', 'open' or 'closed': the window, and for a post-test the pre-test rule
    (``waits_for_pre``)."""
    if waits_for_pre(assessment, now):
        return "not_yet"
    return assessment.window_state(now)


# ------------------------------------------------------------------------------ operations


def ensure_assessment(event: Event, kind: str) -> Assessment:
    """The event's ``kind`` test as a stored row, created with the defaults the first time
    (a manager's change, a participant's start, an event's copy)."""
    _check_kind(kind)
    assessment = _stored(event, kind)
    if assessment is not None:
        return assessment
    assessment = Assessment(**_defaults(event, kind))
    try:
        with db.session.begin_nested():
            db.session.add(assessment)
    except IntegrityError:  # created by a parallel request meanwhile
        assessment = _stored(event, kind)
    return assessment


def _cut_running_attempts(assessment: Assessment, closes: datetime) -> None:
    """An earlier close cuts the attempts still running short."""
    db.session.execute(
        sa.update(Attempt)
        .where(
            Attempt.assessment_id == assessment.id,
            Attempt.submitted_at.is_(None),
            Attempt.deadline_at > closes,
        )
        .values(deadline_at=closes)
        .execution_options(synchronize_session=False)
    )


def _window_details(assessment: Assessment) -> dict:
    return {
        "kind": assessment.kind,
        "opens_at": assessment.opens_at.isoformat() if assessment.opens_at else None,
        "closes_at": assessment.closes_at.isoformat() if assessment.closes_at else None,
        "opens_before_pre_closes": assessment.opens_before_pre_closes,
    }


def open_now(
    assessment: Assessment,
    *,
    actor,
    channel: str = "web",
    now: datetime | None = None,
    before_pre_closes: bool = False,
) -> Assessment:
    """ "Buka sekarang": the test opens at ``now`` (a later closing time is kept).

    A post-test opens while the pre-test is still open only with ``before_pre_closes`` (a
    manager's explicit choice, audited); otherwise PreTestStillOpen.
    """
    now = now or utcnow()
    if assessment.kind == "post" and not pre_test_closed(assessment.event, now):
        if not (before_pre_closes or assessment.opens_before_pre_closes):
            raise PreTestStillOpen(
                _(
                    "Pre-test masih dibuka. Tutup pre-test dulu, atau pilih membuka post-test "
                    "walau pre-test masih dibuka."
                )
            )
        assessment.opens_before_pre_closes = True
    previous = _window_details(assessment)
    assessment.opens_at = now
    if assessment.closes_at is not None and assessment.closes_at <= now:
        assessment.closes_at = None
    record(
        "assessment.open",
        actor=actor,
        channel=channel,
        event_id=assessment.event_id,
        target=assessment,
        details={**_window_details(assessment), "previous": previous},
    )
    db.session.flush()
    return assessment


def close_now(
    assessment: Assessment, *, actor, channel: str = "web", now: datetime | None = None
) -> Assessment:
    """ "Tutup sekarang": no attempt starts after ``now`` and running attempts end now."""
    now = now or utcnow()
    previous = _window_details(assessment)
    assessment.closes_at = now
    if assessment.opens_at is not None and assessment.opens_at > now:
        assessment.opens_at = None
    db.session.flush()
    _cut_running_attempts(assessment, now)
    record(
        "assessment.close",
        actor=actor,
        channel=channel,
        event_id=assessment.event_id,
        target=assessment,
        details={**_window_details(assessment), "previous": previous},
    )
    return assessment


def update_assessment(assessment: Assessment, data, *, actor=None, channel="web") -> Assessment:
    """Change the window, duration, questions per module and whether the score is shown."""
    errors = {}
    tz_name = assessment.event.timezone
    opens = parse_local_datetime(data.get("opens_at"), tz_name, _("Dibuka"), errors, "opens_at")
    closes = parse_local_datetime(data.get("closes_at"), tz_name, _("Ditutup"), errors, "closes_at")
    if opens and closes and closes <= opens:
        errors["closes_at"] = _("Waktu tutup harus setelah waktu buka.")
    duration = parse_int(
        data.get("duration_minutes"),
        _("Durasi"),
        errors,
        "duration_minutes",
        minimum=1,
        maximum=600,
        message=_("Durasi 1–600 menit."),
    )
    per_module = parse_int(
        data.get("questions_per_module") or None,  # a JSON 0 too: every question
        _("Soal per materi"),
        errors,
        "questions_per_module",
        minimum=1,
        maximum=500,
        optional=True,
        message=_("Isi 1–500, atau kosongkan untuk semua soal."),
    )
    if errors:
        raise InvalidInput(_("Periksa kembali pengaturan tes."), fields=errors)
    assessment.opens_at = opens
    assessment.closes_at = closes
    assessment.duration_minutes = duration
    assessment.questions_per_module = per_module
    assessment.show_score_after = parse_flag(data.get("show_score_after", False))
    if assessment.kind == "post":
        assessment.opens_before_pre_closes = parse_flag(data.get("opens_before_pre_closes", False))
    db.session.flush()
    if closes:
        _cut_running_attempts(assessment, closes)
    record(
        "assessment.update",
        actor=actor,
        channel=channel,
        event_id=assessment.event_id,
        target=assessment,
        details=_window_details(assessment),
    )
    return assessment

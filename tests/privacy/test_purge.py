"""Anonymising an event's personal data after its retention period (UU 27/2022)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.assessments.results import results
from bimtek.attendance.models import Attendance
from bimtek.attendance.queries import attendance_matrix
from bimtek.audit.models import AuditLog
from bimtek.auth.models import User
from bimtek.certificates import served, served_issuing
from bimtek.certificates.models import Certificate
from bimtek.errors import InvalidInput
from bimtek.evaluation import queries, services
from bimtek.evaluation.models import ORGANIZER_PART, EvaluationDraft
from bimtek.events import contributors as team
from bimtek.events.models import Contributor
from bimtek.extensions import db
from bimtek.notifications.models import Delivery
from bimtek.participants.models import Participant
from bimtek.privacy import purge, retention
from bimtek.reports.dashboard import certificate_panel, registration_panel
from tests import factories
from tests.certificates.conftest import sign
from tests.evaluation.conftest import after_event, fill
from tests.notifications.conftest import settle

LATER = date(2100, 1, 1)


def _figures(event) -> dict:
    """Every aggregate a report shows, as plain values."""
    registration = registration_panel(event)
    matrix = attendance_matrix(event)
    evaluation = queries.report(event)
    return {
        "counts": registration["counts"],
        "categories": [
            (c["label"], c["registered"], c["waitlisted"]) for c in registration["categories"]
        ],
        "sessions": matrix.session_totals,
        "recap": [(c.label, c.participants, c.percent) for c in matrix.categories],
        "class": results(event)["class"],
        "certificates": {k: v for k, v in certificate_panel(event).items() if k != "segments"},
        "evaluation": [(p["respondents"], p["overall"]) for p in evaluation["parts"]],
    }


def test_the_purge_date_is_the_last_day_plus_the_retention_months(event):
    rule = retention.retention_of(event)
    assert rule.months == 12
    assert rule.purge_from == retention.add_months(event.end_date, 12)
    assert retention.add_months(date(2024, 10, 31), 4) == date(2025, 2, 28)
    assert retention.add_months(date(2024, 1, 15), 12) == date(2025, 1, 15)


def test_refused_before_the_retention_period_ends_with_the_date(event, admin):
    rule = retention.retention_of(event)
    with pytest.raises(purge.RetentionNotOver) as error:
        purge.purge_personal_data(
            event, confirm_code=event.code, actor=admin, today=rule.purge_from - timedelta(days=1)
        )
    assert rule.purge_from.strftime("%d-%m-%Y") in error.value.message
    assert error.value.code == "retention_not_over"


def test_the_event_code_must_be_typed(event, admin):
    with pytest.raises(InvalidInput) as error:
        purge.purge_personal_data(event, confirm_code="SALAH", actor=admin, today=LATER)
    assert "confirm_code" in error.value.fields


def test_retention_months_within_bounds(event, admin):
    for bad in ("0", "121", "dua", None):
        with pytest.raises(InvalidInput):
            purge.set_retention(event, bad, actor=admin)
    purge.set_retention(event, "3", actor=admin)
    db.session.commit()
    assert retention.retention_of(event).purge_from == retention.add_months(event.end_date, 3)


def test_purge_anonymises_keeps_names_certificates_and_every_figure(busy_event, admin, client):
    people = list(
        db.session.scalars(sa.select(Participant).where(Participant.event_id == busy_event.id))
    )
    niks = [p.nik for p in people]
    phones = [p.phone for p in people]
    before = _figures(busy_event)
    assert db.session.scalar(sa.select(Attendance.note).where(Attendance.status == "izin"))
    certificate = db.session.scalar(
        sa.select(Certificate).where(Certificate.event_id == busy_event.id)
    )
    outcome = purge.purge_personal_data(
        busy_event, confirm_code=busy_event.code.lower(), actor=admin, today=LATER
    )
    db.session.commit()
    assert outcome["participants"] == len(people) == 4
    assert outcome["accounts"] == 4
    db.session.expire_all()
    for person in db.session.scalars(
        sa.select(Participant).where(Participant.event_id == busy_event.id)
    ):
        assert person.nik.startswith("ANON") and person.nik not in niks
        assert person.nip is None and person.phone == "" and person.email is None
        assert person.district == "" and person.cancel_reason == ""
        assert person.full_name in ("Ani", "Budi", "Citra", "Dedi")
    notes = db.session.scalars(sa.select(Attendance.note).where(Attendance.note != ""))
    assert list(notes) == []  # "tugas kantor" (Citra's izin) is gone, her izin stays
    stored = " ".join(
        str(value)
        for row in db.session.execute(sa.select(Participant.__table__)).all()
        + db.session.execute(sa.select(User.__table__)).all()
        for value in row
    )
    assert not any(nik in stored for nik in niks)
    assert not any(phone in stored for phone in phones)
    assert _figures(busy_event) == before
    page = client.get(f"/verify/{certificate.verification_code}")
    assert page.status_code == 200 and "Ani" in page.get_data(as_text=True)
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "privacy.purge"))
    assert entry.event_id == busy_event.id and entry.actor_id == admin.id
    with pytest.raises(purge.AlreadyPurged):
        purge.purge_personal_data(
            busy_event, confirm_code=busy_event.code, actor=admin, today=LATER
        )
    with pytest.raises(purge.AlreadyPurged):
        purge.set_retention(busy_event, "24", actor=admin)


def test_an_account_another_kept_event_needs_keeps_its_nik(admin):
    first = factories.make_event("SATU24", start=date(2024, 1, 8))
    second = factories.make_event("DUA24", start=date(2025, 1, 8))
    person = factories.make_participant(first)
    nik = person.nik
    again = factories.make_participant(second, nik=nik, full_name=person.full_name)
    assert again.user_id == person.user_id
    purge.purge_personal_data(first, confirm_code=first.code, actor=admin, today=LATER)
    db.session.commit()
    user = db.session.get(User, person.user_id)
    assert user.nik == nik and user.active  # DUA24 still keeps it
    assert db.session.get(Participant, person.id).nik != nik
    assert db.session.get(Participant, again.id).nik == nik
    purge.purge_personal_data(second, confirm_code=second.code, actor=admin, today=LATER)
    db.session.commit()
    db.session.refresh(user)
    assert user.nik is None and not user.active and user.password_hash is None


def test_evaluation_drafts_go_answers_stay(rated_event, admin):
    people = [factories.make_participant(rated_event) for _ in range(5)]
    for person in people:
        fill(person, ORGANIZER_PART, value=3)

    key = queries.parts(rated_event)[0].key
    services.save_answers(people[0], key, {"item-s1": "2"}, now=after_event(rated_event))
    db.session.commit()
    before = queries.report(rated_event)["organizer"]
    purge.purge_personal_data(rated_event, confirm_code=rated_event.code, actor=admin, today=LATER)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(EvaluationDraft.id))) == 0
    assert queries.report(rated_event)["organizer"] == before


def test_the_email_of_those_who_served_goes_with_the_purge(app, admin):
    event = factories.make_event("BERTUGAS24", start=date(2024, 1, 8))
    team.add_contributor(
        event,
        {
            "role": "narasumber",
            "name": "Kombes Pol. Budi",
            "nip": "196805121990031004",
            "email": "budi.kombes@polri.go.id",
            "module_id": str(event.modules[0].id),
        },
    )
    sign(event)
    keys = [person.key for person in served.served_people(event, "narasumber")]
    certificate = served_issuing.issue_served(event, "narasumber", keys).issued[0]
    db.session.commit()
    assert settle(app)
    assert db.session.scalar(sa.select(Delivery.to_address)) == "budi.kombes@polri.go.id"
    purge.purge_personal_data(event, confirm_code=event.code, actor=admin, today=LATER)
    db.session.commit()
    stored = " ".join(
        str(value)
        for table in (Contributor.__table__, Delivery.__table__)
        for row in db.session.execute(sa.select(table)).all()
        for value in row
    )
    assert "budi.kombes" not in stored and "polri.go.id" not in stored
    assert "196805121990031004" not in stored
    row = db.session.scalar(sa.select(Contributor))
    assert (row.name, row.email, row.nip) == ("Kombes Pol. Budi", "", "")
    db.session.refresh(certificate)
    assert certificate.name == "Kombes Pol. Budi" and certificate.revoked_at is None

"""Salin kegiatan: the next batch gets modules, sessions on its dates, the question bank and
the certificate settings with signatories; never people."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.assessments import bank as question_bank
from bimtek.assessments import settings as test_settings
from bimtek.audit.models import AuditLog
from bimtek.certificates import configuration, queries
from bimtek.certificates.models import DEFAULT_NUMBER_FORMAT
from bimtek.errors import Forbidden, InvalidInput
from bimtek.events.cloning import clone_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests import factories
from tests.assessments.conftest import add_question
from tests.conftest import login


@pytest.fixture
def source(app):
    event = factories.make_event("ANGK1", start=date(2026, 3, 2), capacity=120)
    add_question(event, event.modules[0], "Apa itu mitigasi?", explanation="Pencegahan")
    pre = test_settings.ensure_assessment(event, "pre")
    pre.duration_minutes = 20
    configuration.update_settings(
        event,
        {
            "min_attendance_percent": "75",
            "number_format": DEFAULT_NUMBER_FORMAT,
            "title_text": "SERTIFIKAT",
            "awarded_text": "diberikan kepada",
            "role_text": "sebagai PESERTA",
            "body_text": "telah mengikuti kegiatan",
            "signing_place": "Sangatta",
            "post_test_required": "1",
        },
    )
    configuration.save_signatory(
        event, {"name": "Drs. H. Ardiansyah", "title": "Bupati", "nip": ""}
    )
    factories.make_participant(event)
    db.session.commit()
    return event


def _data(**overrides):
    return {"code": "ANGK2", "title": "", "start_date": "2026-04-06", "end_date": "2026-04-09"} | (
        overrides
    )


def test_clone_copies_the_programme_not_the_people(source):
    admin = factories.make_staff("admin")
    copy = clone_event(source, _data(), actor=admin)
    db.session.commit()
    assert copy.code == "ANGK2" and copy.title == source.title and not copy.published
    assert copy.capacity == 120 and copy.start_date == date(2026, 4, 6)
    assert [m.code for m in copy.modules] == [m.code for m in source.modules]
    assert len(copy.sessions) == len(source.sessions)
    for old, new in zip(source.sessions, copy.sessions, strict=True):
        assert new.starts_at - old.starts_at == timedelta(days=35)
        assert new.local_start.time() == old.local_start.time()
        assert new.module.code == old.module.code and new.module.event_id == copy.id
    [question] = question_bank.list_questions(copy)
    assert question.text == "Apa itu mitigasi?" and question.module.event_id == copy.id
    assert [o.is_correct for o in question.options] == [True, False, False, False]
    pre = test_settings.ensure_assessment(copy, "pre")
    assert pre.duration_minutes == 20 and pre.opens_at.date() in (
        date(2026, 4, 5),
        date(2026, 4, 6),
    )
    settings = queries.get_settings(copy)
    assert settings.min_attendance_percent == 75 and settings.signing_place == "Sangatta"
    assert settings.last_seq == 0
    assert [s.name for s in settings.signatories] == ["Drs. H. Ardiansyah"]
    assert not db.session.scalars(
        sa.select(Participant).where(Participant.event_id == copy.id)
    ).all()
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "event.clone"))
    assert entry.actor_id == admin.id and entry.details["source"] == "ANGK1"


def test_clone_checks_code_dates_and_who(source):
    admin = factories.make_staff("admin")
    manager = factories.make_staff("manager", event=source)
    with pytest.raises(Forbidden):
        clone_event(source, _data(), actor=manager)
    with pytest.raises(InvalidInput) as caught:
        clone_event(source, _data(code="ANGK1", end_date="2026-04-01"), actor=admin)
    assert {"code", "end_date"} <= set(caught.value.fields)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_clone_page_for_administrators(client, source):
    admin = factories.make_staff("admin", "clone-admin@bimtek.local")
    login(client, admin.email)
    page = client.get(f"/admin/kegiatan/{source.code}/salin")
    assert page.status_code == 200 and "Salin kegiatan" in page.get_data(as_text=True)
    bad = client.post(f"/admin/kegiatan/{source.code}/salin", data=_data(code="x"))
    assert bad.status_code == 422
    done = client.post(f"/admin/kegiatan/{source.code}/salin", data=_data(title="Angkatan II"))
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/kegiatan/ANGK2/periksa-salinan"
    )
    copy = db.session.scalar(sa.select(Event).where(Event.code == "ANGK2"))
    assert copy.title == "Angkatan II"


def test_managers_cannot_clone(manager_client, event):
    assert manager_client.get(f"/admin/kegiatan/{event.code}/salin").status_code == 403
    page = manager_client.get(f"/admin/kegiatan/{event.code}/ubah").get_data(as_text=True)
    assert "/salin" not in page

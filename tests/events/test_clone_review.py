"""After "Salin kegiatan": a checklist of what to review in the copy, each item with what was
copied and where it is edited; ticked by a manager (persisted) or once changed."""

from datetime import date

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.certificates import configuration
from bimtek.errors import InvalidInput
from bimtek.events.clone_review import mark_reviewed, review_items, review_summary
from bimtek.events.cloning import clone_event
from bimtek.events.services import save_session, update_event
from bimtek.extensions import db
from tests import factories
from tests.assessments.conftest import add_question
from tests.conftest import login


@pytest.fixture
def source(app):
    event = factories.make_event(
        "ANGK1", start=date(2026, 3, 2), capacity=120, description="Angkatan pertama di Samarinda"
    )
    for session in event.sessions:
        session.room = "Ballroom Harris"
    add_question(event, event.modules[0], "Apa itu mitigasi?")
    configuration.save_signatory(event, {"name": "Drs. H. Ardiansyah", "title": "Bupati"})
    db.session.commit()
    return event


@pytest.fixture
def admin(app):
    return factories.make_staff("admin", "salin@bimtek.local")


@pytest.fixture
def copy(source, admin):
    data = {"code": "ANGK2", "title": "", "start_date": "2026-04-06", "end_date": "2026-04-09"}
    event = clone_event(source, data, actor=admin)
    db.session.commit()
    return event


def _items(event):
    return {i.item: i for i in review_items(event)}


def test_the_checklist_shows_what_was_copied(copy):
    items = _items(copy)
    assert list(items) == ["dates", "rooms", "description", "signatories", "questions", "capacity"]
    assert items["rooms"].copied == {"rooms": ["Ballroom Harris"]}
    assert items["description"].copied == {"description": "Angkatan pertama di Samarinda"}
    assert items["capacity"].copied == {"capacity": 120}
    assert items["signatories"].copied == {"count": 1}
    assert items["questions"].copied == {"count": 1}
    assert items["dates"].dates == {
        "start_date": date(2026, 4, 6),
        "end_date": date(2026, 4, 9),
        "source_start_date": date(2026, 3, 2),
        "source_end_date": date(2026, 3, 5),
    }
    assert not any(i.done for i in items.values())
    assert review_summary(copy) == (0, 6)


def test_an_event_that_is_not_a_copy_has_no_checklist(source):
    assert review_items(source) == [] and review_summary(source) == (0, 0)


def test_ticks_persist_and_are_audited(copy, admin):
    mark_reviewed(copy, "signatories", True, actor=admin)
    db.session.commit()
    db.session.expire_all()
    assert _items(copy)["signatories"].done
    assert _items(copy)["signatories"].row.reviewed_by_id == admin.id
    mark_reviewed(copy, "signatories", False, actor=admin)
    db.session.commit()
    assert not _items(copy)["signatories"].done
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "event.clone_review").order_by(AuditLog.id)
    ).all()
    assert [e.details for e in entries] == [
        {"item": "signatories", "reviewed": True},
        {"item": "signatories", "reviewed": False},
    ]
    with pytest.raises(InvalidInput):
        mark_reviewed(copy, "hotel", True, actor=admin)


def test_a_changed_item_counts_as_reviewed(copy, admin):
    data = {
        column: getattr(copy, column)
        for column in ("code", "title", "organizer", "provider", "venue", "city", "timezone")
    }
    data.update(
        start_date=copy.start_date,
        end_date=copy.end_date,
        capacity=150,
        description="Angkatan kedua di Sangatta",
        published=False,
    )
    update_event(copy, data, registered=0, actor=admin)
    session = copy.sessions[0]
    save_session(
        copy,
        {
            "title": session.title,
            "day": session.local_day,
            "start_time": session.local_start.time(),
            "end_time": session.local_end.time(),
            "room": "Aula Kantor Bupati",
        },
        session=session,
    )
    db.session.commit()
    items = _items(copy)
    assert items["capacity"].changed and items["description"].changed and items["rooms"].changed
    assert not items["dates"].changed and not items["questions"].done
    assert review_summary(copy) == (3, 6)


def test_the_clone_lands_on_the_checklist_page(client, source, admin):
    login(client, admin.email)
    data = {"code": "ANGK2", "title": "", "start_date": "2026-04-06", "end_date": "2026-04-09"}
    done = client.post(f"/admin/kegiatan/{source.code}/salin", data=data)
    url = "/admin/kegiatan/ANGK2/periksa-salinan"
    assert done.status_code == 302 and done.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "Ballroom Harris" in page and "Angkatan pertama di Samarinda" in page
    assert "/admin/kegiatan/ANGK2/sertifikat/pengaturan" in page
    assert "/admin/kegiatan/ANGK2/sesi/ubah-sekaligus" in page
    assert "0 dari 6" in page
    ticked = client.post(url, data={"item": "questions", "reviewed": "1"})
    assert ticked.status_code == 303
    assert "1 dari 6" in client.get(url).get_data(as_text=True)
    settings = client.get("/admin/kegiatan/ANGK2/ubah").get_data(as_text=True)
    assert url in settings


def test_managers_of_the_copy_use_the_checklist(client, copy):
    manager = factories.make_staff("manager", "kelola@bimtek.local", event=copy)
    login(client, manager.email)
    url = f"/admin/kegiatan/{copy.code}/periksa-salinan"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"item": "rooms", "reviewed": "1"}).status_code == 303
    assert _items(copy)["rooms"].done

"""The audit log viewer: filters, pages, the .xlsx export, and no NIK or phone in it."""

import io

import openpyxl
import sqlalchemy as sa

from bimtek.audit.services import record
from bimtek.extensions import db
from bimtek.participants import cancellation
from bimtek.reports import audit_log
from tests import factories
from tests.factories import make_event, make_participant


def _world(event):
    manager = factories.make_staff("manager", "log-manager@bimtek.local", event=event)
    ani = make_participant(event, full_name="Ani Lestari")
    budi = make_participant(event, full_name='=HYPERLINK("http://x")')
    cancellation.cancel(ani, actor=manager, reason="Sakit")
    record(
        "participant.claim",
        actor=ani.user,
        event_id=event.id,
        target=ani,
        details={"ip": "10.1.2.3", "proof": "ticket_code"},
    )
    db.session.commit()
    return manager, ani, budi


def test_filters_by_person_action_and_staff(app, event):
    manager, ani, budi = _world(event)
    other = make_event("LAIN24")
    make_participant(other, full_name="Ani Lestari")
    everything = db.session.scalars(audit_log.log_query(event, audit_log.LogFilters())).all()
    assert {e.event_id for e in everything} == {event.id}
    by_person = db.session.scalars(
        audit_log.log_query(event, audit_log.LogFilters(person="ani"))
    ).all()
    assert {e.target_id for e in by_person} == {ani.id}
    assert {e.action for e in by_person} == {
        "participant.register",
        "participant.cancel",
        "participant.claim",
    }
    cancels = audit_log.LogFilters(action="participant.cancel")
    assert [e.target_id for e in db.session.scalars(audit_log.log_query(event, cancels))] == [
        ani.id
    ]
    by_staff = db.session.scalars(
        audit_log.log_query(event, audit_log.LogFilters(actor_id=manager.id))
    ).all()
    assert {e.action for e in by_staff} == {"participant.cancel"}
    assert manager in audit_log.staff_in_log(event)
    assert ani.user not in audit_log.staff_in_log(event)


def test_page_shows_names_never_nik_phone_or_address(manager_client, event):
    _manager, ani, budi = _world(event)
    page = manager_client.get(f"/admin/kegiatan/{event.code}/log?peserta=Ani")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert "Ani Lestari" in html and "Pembatalan pendaftaran" in html and "Sakit" in html
    assert ani.nik not in html and ani.phone not in html and "10.1.2.3" not in html
    assert "HYPERLINK" not in html  # filtered out: another person
    junk = manager_client.get(f"/admin/kegiatan/{event.code}/log?staf=abc&hal=zz&tindakan=x")
    assert junk.status_code == 200


def test_export_is_an_xlsx_without_formulas(manager_client, event):
    _manager, ani, budi = _world(event)
    response = manager_client.get(f"/admin/kegiatan/{event.code}/log.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    texts = [str(v) for v in cells]
    assert any("Ani Lestari" in t for t in texts)
    assert not any(t.startswith("=") for t in texts)
    assert any("HYPERLINK" in t for t in texts)  # there, as text
    assert not any(ani.nik in t or "10.1.2.3" in t for t in texts)


def test_panitia_cannot_read_the_log(panitia_client, event):
    assert panitia_client.get(f"/admin/kegiatan/{event.code}/log").status_code == 403
    assert panitia_client.get(f"/admin/kegiatan/{event.code}/log.xlsx").status_code == 403


def test_pages(manager_client, event):
    person = make_participant(event)
    for index in range(audit_log.PER_PAGE + 5):
        record("participant.update", event_id=event.id, target=person, details={"n": index})
    db.session.commit()
    first = manager_client.get(f"/admin/kegiatan/{event.code}/log").get_data(as_text=True)
    assert "Halaman 1 dari 2" in first
    second = manager_client.get(f"/admin/kegiatan/{event.code}/log?hal=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in second
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("audit_log"))) > 50

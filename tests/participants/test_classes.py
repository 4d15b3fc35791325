"""Classes (kelas): creating, renaming, deleting; assigning by category, by hand, evenly and
from the import. Rules called without HTTP, then the pages."""

import io

import openpyxl
import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.errors import Conflict, InvalidInput
from bimtek.events import services as event_services
from bimtek.events.cloning import clone_event
from bimtek.extensions import db
from bimtek.participants import classes, importing
from bimtek.participants.models import Participant
from bimtek.participants.template import participant_template
from bimtek.reports import exports
from tests import factories
from tests.conftest import login
from tests.participants.sheets import FIELDS, HEADER, person_row, xlsx_bytes


def make_classes(event, *names, **fields):
    made = [classes.save_class(event, {"name": name, **fields}, channel="cli") for name in names]
    db.session.commit()
    return made


def test_create_rename_and_names_are_unique_in_an_event(event, manager):
    kelas_a = classes.save_class(event, {"name": "  Kelas   A ", "room": "Mahakam"}, actor=manager)
    assert (kelas_a.name, kelas_a.room, kelas_a.capacity) == ("Kelas A", "Mahakam", None)
    with pytest.raises(InvalidInput) as caught:
        classes.save_class(event, {"name": "kelas a"})
    assert caught.value.fields["name"] == "Sudah ada kelas bernama Kelas A."
    with pytest.raises(InvalidInput) as caught:
        classes.save_class(event, {"name": "", "capacity": "nol"})
    assert set(caught.value.fields) == {"name", "capacity"}
    classes.save_class(event, {"name": "Kelas Satu", "capacity": "40"}, event_class=kelas_a)
    assert (kelas_a.name, kelas_a.capacity, kelas_a.room) == ("Kelas Satu", 40, "")
    other = factories.make_event("LAIN24")
    assert classes.save_class(other, {"name": "Kelas Satu"}).name == "Kelas Satu"
    actions = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.action.like("class.%")).order_by(AuditLog.id)
    )
    assert list(actions) == ["class.create", "class.update", "class.create"]


def test_delete_is_refused_while_people_or_sessions_are_in_it(event, manager):
    kelas_a, kelas_b = make_classes(event, "Kelas A", "Kelas B")
    person = factories.make_participant(event)
    classes.assign_classes(event, {person.id: kelas_a.id}, how="hand")
    event_services.save_session(
        event,
        {
            "title": "Diskusi",
            "day": event.start_date,
            "start_time": "13:00",
            "end_time": "14:00",
            "class_id": kelas_b.id,
        },
    )
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        classes.delete_class(kelas_a, actor=manager)
    assert caught.value.code == "class_in_use"
    assert caught.value.message.startswith("Kelas A tidak dapat dihapus: masih ada 1 peserta")
    with pytest.raises(Conflict):
        classes.delete_class(kelas_b, actor=manager)
    kelas_c = make_classes(event, "Kelas C")[0]
    classes.delete_class(kelas_c, actor=manager)
    db.session.commit()
    assert [c.name for c in event.classes] == ["Kelas A", "Kelas B"]


def test_assign_by_category_and_capacity_refuses_the_whole_change(event, manager):
    kelas_a, kelas_b = make_classes(event, "Kelas A", "Kelas B")
    kpu = [factories.make_participant(event, institution_category="kpu") for _ in range(3)]
    polri = [factories.make_participant(event, institution_category="polri") for _ in range(2)]
    moved = classes.assign_by_category(
        event, {"kpu": str(kelas_a.id), "polri": str(kelas_b.id), "tni": ""}, actor=manager
    )
    db.session.commit()
    assert moved == 5
    assert {p.class_id for p in kpu} == {kelas_a.id}
    assert {p.class_id for p in polri} == {kelas_b.id}
    entry = db.session.scalar(
        sa.select(AuditLog).where(
            AuditLog.action == "participant.class", AuditLog.target_id == kpu[0].id
        )
    )
    assert entry.details == {"from": None, "to": kelas_a.id, "how": "category"}
    assert entry.actor_id == manager.id

    classes.save_class(event, {"name": "Kelas B", "capacity": "2"}, event_class=kelas_b)
    with pytest.raises(Conflict) as caught:
        classes.assign_classes(event, {kpu[0].id: kelas_b.id}, how="hand")
    assert caught.value.code == "class_full"
    assert caught.value.message == "Kelas B penuh: kapasitas 2, akan berisi 3 peserta."
    assert kpu[0].class_id == kelas_a.id
    with pytest.raises(InvalidInput):
        classes.assign_by_category(event, {"kpu": ""})


def test_hand_assignment_refuses_another_events_people_and_classes(event):
    kelas_a = make_classes(event, "Kelas A")[0]
    other = factories.make_event("LAIN24")
    stranger = factories.make_participant(other)
    theirs = make_classes(other, "Kelas A")[0]
    mine = factories.make_participant(event)
    with pytest.raises(InvalidInput) as caught:
        classes.assign_classes(event, {stranger.id: kelas_a.id}, how="hand")
    assert caught.value.code == "unknown_participant"
    with pytest.raises(InvalidInput) as caught:
        classes.assign_classes(event, {mine.id: theirs.id}, how="hand")
    assert caught.value.code == "unknown_class"
    assert classes.assign_classes(event, {str(mine.id): str(kelas_a.id)}, how="hand") == 1
    assert classes.assign_classes(event, {mine.id: ""}, how="hand") == 1
    assert mine.class_id is None


def test_spread_evenly_fills_the_emptiest_class_and_mixes_categories(event):
    kelas_a, kelas_b, kelas_c = make_classes(event, "Kelas A", "Kelas B", "Kelas C")
    for category in ("kpu", "kpu", "kpu", "polri", "polri", "polri", "tni"):
        factories.make_participant(event, institution_category=category)
    already = factories.make_participant(event)
    classes.assign_classes(event, {already.id: kelas_a.id}, how="hand")
    assert classes.spread_evenly(event) == 7
    db.session.commit()
    assert classes.class_sizes(event) == {kelas_a.id: 3, kelas_b.id: 3, kelas_c.id: 2}
    assert classes.unassigned_count(event) == 0
    polri = db.session.scalars(
        sa.select(Participant.class_id).where(Participant.institution_category == "polri")
    ).all()
    assert len(set(polri)) == 3  # one in each class

    classes.save_class(event, {"name": "Kelas C", "capacity": "2"}, event_class=kelas_c)
    classes.save_class(event, {"name": "Kelas A", "capacity": "3"}, event_class=kelas_a)
    classes.save_class(event, {"name": "Kelas B", "capacity": "3"}, event_class=kelas_b)
    factories.make_participant(event)
    with pytest.raises(Conflict) as caught:
        classes.spread_evenly(event)
    assert caught.value.code == "class_full"


def _with_class(rows, classes_column):
    return [row + [value] for row, value in zip(rows, classes_column, strict=True)]


def test_import_column_puts_people_in_their_class(event, admin):
    kelas_a, kelas_b = make_classes(event, "Kelas A", "Kelas B")
    rows = _with_class(
        [person_row(full_name=f"Peserta {n}") for n in range(3)], ["kelas a", " Kelas  B ", None]
    )
    report = importing.preview_import(event, xlsx_bytes(rows, header=[*HEADER, "Kelas"]))
    assert report.invalid == []
    importing.import_participants(event, report, actor=admin, filename="kelas.xlsx")
    db.session.commit()
    placed = dict(db.session.execute(sa.select(Participant.full_name, Participant.class_id)).all())
    assert placed == {"Peserta 0": kelas_a.id, "Peserta 1": kelas_b.id, "Peserta 2": None}
    how = db.session.scalars(
        sa.select(AuditLog.details).where(AuditLog.action == "participant.class")
    ).all()
    assert [entry["how"] for entry in how] == ["import", "import"]


def test_import_unknown_or_full_class_is_the_rows_error(event):
    make_classes(event, "Kelas A")
    classes.save_class(event, {"name": "Kelas B", "capacity": "1"})
    rows = _with_class(
        [person_row(full_name=f"Peserta {n}") for n in range(4)],
        ["Kelas Z", "Kelas B", "Kelas B", "Kelas A"],
    )
    report = importing.preview_import(event, xlsx_bytes(rows, header=[*HEADER, "Kelas"]))
    problems = {
        (row.number, p.field): (p.column, p.message) for row in report.rows for p in row.problems
    }
    assert problems == {
        (2, "class_name"): (
            "K (Kelas)",
            "kelas Kelas Z tidak ada pada kegiatan ini; kelas yang ada: Kelas A, Kelas B.",
        ),
        (4, "class_name"): ("K (Kelas)", "Kelas B penuh (kapasitas 1)."),
    }
    assert [row.number for row in report.valid] == [3, 5]
    lines = importing.format_report(report)
    assert any("Kelas Z tidak ada" in line for line in lines)


def test_import_without_classes_says_to_make_them_first(event):
    rows = _with_class([person_row()], ["Kelas A"])
    report = importing.preview_import(event, xlsx_bytes(rows, header=[*HEADER, "Kelas"]))
    [row] = report.invalid
    assert "belum punya kelas" in row.problems[0].message


def test_the_template_has_the_class_column(app):

    sheet = openpyxl.load_workbook(io.BytesIO(participant_template())).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[len(FIELDS)] == "Kelas"


def test_a_copied_event_gets_the_classes_empty_and_its_sessions_keep_their_class(event):

    kelas_a = make_classes(event, "Kelas A", room="Mahakam", capacity="30")[0]
    person = factories.make_participant(event)
    classes.assign_classes(event, {person.id: kelas_a.id}, how="hand")
    event.sessions[1].class_id = kelas_a.id
    db.session.commit()
    admin = factories.make_staff("admin")
    data = {"code": "UJI25", "title": "", "start_date": "2027-04-06", "end_date": "2027-04-09"}
    copy = clone_event(event, data, actor=admin)
    db.session.commit()
    [copied] = copy.classes
    assert (copied.name, copied.room, copied.capacity) == ("Kelas A", "Mahakam", 30)
    assert copied.id != kelas_a.id
    assert [s.class_id for s in copy.sessions] == [None, copied.id]
    assert classes.class_sizes(copy) == {copied.id: 0}


def test_a_participants_schedule_shows_their_own_sessions(client, event):

    kelas_a, kelas_b = make_classes(event, "Kelas A", "Kelas B")
    event.sessions[1].class_id = kelas_b.id
    event.sessions[1].title = "Diskusi Kelas B"
    person = factories.make_participant(event)
    classes.assign_classes(event, {person.id: kelas_a.id}, how="hand")
    db.session.commit()
    assert [s.id for s in classes.own_sessions(person)] == [event.sessions[0].id]
    login(client, person.nik)
    page = client.get(f"/portal/{person.id}/jadwal").get_data(as_text=True)
    assert event.sessions[0].title in page and "Diskusi Kelas B" not in page


def test_the_participant_export_names_the_class_and_imports_back(event):

    kelas_a = make_classes(event, "Kelas A")[0]
    person = factories.make_participant(event, full_name="Ani")
    classes.assign_classes(event, {person.id: kelas_a.id}, how="hand")
    db.session.commit()
    content, _filename = exports.export_workbook(event, "peserta")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Peserta"]
    header = [c.value for c in sheet[4]]
    assert header[-1] == "Kelas" and sheet.cell(5, len(header)).value == "Kelas A"
    again = factories.make_event("LAIN24")
    make_classes(again, "Kelas A")
    report = importing.preview_import(again, content)
    assert report.invalid == [] and report.valid[0].clean["class_id"] == again.classes[0].id

"""Classes (kelas) in attendance: each person counts at their own sessions (plenary and
their class's), the desk refuses another class's session, the daftar hadir of a class's
session lists its class. Rules called without HTTP, then the desk's JSON."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance import checkin, queries
from bimtek.attendance.errors import NotInClass
from bimtek.attendance.models import Attendance
from bimtek.attendance.pdf import sign_in_sheet_pdf
from bimtek.certificates.rules import eligibility, eligibility_for
from bimtek.events import services as event_services
from bimtek.events.classes import session_is_for, sessions_for
from bimtek.extensions import db
from bimtek.participants import classes
from tests import factories
from tests.pdftext import pdf_text


@pytest.fixture
def taught(event):
    """Kelas A and Kelas B; session 0 plenary, session 1 for A, a third session for B;
    Ani in A, Budi in B, Citra in no class."""
    kelas_a = classes.save_class(event, {"name": "Kelas A", "room": "Mahakam"}, channel="cli")
    kelas_b = classes.save_class(event, {"name": "Kelas B", "room": "Kelay"}, channel="cli")
    plenary, for_a = event.sessions
    event_services.save_session(
        event,
        {
            "title": "Diskusi kelas A",
            "day": plenary.local_day,
            "start_time": for_a.local_start.time(),
            "end_time": for_a.local_end.time(),
            "class_id": str(kelas_a.id),
        },
        session=for_a,
        channel="cli",
    )
    for_b = event_services.save_session(
        event,
        {
            "title": "Diskusi kelas B",
            "day": plenary.local_day,
            "start_time": for_a.local_start.time(),
            "end_time": for_a.local_end.time(),
            "class_id": str(kelas_b.id),
        },
        channel="cli",
    )
    ani = factories.make_participant(event, full_name="Ani Kelas A")
    budi = factories.make_participant(event, full_name="Budi Kelas B")
    citra = factories.make_participant(event, full_name="Citra Tanpa Kelas")
    classes.assign_classes(event, {ani.id: kelas_a.id, budi.id: kelas_b.id}, how="hand")
    db.session.commit()
    return {
        "A": kelas_a,
        "B": kelas_b,
        "plenary": plenary,
        "for_a": for_a,
        "for_b": for_b,
        "ani": ani,
        "budi": budi,
        "citra": citra,
    }


def test_the_rule_of_whose_sessions(taught):
    plenary, for_a, for_b = taught["plenary"], taught["for_a"], taught["for_b"]
    assert session_is_for(plenary, None) and session_is_for(plenary, taught["A"].id)
    assert session_is_for(for_a, taught["A"].id) and not session_is_for(for_a, taught["B"].id)
    assert not session_is_for(for_a, None)
    everything = [plenary, for_a, for_b]
    assert sessions_for(everything, taught["B"].id) == [plenary, for_b]
    assert sessions_for(everything, None) == [plenary]


def test_percentage_counts_each_person_at_their_own_sessions(taught, panitia):
    plenary, for_a, for_b = taught["plenary"], taught["for_a"], taught["for_b"]
    ani, budi, citra = taught["ani"], taught["budi"], taught["citra"]
    for person in (ani, budi, citra):
        checkin.check_in(plenary, person.ticket_code, actor=panitia, now=plenary.starts_at)
    checkin.check_in(for_a, ani.ticket_code, actor=panitia, now=for_a.starts_at)
    db.session.commit()
    after = for_b.ends_at + timedelta(hours=1)
    summary = queries.attendance_summary(taught["plenary"].event, now=after)
    assert (summary[ani.id].present, summary[ani.id].mandatory_total) == (2, 2)
    assert summary[ani.id].percent == 100
    # Budi missed his own class's session; Kelas A's session is not his to miss
    assert (
        summary[budi.id].present,
        summary[budi.id].absent,
        summary[budi.id].mandatory_total,
    ) == (
        1,
        1,
        2,
    )
    assert summary[budi.id].percent == 50
    assert (summary[citra.id].mandatory_total, summary[citra.id].percent) == (1, 100)

    matrix = queries.attendance_matrix(plenary.event, now=after)
    by_name = {row.participant.full_name: row.statuses for row in matrix.rows}
    assert by_name["Ani Kelas A"] == ["hadir", "hadir", None]
    assert by_name["Budi Kelas B"] == ["hadir", None, "alpa"]
    assert by_name["Citra Tanpa Kelas"] == ["hadir", None, None]
    assert [t["expected"] for t in matrix.session_totals] == [3, 1, 1]
    assert [s.title for s, _status, _row in queries.participant_attendance(budi, now=after)] == [
        plenary.title,
        "Diskusi kelas B",
    ]


def test_certificate_eligibility_follows_each_persons_sessions(taught, panitia):
    plenary, for_a = taught["plenary"], taught["for_a"]
    ani, budi = taught["ani"], taught["budi"]
    for person in (ani, budi):
        checkin.check_in(plenary, person.ticket_code, actor=panitia, now=plenary.starts_at)
    checkin.check_in(for_a, ani.ticket_code, actor=panitia, now=for_a.starts_at)
    db.session.commit()
    verdicts = {v.participant.full_name: v for v in eligibility(plenary.event)}
    assert verdicts["Ani Kelas A"].attendance_percent == 100
    assert not any("kehadiran" in reason for reason in verdicts["Ani Kelas A"].reasons)
    assert verdicts["Budi Kelas B"].attendance_percent == 50
    assert "kehadiran 50% < 80%" in verdicts["Budi Kelas B"].reasons
    assert eligibility_for(budi).attendance_percent == 50


def test_the_desk_refuses_another_class_session_and_writes_nothing(taught, panitia):
    for_a, budi, citra = taught["for_a"], taught["budi"], taught["citra"]
    with pytest.raises(NotInClass) as caught:
        checkin.check_in(for_a, budi.ticket_code, actor=panitia, now=for_a.starts_at)
    assert caught.value.code == "not_in_class" and caught.value.status == 409
    assert caught.value.participant.id == budi.id
    assert caught.value.message == (
        "Bukan kelasnya: sesi ini khusus Kelas A, sedangkan Budi Kelas B di Kelas B (Kelay). "
        "Arahkan ke sesi kelasnya."
    )
    with pytest.raises(NotInClass) as caught:
        checkin.check_in(for_a, citra, actor=panitia, now=for_a.starts_at)
    assert "belum masuk kelas mana pun" in caught.value.message
    with pytest.raises(NotInClass):
        checkin.mark_excused(for_a, budi, "izin", "surat tugas", actor=panitia)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
    # moved to Kelas A by a manager, the same scan goes through
    classes.assign_classes(for_a.event, {budi.id: taught["A"].id}, how="hand")
    result = checkin.check_in(for_a, budi.ticket_code, actor=panitia, now=for_a.starts_at)
    assert result.status == "hadir"


def test_a_walk_in_at_a_class_session_joins_that_class(taught, panitia):
    for_b = taught["for_b"]
    data = factories.registration_data(full_name="Dodi Datang Langsung")
    outcome, result = checkin.walk_in(for_b, data, actor=panitia, now=for_b.starts_at)
    assert outcome.participant.class_id == taught["B"].id
    assert result.status == "hadir"


def test_the_daftar_hadir_of_a_class_session_lists_only_its_class(taught):
    for_a, plenary = taught["for_a"], taught["plenary"]
    rows = queries.session_attendance(for_a)
    assert [person.full_name for person, _row in rows] == ["Ani Kelas A"]
    text = pdf_text(sign_in_sheet_pdf(for_a, rows, now=for_a.starts_at).read())
    assert "Ani Kelas A" in text and "Budi" not in text and "Citra" not in text
    assert "Kelas A" in text.split("Ani Kelas A")[0]  # the class in the heading
    assert "Jumlah peserta terdaftar: 1" in text
    assert len(queries.session_attendance(plenary)) == 3
    assert queries.session_counts(for_a, now=for_a.starts_at)["expected"] == 1
    assert queries.session_counts(plenary, now=plenary.starts_at)["expected"] == 3


def test_the_desk_json_says_not_their_class_without_personal_data(panitia_client, taught):
    for_a, budi = taught["for_a"], taught["budi"]
    answer = panitia_client.post(
        f"/kegiatan/{for_a.event.code}/check-in/{for_a.id}/scan",
        json={"code": budi.ticket_code},
    )
    assert answer.status_code == 409
    body = answer.get_json()
    assert body["error"]["code"] == "not_in_class"
    assert "Bukan kelasnya" in body["error"]["message"]
    assert body["participant"]["full_name"] == "Budi Kelas B"
    text = answer.get_data(as_text=True)
    assert budi.nik not in text and budi.phone not in text


def test_the_daftar_hadir_download_lists_only_the_class(panitia_client, taught):
    for_b = taught["for_b"]
    answer = panitia_client.get(f"/kegiatan/{for_b.event.code}/sesi/{for_b.id}/daftar-hadir.pdf")
    text = pdf_text(answer.data)
    assert "Budi Kelas B" in text and "Ani" not in text and "Citra" not in text


def test_the_recap_marks_another_class_session_and_names_the_class(panitia_client, taught):
    event = taught["plenary"].event
    page = panitia_client.get(f"/kegiatan/{event.code}/rekap-kehadiran").get_data(as_text=True)
    assert "sesi kelas lain" in page
    assert "Tiap peserta dihitung dari sesinya sendiri" in page
    budi_row = page.split("Budi Kelas B")[1].split("</tr>")[0]
    assert "Kelas B" in budi_row and budi_row.count('title="sesi kelas lain"') == 1
    assert taught["budi"].nik not in page and taught["budi"].phone not in page

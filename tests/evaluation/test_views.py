"""Evaluation pages: who may open them, the questionnaire on a phone, the report."""

from unittest import mock

import sqlalchemy as sa

from bimtek.evaluation import queries
from bimtek.evaluation.models import ORGANIZER_PART, EvaluationResponse, EvaluationSubmission
from bimtek.extensions import db
from tests import factories
from tests.conftest import login
from tests.evaluation.conftest import after_event, fill


def _all_open(event):
    return mock.patch("bimtek.evaluation.queries.utcnow", return_value=after_event(event))


def test_participant_fills_the_organizer_part(client, rated_event):
    person = factories.make_participant(rated_event)
    login(client, person.nik)
    with (
        _all_open(rated_event),
        mock.patch("bimtek.evaluation.services.utcnow", return_value=after_event(rated_event)),
    ):
        page = client.get(f"/portal/peserta/{person.id}/evaluasi")
        assert page.status_code == 200
        assert "Dr. Andi Mappa, M.Si" in page.get_data(as_text=True)
        form = client.get(f"/portal/peserta/{person.id}/evaluasi/{ORGANIZER_PART}")
        assert form.status_code == 302  # the one page, at the organizer's part
        assert form.headers["Location"].endswith(f"#part-{ORGANIZER_PART}")
        assert f'name="{ORGANIZER_PART}.o1"' in page.get_data(as_text=True)
        saved = client.post(
            f"/portal/peserta/{person.id}/evaluasi/{ORGANIZER_PART}/simpan",
            data={"item-o1": "3"},
            headers={"Accept": "application/json"},
        )
        assert saved.status_code == 200 and saved.json == {"saved": True}
        incomplete = client.post(
            f"/portal/peserta/{person.id}/evaluasi/{ORGANIZER_PART}/kirim",
            data={"item-o2": "4"},
        )
        assert incomplete.status_code == 422
        assert "Belum dinilai" in incomplete.get_data(as_text=True)
        data = {f"item-o{i}": "4" for i in range(1, 7)} | {"comment": "Mantap"}
        done = client.post(
            f"/portal/peserta/{person.id}/evaluasi/{ORGANIZER_PART}/kirim", data=data
        )
        assert done.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(EvaluationSubmission.id))) == 1
    assert db.session.scalar(sa.select(EvaluationResponse.comment)) == "Mantap"


def test_a_part_not_yet_open_redirects_and_refuses_answers(client, rated_event):
    person = factories.make_participant(rated_event)
    login(client, person.nik)
    before = queries.parts(rated_event)[0].opens_at.replace(year=2000)
    with mock.patch("bimtek.evaluation.queries.utcnow", return_value=before):
        assert (
            client.get(f"/portal/peserta/{person.id}/evaluasi/{ORGANIZER_PART}").status_code == 302
        )
    response = client.post(
        f"/portal/peserta/{person.id}/evaluasi/{ORGANIZER_PART}/simpan",
        data={"item-o1": "3"},
        headers={"Accept": "application/json"},
    )
    # the real clock: the event ends in three days, so the organizer's part is not open
    assert response.status_code == 403
    assert response.json["error"]["code"] == "evaluation_not_open"


def test_another_participants_evaluation_is_not_found(client, rated_event):
    mine = factories.make_participant(rated_event)
    theirs = factories.make_participant(rated_event)
    login(client, mine.nik)
    assert client.get(f"/portal/peserta/{theirs.id}/evaluasi").status_code == 404
    response = client.post(
        f"/portal/peserta/{theirs.id}/evaluasi/{ORGANIZER_PART}/kirim", data={"item-o1": "4"}
    )
    assert response.status_code == 404


def test_staff_pages_are_for_the_events_manager(client, rated_event):
    manager = factories.make_staff("manager", event=rated_event)
    panitia = factories.make_staff("panitia", event=rated_event)
    stranger = factories.make_staff("manager", event=factories.make_event("LAIN24"))
    url = f"/admin/kegiatan/{rated_event.code}/evaluasi"
    assert client.get(url).status_code == 302  # to the login page
    login(client, panitia.email)
    assert client.get(url).status_code == 403
    client.post("/keluar")
    login(client, stranger.email)
    assert client.get(url).status_code == 404
    client.post("/keluar")
    login(client, manager.email)
    assert client.get(url).status_code == 200
    assert client.get(url + "/pengaturan").status_code == 200


def test_report_page_shows_aggregates_only_from_five(client, rated_event):
    people = [factories.make_participant(rated_event) for _ in range(5)]
    for person in people[:4]:
        fill(person, ORGANIZER_PART, comment="Ruang terlalu dingin")
    manager = factories.make_staff("manager", event=rated_event)
    login(client, manager.email)
    url = f"/admin/kegiatan/{rated_event.code}/evaluasi"
    page = client.get(url).get_data(as_text=True)
    assert "Ruang terlalu dingin" not in page
    assert "minimal 5 responden" in page
    fill(people[4], ORGANIZER_PART, value=3)
    page = client.get(url).get_data(as_text=True)
    assert "Ruang terlalu dingin" in page
    assert '<div class="part-index">95 ' in page  # (4 × 4 + 3) ÷ 5 = 3.8 → 95
    for person in people:
        assert person.full_name not in page


def test_manager_changes_settings_and_items(client, rated_event):
    manager = factories.make_staff("manager", event=rated_event)
    login(client, manager.email)
    base = f"/admin/kegiatan/{rated_event.code}/evaluasi"
    bad = client.post(
        base + "/pengaturan", data={"very_good_from": "50", "good_from": "60", "fair_from": "70"}
    )
    assert bad.status_code == 422
    good = client.post(
        base + "/pengaturan",
        data={
            "required_for_certificate": "1",
            "very_good_from": "90",
            "good_from": "80",
            "fair_from": "70",
        },
    )
    assert good.status_code == 302
    assert queries.settings_of(rated_event).required_for_certificate
    items = {f"text-o{i}": f"Butir {i}" for i in range(1, 7)} | {"new-organizer": "Kebersihan"}
    assert client.post(base + "/pernyataan/organizer", data=items).status_code == 302
    assert [i.text for i in queries.items_of(rated_event, "organizer")][-1] == "Kebersihan"
    assert client.post(base + "/pernyataan/lain", data=items).status_code == 404


def test_a_waitlisted_participant_sees_no_questionnaire(client, rated_event):
    person = factories.make_participant(rated_event)
    person.status = "waitlisted"
    db.session.commit()
    login(client, person.nik)
    with _all_open(rated_event):
        page = client.get(f"/portal/peserta/{person.id}/evaluasi").get_data(as_text=True)
    assert "diisi oleh peserta terdaftar" in page
    assert f"/portal/peserta/{person.id}/evaluasi/{ORGANIZER_PART}" not in page

"""Taking a test and the admin pages through HTTP."""

import io
import re
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import bank as question_bank
from bimtek.assessments import portal
from bimtek.assessments import results as test_results
from bimtek.assessments import settings as test_settings
from bimtek.assessments.models import Answer, Attempt
from bimtek.core.timeutil import utcnow
from bimtek.demo import load_demo
from bimtek.extensions import db
from tests.assessments.conftest import correct_option, take_test, wrong_option
from tests.conftest import login


def portal_url(participant, suffix=""):
    return f"/peserta/{participant.id}/tes{suffix}"


def start(client, participant, kind="pre"):
    response = client.post(portal_url(participant, f"/{kind}/mulai"))
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.scalar(sa.select(Attempt).where(Attempt.participant_id == participant.id))


def test_portal_needs_login_and_the_right_participant(client, bank, participant, other_participant):
    assert client.get(portal_url(participant)).status_code == 302  # to the login page
    login(client, other_participant.nik)
    assert client.get(portal_url(participant)).status_code == 404  # as for a missing id
    assert client.post(portal_url(participant, "/pre/mulai")).status_code == 404
    assert client.get(portal_url(other_participant)).status_code == 200
    assert client.get("/peserta/999999/tes").status_code == 404


def test_staff_cannot_open_a_participants_test(admin_client, bank, participant):
    assert admin_client.get(portal_url(participant)).status_code == 403


def test_take_a_test_over_http(client, event, bank, participant):
    login(client, participant.nik)
    page = client.get(portal_url(participant)).get_data(as_text=True)
    assert "Mulai Pre-test" in page
    page = client.get(portal_url(participant, "/pre")).get_data(as_text=True)
    assert "4 soal pilihan ganda" in page
    attempt = start(client, participant)
    page = client.get(portal_url(participant, "/pre")).get_data(as_text=True)
    # the questions show in the attempt's own order, with a deadline for the countdown
    positions = [page.index(f'data-question="{qid}"') for qid in attempt.question_order]
    assert positions == sorted(positions)
    assert f'data-deadline="{attempt.deadline_at.isoformat()}"' in page
    # no trace of the key or the explanation before the attempt is closed
    assert "is_correct" not in page and "correct" not in page.replace("X-CSRFToken", "")
    assert "Pembahasan" not in page

    # save by fetch (JSON), change the answer, then a plain-form save
    q0, q1 = bank[0], bank[1]
    response = client.post(
        portal_url(participant, "/pre/jawab"),
        data={f"q{q0.id}": wrong_option(q0)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.get_json() | {"deadline_at": None} == {
        "saved": 1,
        "answered": 1,
        "total": 4,
        "deadline_at": None,
    }
    response = client.post(
        portal_url(participant, "/pre/jawab"),
        data={f"q{q0.id}": correct_option(q0)},
        headers={"Accept": "application/json"},
    )
    assert response.get_json()["answered"] == 1
    response = client.post(
        portal_url(participant, "/pre/jawab"), data={f"q{q1.id}": correct_option(q1)}
    )
    assert response.status_code == 302
    # reload: the saved choices are checked
    page = client.get(portal_url(participant, "/pre")).get_data(as_text=True)
    for question in (q0, q1):
        assert re.search(
            rf'name="q{question.id}" value="{correct_option(question)}"\s+checked', page
        )

    # submit with one more answer in the form; a second submit changes nothing
    response = client.post(
        portal_url(participant, "/pre/kumpulkan"), data={f"q{bank[2].id}": correct_option(bank[2])}
    )
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert (attempt.closed_reason, attempt.score) == ("submitted", 75.0)
    first_close = attempt.submitted_at
    client.post(portal_url(participant, "/pre/kumpulkan"))
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).submitted_at == first_close
    # the pre-test hides the score by default; the page says it is done
    page = client.get(portal_url(participant, "/pre")).get_data(as_text=True)
    assert "Pre-test selesai" in page and 'id="score"' not in page
    # answering a closed attempt is refused
    response = client.post(
        portal_url(participant, "/pre/jawab"),
        data={f"q{bank[3].id}": correct_option(bank[3])},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "attempt_closed"
    # starting again is harmless: the same attempt
    start(client, participant)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_post_test_shows_the_score(client, event, bank, participant):
    login(client, participant.nik)
    attempt = start(client, participant, "post")
    client.post(
        portal_url(participant, "/post/kumpulkan"),
        data={f"q{q.id}": correct_option(q) for q in bank[:2]},
    )
    page = client.get(portal_url(participant, "/post")).get_data(as_text=True)
    assert 'id="score">50<' in page
    # per module: both M1 questions right (2/2), both M2 questions unanswered (0/2)
    assert re.search(r"M1</span> Mitigasi Konflik</td><td[^>]*>2/2<", page)
    assert re.search(r"M2</span> Pemetaan Kerawanan</td><td[^>]*>0/2<", page)
    # only now may the page be more than a score: still no key is ever shown
    assert attempt.id and "Benar" not in page


def test_answer_after_the_deadline_is_refused(client, event, bank, participant):
    login(client, participant.nik)
    attempt = start(client, participant)
    client.post(
        portal_url(participant, "/pre/jawab"),
        data={f"q{bank[0].id}": correct_option(bank[0])},
        headers={"Accept": "application/json"},
    )
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(
        portal_url(participant, "/pre/jawab"),
        data={f"q{bank[1].id}": correct_option(bank[1])},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    body = response.get_json()["error"]
    assert body["code"] == "deadline_passed" and "Waktu pengerjaan sudah habis" in body["message"]
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.closed_reason == "expired" and attempt.score == 25.0
    # without JS: the message comes as a flash on the result page
    response = client.post(
        portal_url(participant, "/pre/jawab"),
        data={f"q{bank[1].id}": correct_option(bank[1])},
        follow_redirects=True,
    )
    assert "Waktu habis" in response.get_data(as_text=True)
    # a late submit carrying answers still closes nothing new and saves nothing
    client.post(
        portal_url(participant, "/pre/kumpulkan"), data={f"q{bank[2].id}": correct_option(bank[2])}
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 1


def test_one_cannot_write_into_another_participants_attempt(
    client, event, bank, participant, other_participant
):
    login(client, participant.nik)
    mine = start(client, participant)
    client.get("/keluar")
    client.post("/keluar")
    login(client, other_participant.nik)
    response = client.post(
        portal_url(participant, "/pre/jawab"),
        data={f"q{bank[0].id}": correct_option(bank[0])},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 404  # as for a registration that does not exist
    assert client.post(portal_url(participant, "/pre/kumpulkan")).status_code == 404
    assert client.get(portal_url(participant, "/pre")).status_code == 404
    # their own attempt does not exist yet: nothing to answer into
    response = client.post(
        portal_url(other_participant, "/pre/jawab"),
        data={f"q{bank[0].id}": correct_option(bank[0])},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_started"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0
    assert not db.session.get(Attempt, mine.id).is_closed


def test_bad_answer_input(client, event, bank, participant):
    login(client, participant.nik)
    start(client, participant)
    for data in (
        {f"q{bank[0].id}": "x"},
        {f"q{bank[0].id}": correct_option(bank[1])},
        {"q999999": "1"},
    ):
        response = client.post(
            portal_url(participant, "/pre/jawab"), data=data, headers={"Accept": "application/json"}
        )
        assert response.status_code == 422, data
    assert client.get(portal_url(participant, "/tengah")).status_code == 404


# --------------------------------------------------------------------------- admin


def test_admin_pages_render(admin_client, event, bank):
    page = admin_client.get(f"/admin/kegiatan/{event.code}/tes").get_data(as_text=True)
    assert "Bank soal" in page and "Soal M1 nomor satu" in page
    assert admin_client.get(f"/admin/kegiatan/{event.code}/tes/soal/baru").status_code == 200
    assert (
        admin_client.get(f"/admin/kegiatan/{event.code}/tes/soal/{bank[0].id}").status_code == 200
    )
    assert admin_client.get(f"/admin/kegiatan/{event.code}/tes/soal/999999").status_code == 404
    assert admin_client.get(f"/admin/kegiatan/{event.code}/tes/hasil").status_code == 200


def test_panitia_sees_no_test_page_and_no_answer_key(panitia_client, event, bank):
    for page in ("tes", "tes/hasil", "tes/percobaan", "tes/soal.xlsx", "ekspor/nilai.xlsx"):
        assert panitia_client.get(f"/admin/kegiatan/{event.code}/{page}").status_code == 403
    assert (
        panitia_client.get(f"/admin/kegiatan/{event.code}/tes/soal/{bank[0].id}").status_code == 403
    )
    assert (
        panitia_client.post(
            f"/admin/kegiatan/{event.code}/tes/pengaturan/pre", data={"duration_minutes": "5"}
        ).status_code
        == 403
    )


def test_manager_sees_the_bank(manager_client, event, bank):
    page = manager_client.get(f"/admin/kegiatan/{event.code}/tes")
    assert page.status_code == 200 and "Soal M1 nomor satu" in page.get_data(as_text=True)


def test_participant_cannot_open_admin_pages(client, event, bank, participant):
    login(client, participant.nik)
    assert client.get(f"/admin/kegiatan/{event.code}/tes").status_code == 403
    assert client.get(f"/admin/kegiatan/{event.code}/tes/hasil").status_code == 403


def test_create_edit_delete_question(admin_client, event, modules):
    url = f"/admin/kegiatan/{event.code}/tes/soal/baru"
    data = {
        "module_id": modules["M2"].id,
        "text": "Siapa yang mengawasi Pilkada?",
        "option_1": "KPU",
        "option_2": "Bawaslu",
        "option_3": "DKPP",
        "option_4": "MK",
        "correct": "2",
        "explanation": "Bawaslu mengawasi.",
    }
    response = admin_client.post(url, data={**data, "correct": ""})
    assert response.status_code == 422
    assert "Belum ada jawaban benar" in response.get_data(as_text=True)
    assert admin_client.post(url, data=data).status_code == 302
    question = question_bank.list_questions(event)[0]
    assert question.correct_option.text == "Bawaslu"
    edit = f"/admin/kegiatan/{event.code}/tes/soal/{question.id}"
    assert admin_client.post(edit, data={**data, "option_5": "Polri"}).status_code == 302
    db.session.expire_all()
    assert len(question.options) == 5
    assert admin_client.post(edit + "/hapus").status_code == 302
    db.session.expire_all()
    assert question_bank.list_questions(event) == []


def test_settings_form(admin_client, event, bank):
    url = f"/admin/kegiatan/{event.code}/tes/pengaturan/post"
    response = admin_client.post(url, data={"duration_minutes": "0", "opens_at": "kemarin"})
    assert response.status_code == 422
    response = admin_client.post(
        url,
        data={
            "opens_at": "2024-10-31T16:30",
            "closes_at": "2024-10-31T18:00",
            "duration_minutes": "45",
            "questions_per_module": "",
            "show_score_after": ["1", "0"],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    post = test_settings.ensure_assessment(event, "post")
    # 16:30 WITA = 08:30 UTC
    assert post.opens_at.isoformat() == "2024-10-31T08:30:00+00:00"
    assert post.duration_minutes == 45 and post.show_score_after
    assert admin_client.get(f"/admin/kegiatan/{event.code}/tes/pengaturan/mid").status_code == 404


def test_results_page_links_the_results_export(
    admin_client, event, bank, participant, other_participant
):
    """The page's export is the reports workbook "nilai" (its content: tests/reports)."""
    take_test(event, participant, "pre", 1)
    take_test(event, participant, "post", 4)
    take_test(event, other_participant, "pre", 3)
    page = admin_client.get(f"/admin/kegiatan/{event.code}/tes/hasil").get_data(as_text=True)
    assert "<svg" in page and "style=" not in page
    assert participant.full_name in page and "Belum mengikuti post-test" in page
    link = f"/admin/kegiatan/{event.code}/ekspor/nilai.xlsx"
    assert f'href="{link}"' in page
    response = admin_client.get(link)
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.data)).sheetnames[0] == "Hasil pre-post test"


def test_manager_sees_the_results_and_downloads_them(manager_client, event, bank, participant):
    take_test(event, participant, "pre", 2)
    page = manager_client.get(f"/admin/kegiatan/{event.code}/tes/hasil").get_data(as_text=True)
    link = f"/admin/kegiatan/{event.code}/ekspor/nilai.xlsx"
    assert f'href="{link}"' in page
    assert manager_client.get(link).status_code == 200


def test_api_results(client, event, bank, participant, auth_headers, manager_headers):
    take_test(event, participant, "pre", 2)
    take_test(event, participant, "post", 3)
    assert client.get(f"/api/v1/events/{event.code}/results").status_code == 401
    # the panitia's token: item analysis holds the answer key
    response = client.get(f"/api/v1/events/{event.code}/results", headers=auth_headers)
    assert response.status_code == 403
    response = client.get(f"/api/v1/events/{event.code}/results", headers=manager_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body == test_results.results(event)
    row = body["participants"][0]
    # (75 − 50)/(100 − 50) = 0.5
    assert (row["pre"], row["post"], row["gain"], row["g"], row["band"]) == (
        50,
        75,
        25,
        0.5,
        "medium",
    )
    assert client.get("/api/v1/events/NOPE/results", headers=manager_headers).status_code == 404
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/events/{code}/results" in spec["paths"]
    assert "AssessmentResults" in spec["components"]["schemas"]


def test_cli_close_expired_attempts(runner, event, bank, participant):
    attempt = attempt_ops.start_attempt(
        test_settings.ensure_assessment(event, "pre"), participant, utcnow() - timedelta(hours=2)
    )
    db.session.commit()
    result = runner.invoke(args=["close-expired-attempts"])
    assert "1 percobaan yang lewat batas waktunya ditutup." in result.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).closed_reason == "expired"


def test_attempt_monitor_extend_and_reset(
    admin_client, event, bank, participant, other_participant
):
    assessment = test_settings.ensure_assessment(event, "pre")
    expired = attempt_ops.start_attempt(assessment, participant, utcnow() - timedelta(hours=1))
    attempt_ops.save_answers(
        expired, {bank[0].id: correct_option(bank[0])}, utcnow() - timedelta(minutes=50)
    )
    running = attempt_ops.start_attempt(assessment, other_participant)
    db.session.commit()
    expired_id, running_id = expired.id, running.id
    url = f"/admin/kegiatan/{event.code}/tes/percobaan"
    page = admin_client.get(url).get_data(as_text=True)
    assert "1 sedang mengerjakan" in page and "waktu habis" in page
    assert participant.full_name in page and "1/4" in page

    # more time re-opens the attempt closed at its deadline, from now on
    response = admin_client.post(f"{url}/{expired_id}/tambah-waktu", data={"minutes": "15"})
    assert response.status_code == 302
    db.session.expire_all()
    reopened = db.session.get(Attempt, expired_id)
    assert reopened.submitted_at is None and reopened.score is None
    assert timedelta(minutes=14) < reopened.deadline_at - utcnow() <= timedelta(minutes=15)
    assert portal.chosen_options(reopened) == {bank[0].id: correct_option(bank[0])}
    assert (
        admin_client.post(
            f"{url}/{expired_id}/tambah-waktu", data={"minutes": "999"}, follow_redirects=True
        ).status_code
        == 200
    )

    # a submitted attempt cannot be given more time; it can be reset
    attempt_ops.submit_attempt(db.session.get(Attempt, running_id))
    db.session.commit()
    page = admin_client.post(
        f"{url}/{running_id}/tambah-waktu", data={"minutes": "5"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "sudah mengumpulkan" in page
    assert admin_client.post(f"{url}/{running_id}/ulang").status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, running_id) is None
    assert admin_client.post(f"{url}/999999/ulang").status_code == 404
    assert admin_client.post(f"{url}/{expired_id}/hapus-semua").status_code == 400


def test_panitia_neither_sees_the_monitor_nor_acts(panitia_client, event, bank, participant):
    attempt = attempt_ops.start_attempt(test_settings.ensure_assessment(event, "pre"), participant)
    db.session.commit()
    url = f"/admin/kegiatan/{event.code}/tes/percobaan"
    assert panitia_client.get(url + "?tes=pre").status_code == 403
    assert panitia_client.post(f"{url}/{attempt.id}/ulang").status_code == 403


def test_cli_seed_questions(runner, app):
    event, _ = load_demo(participant_count=3)
    db.session.commit()
    result = runner.invoke(args=["seed-questions", event.code])
    assert result.exit_code == 0 and "0 soal ditambahkan" in result.output  # already there
    result = runner.invoke(args=["seed-questions", "NOPE"])
    assert result.exit_code != 0 and "tidak ditemukan" in result.output

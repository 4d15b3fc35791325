"""Bad input while taking a test and in the question bank: a 4xx with a stable code, and
nothing stored (the rest of the rule: tests/core/test_bad_input.py)."""

import sqlalchemy as sa

from bimtek.assessments.models import Answer, Attempt, Question
from bimtek.extensions import db
from tests.assessments.conftest import correct_option
from tests.conftest import login
from tests.core.test_bad_input import HUGE, post_json


def _start(client, participant) -> Attempt:
    login(client, participant.nik)
    assert client.post(f"/peserta/{participant.id}/tes/pre/mulai").status_code == 302
    return db.session.scalar(sa.select(Attempt).where(Attempt.participant_id == participant.id))


def _answers() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Answer))


def test_answer_json_is_checked(client, bank, participant):
    _start(client, participant)
    url = f"/peserta/{participant.id}/tes/pre/jawab"
    q = bank[0]
    deep = post_json(client, url, "[" * 2000 + "]" * 2000)
    assert deep.status_code == 400 and deep.json["error"]["code"] == "json_too_deep"
    bad = post_json(client, url, {f"q{q.id}": "\ud800"})
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_text"
    for wrong in (True, {"x": 1}, [1], 1.5):
        answer = post_json(client, url, {f"q{q.id}": wrong})
        assert answer.status_code == 422, wrong
        assert answer.json["error"]["code"] in ("wrong_type", "invalid")
    huge = post_json(client, url, {f"q{q.id}": HUGE, f"q{HUGE}": 1})
    assert huge.status_code == 422
    assert _answers() == 0
    good = post_json(client, url, {f"q{q.id}": correct_option(q)})
    assert good.status_code == 200 and _answers() == 1


def test_extra_time_beyond_range(admin_client, bank, participant, app):
    attempt = _start(app.test_client(), participant)
    deadline = attempt.deadline_at
    url = f"/admin/kegiatan/UJI24/tes/percobaan/{attempt.id}/tambah-waktu"
    for minutes in (str(HUGE), "-1", "1e20", "\u0661\u0662" * 3000):
        assert admin_client.post(url, data={"minutes": minutes}).status_code == 302
        db.session.expire_all()
        assert db.session.get(Attempt, attempt.id).deadline_at == deadline


def test_question_form_numbers_beyond_range(admin_client, event, modules):
    url = f"/admin/kegiatan/{event.code}/tes/soal/baru"
    data = {
        "module_id": str(HUGE),
        "text": "Soal",
        "option_1": "A",
        "option_2": "B",
        "option_3": "C",
        "option_4": "D",
        "correct": str(HUGE),
    }
    assert admin_client.post(url, data=data).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0

"""The check-in API: status codes, bodies, retries, undo, the session list, the document."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.participants import cancellation
from tests import factories


def url(session, suffix="checkins"):
    return f"/api/v1/sessions/{session.id}/{suffix}"


def count_rows():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attendance))


def test_first_check_in_is_201_and_the_repeat_200_with_the_first_time(
    client, auth_headers, session, person
):
    first = client.post(url(session), json={"code": person.ticket_code}, headers=auth_headers)
    assert first.status_code == 201
    body = first.get_json()
    assert body["status"] in ("hadir", "terlambat")
    assert body["already"] is False
    assert body["participant"]["full_name"] == "Siti Aminah"
    assert body["participant"]["institution"] == "Bawaslu Kutai Timur"
    assert body["participant"]["category_label"] == "Bawaslu"
    assert body["participant"]["registration_number"] == "UJI24-0001"
    assert "nik" not in body["participant"]

    again = client.post(url(session), json={"code": person.ticket_code}, headers=auth_headers)
    assert again.status_code == 200
    assert again.get_json()["already"] is True
    assert again.get_json()["checked_in_at"] == body["checked_in_at"]
    assert count_rows() == 1


def test_queued_scan_with_scanned_at_and_scan_id_counts_once(client, auth_headers, session, person):
    # a scan queued offline yesterday, so its time is in the past whatever the hour of the run
    session.starts_at -= timedelta(days=1)
    session.ends_at -= timedelta(days=1)
    db.session.commit()
    scanned = (session.starts_at + timedelta(minutes=3)).isoformat().replace("+00:00", "Z")
    payload = {"code": person.ticket_code, "scan_id": "desk2-17", "scanned_at": scanned}
    answers = [client.post(url(session), json=payload, headers=auth_headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].get_json()["status"] == "hadir"
    assert answers[0].get_json()["checked_in_local"] == "08:03"
    assert count_rows() == 1


def test_errors(client, auth_headers, event, session, person, panitia):
    def post(payload, **kwargs):
        return client.post(url(session), json=payload, headers=auth_headers, **kwargs)

    unknown = post({"code": "QQQQQQQQQQQQQQQQ"})
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "unknown_code"

    for bad in (
        {},
        {"code": ""},
        {"code": person.ticket_code, "scan_id": "a b"},
        {"code": person.ticket_code, "scanned_at": "besok"},
    ):
        answer = post(bad)
        assert answer.status_code == 422, bad
        assert answer.get_json()["error"]["code"] == "invalid"
    wrong_type = post({"code": 5})  # a number where text goes: named, not stored as "5"
    assert wrong_type.status_code == 422
    assert wrong_type.get_json()["error"]["code"] == "wrong_type"
    not_json = client.post(url(session), data="code=x", headers=auth_headers)
    assert not_json.status_code == 422

    other = factories.make_participant(factories.make_event("LAIN24"))
    wrong = post({"code": other.ticket_code})
    assert wrong.status_code == 409
    assert wrong.get_json()["error"]["code"] == "wrong_event"

    cancellation.cancel(person, actor=panitia)
    db.session.commit()
    cancelled = post({"code": person.ticket_code})
    assert cancelled.status_code == 409
    assert cancelled.get_json()["error"] == {
        "code": "not_registered",
        "message": "Peserta dibatalkan.",
    }
    assert cancelled.get_json()["participant"]["status"] == "cancelled"
    assert count_rows() == 0

    missing_session = client.post(
        "/api/v1/sessions/999999/checkins", json={"code": "X"}, headers=auth_headers
    )
    assert missing_session.status_code == 404
    assert missing_session.get_json()["error"]["code"] == "unknown_session"


def test_token_is_required(client, session, person):
    answer = client.post(url(session), json={"code": person.ticket_code})
    assert answer.status_code == 401
    bad = client.post(
        url(session), json={"code": person.ticket_code}, headers={"Authorization": "Bearer bmt_x"}
    )
    assert bad.status_code == 401
    assert count_rows() == 0


def test_undo_through_the_api(client, auth_headers, session, person):
    client.post(url(session), json={"code": person.ticket_code}, headers=auth_headers)
    gone = client.delete(url(session, f"checkins/{person.id}"), headers=auth_headers)
    assert gone.status_code == 204
    assert count_rows() == 0
    again = client.delete(url(session, f"checkins/{person.id}"), headers=auth_headers)
    assert again.status_code == 404
    assert again.get_json()["error"]["code"] == "not_checked_in"
    assert client.delete(url(session, "checkins/424242"), headers=auth_headers).status_code == 404


def test_excuse_through_the_api(client, auth_headers, session, person):
    answer = client.post(
        url(session, "excuses"),
        json={"participant_id": person.id, "status": "sakit", "note": "Surat dokter"},
        headers=auth_headers,
    )
    assert answer.status_code == 200
    assert (answer.get_json()["status"], answer.get_json()["note"]) == ("sakit", "Surat dokter")
    bad = client.post(
        url(session, "excuses"),
        json={"participant_id": person.id, "status": "alpa", "note": ""},
        headers=auth_headers,
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"status", "note"}


def test_session_list_and_counts(client, auth_headers, event, session):
    budi = factories.make_participant(event, full_name="Budi")
    ani = factories.make_participant(event, full_name="ani")
    client.post(url(session), json={"code": budi.ticket_code}, headers=auth_headers)
    answer = client.get(url(session, "attendance"), headers=auth_headers)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["counts"]["expected"] == 2
    assert body["counts"]["checked_in"] == 1
    names = [entry["participant"]["full_name"] for entry in body["attendance"]]
    assert names == ["ani", "Budi"]  # by name, case-insensitive
    # the fixture's session is today 08:00-09:30 WITA: alpa once it is over, else not yet
    assert body["attendance"][0]["status"] == ("alpa" if body["counts"]["finished"] else None)
    assert body["attendance"][1]["status"] in ("hadir", "terlambat")
    assert ani.id == body["attendance"][0]["participant"]["id"]


def test_ping_and_openapi(client):
    ping = client.get("/api/v1/ping").get_json()
    assert ping["ok"] is True
    # the server's clock, for a scanner to measure its own offset by
    assert abs(datetime.fromisoformat(ping["server_time"]) - utcnow()) < timedelta(minutes=1)
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/ping",
        "/sessions/{session_id}/checkins",
        "/sessions/{session_id}/checkins/{participant_id}",
        "/sessions/{session_id}/excuses",
        "/sessions/{session_id}/attendance",
    ):
        assert path in paths
    responses = paths["/sessions/{session_id}/checkins"]["post"]["responses"]
    assert {"200", "201", "404", "409", "422"} <= set(responses)


def test_someone_excused_who_turns_up_is_checked_in_with_an_audit_entry(
    client, auth_headers, session, person
):

    client.post(
        url(session, "excuses"),
        json={"participant_id": person.id, "status": "izin", "note": "Surat tugas"},
        headers=auth_headers,
    )
    answer = client.post(url(session), json={"code": person.ticket_code}, headers=auth_headers)
    assert answer.status_code == 201
    assert answer.get_json()["status"] in ("hadir", "terlambat")
    row = db.session.scalar(sa.select(Attendance))
    assert row.status == answer.get_json()["status"] and row.source == "api"
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "checkin.create"))
    assert entry.details["replaces"] == "izin"
    assert count_rows() == 1

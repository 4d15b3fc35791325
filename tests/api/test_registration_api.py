"""JSON API v1: events, registrations, the participant list, the OpenAPI document."""

from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from bimtek.auth.services import issue_api_token, revoke_api_token
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from tests.factories import make_event, make_participant, registration_data


def payload(**overrides):
    data = registration_data(**overrides)
    if "password" not in overrides:
        data.pop("password")
    return data


def test_events_list_and_detail(client, event):
    make_participant(event)
    body = client.get("/api/v1/events").json
    assert [e["code"] for e in body["events"]] == ["UJI24"]
    assert body["events"][0]["seats_left"] == 399
    detail = client.get("/api/v1/events/uji24").json
    assert detail["modules"][0]["code"] == "M1" and len(detail["sessions"]) == 2
    assert detail["registration"] == "open"


def test_unpublished_event_is_hidden(client, app):
    make_event("DRAF24", published=False)
    assert client.get("/api/v1/events").json == {"events": []}
    assert client.get("/api/v1/events/DRAF24").status_code == 404


def test_register_201_registered_and_waitlisted(client, app):
    event = make_event(capacity=1)
    first = client.post(f"/api/v1/events/{event.code}/registrations", json=payload())
    assert first.status_code == 201
    assert first.json["status"] == "registered" and len(first.json["ticket_code"]) == 16
    second = client.post(f"/api/v1/events/{event.code}/registrations", json=payload())
    assert second.status_code == 201
    assert second.json == {
        "status": "waitlisted",
        "position": 1,
        "registration_number": "UJI24-0002",
    }


def test_register_duplicate_409(client, event):
    data = payload()
    client.post(f"/api/v1/events/{event.code}/registrations", json=data)
    response = client.post(f"/api/v1/events/{event.code}/registrations", json=data)
    assert response.status_code == 409
    # the NIK has an account now: the public API never registers (or touches) an existing one
    assert response.json["error"]["code"] == "account_exists"


def test_register_invalid_422_lists_fields(client, event):
    response = client.post(
        f"/api/v1/events/{event.code}/registrations",
        json=payload(nik="1", phone="", password="short"),
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    # the password is judged by the one password rule, after the schema (weak_password)
    assert set(error["fields"]) == {"nik", "phone"}


@pytest.mark.parametrize("body", [None, "text", [1, 2], 5])
def test_register_body_not_an_object(client, event, body):
    response = client.post(
        f"/api/v1/events/{event.code}/registrations",
        data="not json" if body is None else None,
        json=body if body is not None else None,
        content_type="application/json",
    )
    if body is None:  # not JSON at all (tests/core/test_bad_input.py has the rest)
        assert response.status_code == 400
        assert response.json["error"]["code"] == "invalid_json"
    else:
        assert response.status_code == 422
        assert response.json["error"]["code"] == "invalid"


def test_register_closed_403(client, app):
    now = utcnow()
    event = make_event(registration_opens_at=now + timedelta(hours=1))
    response = client.post(f"/api/v1/events/{event.code}/registrations", json=payload())
    assert response.status_code == 403
    assert response.json["error"]["code"] == "registration_closed"


def test_register_unknown_event_404(client, app):
    response = client.post("/api/v1/events/NOPE/registrations", json=payload())
    assert response.status_code == 404
    assert response.json["error"]["code"] == "unknown_event"


def test_participants_need_a_staff_token(client, event, auth_headers):
    make_participant(event)
    assert client.get(f"/api/v1/events/{event.code}/participants").status_code == 401
    bad = client.get(
        f"/api/v1/events/{event.code}/participants", headers={"Authorization": "Bearer bmt_wrong"}
    )
    assert bad.status_code == 401 and bad.json["error"]["code"] == "unauthorized"
    response = client.get(
        f"/api/v1/events/{event.code}/participants?per_page=1", headers=auth_headers
    )
    assert response.status_code == 200
    assert response.json["total"] == 1 and response.json["pages"] == 1
    assert response.json["participants"][0]["registration_number"] == "UJI24-0001"


def test_participants_pagination(client, event, auth_headers):
    for _ in range(5):
        make_participant(event)
    page = client.get(
        f"/api/v1/events/{event.code}/participants?per_page=2&page=3", headers=auth_headers
    ).json
    assert page["total"] == 5 and page["pages"] == 3 and len(page["participants"]) == 1
    # what the document says is what is enforced: minimum, maximum, enum, integer
    for query, field in (
        ("per_page=x", "per_page"),
        ("page=-4", "page"),
        ("per_page=501", "per_page"),
        ("status=gone", "status"),
    ):
        junk = client.get(f"/api/v1/events/{event.code}/participants?{query}", headers=auth_headers)
        assert junk.status_code == 422, query
        assert junk.json["error"]["code"] == "invalid" and field in junk.json["error"]["fields"]


def test_revoked_token_is_refused(client, event, panitia):

    token, plain = issue_api_token(panitia, "scanner")
    revoke_api_token(token, actor=panitia)
    db.session.commit()
    response = client.get(
        f"/api/v1/events/{event.code}/participants", headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 401


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/events/{code}/registrations" in spec["paths"]
    post = spec["paths"]["/events/{code}/registrations"]["post"]
    assert {"201", "403", "409", "422"} <= set(post["responses"])

    validate(spec)

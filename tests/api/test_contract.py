"""The OpenAPI document is the contract: what it says is what the API does."""

import pytest

from tests.factories import registration_data

METHODS = {"get", "post", "put", "patch", "delete"}


def _url(path: str, event) -> str:
    return "/api/v1" + path.format(
        code=event.code, session_id=event.sessions[0].id, participant_id=1, kind="peserta"
    )


@pytest.mark.parametrize("headers", ["none", "panitia", "manager"])
def test_every_status_answered_is_documented(client, event, auth_headers, manager_headers, headers):
    given = {"none": {}, "panitia": auth_headers, "manager": manager_headers}[headers]
    spec = client.get("/api/v1/openapi.json").json
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            body = (
                {}
                if "application/json" in operation.get("requestBody", {}).get("content", {})
                else None
            )
            response = client.open(
                _url(path, event), method=method.upper(), json=body, headers=given
            )
            assert str(response.status_code) in operation["responses"], (
                method,
                path,
                response.status_code,
                response.get_data(as_text=True)[:200],
            )


def test_405_names_the_methods_the_url_takes(client, event):
    spec = client.get("/api/v1/openapi.json").json
    for path, operations in spec["paths"].items():
        documented = {m.upper() for m in operations if m in METHODS}
        other = next(m for m in ("PATCH", "PUT", "DELETE", "POST") if m not in documented)
        response = client.open(_url(path, event), method=other)
        assert response.status_code == 405, path
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert documented <= allowed, path
        assert response.json["error"]["code"] == "method_not_allowed"


def test_enums_and_types_are_enforced(client, event):
    url = f"/api/v1/events/{event.code}/registrations"
    # "laki-laki" is not one of the documented L/P; the service's aliases are for forms
    response = client.post(url, json=registration_data(gender="laki-laki"))
    assert response.status_code == 422 and "gender" in response.json["error"]["fields"]
    response = client.post(url, json=registration_data(institution_category="KPU"))
    assert response.status_code == 422
    assert "institution_category" in response.json["error"]["fields"]
    response = client.post(url, json=registration_data(consent="true"))
    assert response.status_code == 422 and response.json["error"]["code"] == "wrong_type"
    response = client.post(url, json=registration_data(nickname="Andi"))
    assert response.status_code == 422 and set(response.json["error"]["fields"]) == {"nickname"}


def test_validation_errors_are_translated(client, event):
    url = f"/api/v1/events/{event.code}/registrations"
    body = registration_data()
    body.pop("full_name")
    answer = client.post(url, json=body)
    assert answer.json["error"]["fields"] == {"full_name": "wajib diisi"}
    with client.session_transaction() as browser:
        browser["lang"] = "en"  # the language picked on this browser
    english = client.post(url, json=body)
    assert english.json["error"]["fields"] == {"full_name": "required"}
    assert english.json["error"]["message"] == "Invalid input: full_name."

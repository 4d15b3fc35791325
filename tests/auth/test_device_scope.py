"""The ``bimtek_device`` cookie names whose offline data a browser may use (the check-in
desk's caches): set for a logged-in staff account, changed when its sessions end, removed
once nobody is logged in; never on the API."""

from bimtek.auth import services
from bimtek.auth.sessions import DEVICE_COOKIE, device_scope
from bimtek.extensions import db
from tests.conftest import login
from tests.factories import make_participant


def device_cookie(client):
    cookie = client.get_cookie(DEVICE_COOKIE)
    return cookie.value if cookie else None


def test_login_names_the_scope_and_logout_removes_it(client, panitia):
    login(client, panitia.email)
    assert device_cookie(client) == device_scope(panitia)
    client.post("/keluar")
    assert device_cookie(client) is None


def test_a_session_ended_elsewhere_removes_it_at_the_next_answer(client, panitia):
    login(client, panitia.email)
    before = device_cookie(client)
    services.log_out_everywhere(panitia)
    db.session.commit()
    assert device_scope(panitia) != before  # a new login gets a new scope
    client.get("/")
    assert device_cookie(client) is None


def test_two_accounts_have_two_scopes(app, panitia, manager):
    assert device_scope(panitia) != device_scope(manager)


def test_participants_and_the_api_get_none(client, event, auth_headers):
    person = make_participant(event)
    login(client, person.nik)
    assert device_cookie(client) is None
    client.post("/keluar")
    response = client.get(f"/api/v1/events/{event.code}/participants", headers=auth_headers)
    assert response.status_code == 200
    assert DEVICE_COOKIE not in response.headers.get("Set-Cookie", "")

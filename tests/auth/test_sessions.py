"""Ending sessions: logout, logout everywhere, password change and reset, deactivation."""

import sqlalchemy as sa
from flask import session
from flask_login import login_user

from bimtek.auth import services
from bimtek.auth.models import User
from bimtek.auth.sessions import end_sessions
from bimtek.extensions import db
from tests.auth.conftest import copy_session
from tests.conftest import login
from tests.factories import PASSWORD


def _second_device(client):
    other = client.application.test_client()
    copy_session(client, other)
    return other


def test_a_copied_cookie_stops_working_after_logout(client, participant):
    login(client, participant.nik)
    stolen = _second_device(client)
    assert stolen.get("/portal").status_code == 200
    client.post("/keluar")
    assert client.get("/portal").status_code == 302
    response = stolen.get("/portal")
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")


def test_logout_everywhere_from_the_portal(client, participant):
    login(client, participant.nik)
    laptop = _second_device(client)
    html = client.get("/portal").get_data(as_text=True)
    assert 'action="/keluar/semua"' in html and "Keluar dari semua perangkat" in html
    response = client.post("/keluar/semua")
    assert response.status_code == 302
    assert client.get("/portal").status_code == 302
    assert laptop.get("/portal").status_code == 302


def test_staff_can_log_out_everywhere_from_the_password_page(client, admin):
    login(client, admin.email)
    phone = _second_device(client)
    html = client.get("/kata-sandi").get_data(as_text=True)
    assert 'action="/keluar/semua"' in html
    client.post("/keluar/semua")
    assert phone.get("/admin/").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(client, admin):
    login(client, admin.email)
    phone = _second_device(client)
    response = client.post(
        "/kata-sandi",
        data={"current": PASSWORD, "new": "Lembayung-senja-77", "confirm": "Lembayung-senja-77"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert phone.get("/admin/").status_code == 302


def test_reset_by_an_administrator_ends_every_session(client, admin):
    staff = db.session.scalar(sa.select(User).where(User.id == admin.id))
    login(client, staff.email)
    services.reset_password(staff)
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_deactivation_ends_the_session(client, admin):
    login(client, admin.email)
    admin.active = False
    end_sessions(admin)
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_session_id_carries_the_version(app, admin):
    """flask-login stores get_id() in the session and in the remember cookie alike."""
    assert admin.get_id() == f"{admin.id}:{admin.session_version}"
    loader = app.login_manager._user_callback
    assert loader(admin.get_id()) == admin
    version = admin.session_version
    end_sessions(admin)
    assert admin.session_version == version + 1
    assert loader(f"{admin.id}:{version}") is None
    assert loader(str(admin.id)) is None  # the old form, without a version, is refused
    assert loader("x:y") is None


def test_remember_cookie_is_covered(client, participant, app):
    """A remember-me cookie holds the same versioned id, so it dies with the sessions."""
    with app.test_request_context():
        login_user(participant.user, remember=True)
        remembered = session["_user_id"]
    assert remembered.endswith(f":{participant.user.session_version}")

"""Logging in, one-time passwords, API tokens, language choice, rate limits, CLI."""

import hashlib

import pytest
import sqlalchemy as sa

from bimtek.auth import services
from bimtek.auth.models import ApiToken, User
from bimtek.events.access import event_right
from bimtek.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_participant


def test_create_user_hands_out_a_one_time_password(app):
    user, password = services.create_user("Kepala@Kesbangpol.go.id", role="staff")
    db.session.commit()
    assert user.email == "kepala@kesbangpol.go.id" and user.must_change_password
    assert services.authenticate("KEPALA@kesbangpol.go.id", password) == user
    assert services.authenticate("kepala@kesbangpol.go.id", "wrong") is None
    with pytest.raises(services.Conflict):
        services.create_user("kepala@kesbangpol.go.id", role="admin")
    with pytest.raises(services.InvalidInput):
        services.create_user("bukan-email", role="admin")
    with pytest.raises(services.InvalidInput):
        services.create_user("x@y.id", role="participant")


def test_first_login_forces_a_new_password(client, app):
    user, password = services.create_user("baru@bimtek.local", role="admin")
    db.session.commit()
    login(client, user.email, password)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"] == "/kata-sandi"
    bad = client.post(
        "/kata-sandi", data={"current": password, "new": "pendek", "confirm": "pendek"}
    )
    assert "Kata sandi minimal 12 karakter." in bad.get_data(as_text=True)
    good = client.post(
        "/kata-sandi",
        data={"current": password, "new": "sandi-baru-123", "confirm": "sandi-baru-123"},
    )
    assert good.status_code == 302
    assert client.get("/admin/").status_code == 200
    db.session.refresh(user)
    assert not user.must_change_password and user.check_password("sandi-baru-123")


def test_inactive_user_cannot_log_in(client, admin):
    admin.active = False
    db.session.commit()
    response = client.post("/masuk", data={"identifier": admin.email, "password": PASSWORD})
    assert response.status_code == 400


def test_open_redirect_is_refused(client, admin):
    response = client.post(
        "/masuk?next=https://evil.example/x", data={"identifier": admin.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/"
    client.post("/keluar")
    response = client.post(
        "/masuk?next=/admin/kegiatan/baru", data={"identifier": admin.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/kegiatan/baru"


def test_api_token_stores_only_a_hash(app, panitia):
    token, plain = services.issue_api_token(panitia, "scanner meja 1")
    db.session.commit()
    assert plain.startswith("bmt_") and plain not in (token.token_hash, token.prefix + "x")
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert services.user_for_token(plain) == panitia
    assert services.user_for_token(plain + "x") is None
    panitia.active = False
    assert services.user_for_token(plain) is None


def test_participants_get_no_api_tokens(app, event):
    person = make_participant(event)
    with pytest.raises(services.InvalidInput):
        services.issue_api_token(person.user)


def test_language_is_chosen_per_user(client, admin):
    page = client.get("/masuk").get_data(as_text=True)
    assert 'lang="id"' in page
    client.post("/bahasa/en", data={"next": "/masuk"})
    page = client.get("/masuk").get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page
    login(client, admin.email)
    db.session.refresh(admin)
    assert admin.locale == "en"
    other = client.application.test_client()
    login(other, admin.email)
    assert 'lang="en"' in other.get("/admin/").get_data(as_text=True)
    client.post("/bahasa/xx")
    assert 'lang="en"' in client.get("/admin/").get_data(as_text=True)


@pytest.fixture
def app_config(request):
    if request.node.name == "test_login_is_rate_limited":
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"}
    return {}


def test_login_is_rate_limited(client, admin):
    for _ in range(3):
        client.post("/masuk", data={"identifier": admin.email, "password": "salah"})
    response = client.post("/masuk", data={"identifier": admin.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)


def test_cli_create_user_token_and_reset(runner, app, event):
    result = runner.invoke(args=["create-user", "meja1@bimtek.local", "--role", "panitia"])
    assert result.exit_code == 2 and "--event" in result.output
    result = runner.invoke(
        args=["create-user", "meja1@bimtek.local", "--role", "panitia", "--event", event.code]
    )
    assert result.exit_code == 0 and "one-time password" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "meja1@bimtek.local"))
    assert user.role == "staff" and event_right(user, event) == "panitia"
    result = runner.invoke(
        args=["create-user", "meja1@bimtek.local", "--role", "manager", "--event", event.code]
    )
    assert result.exit_code == 1 and "sudah ada" in result.output
    result = runner.invoke(args=["create-token", "meja1@bimtek.local", "--name", "scanner"])
    plain = result.output.strip()
    assert result.exit_code == 0 and plain.startswith("bmt_")
    assert (
        db.session.scalar(sa.select(ApiToken.token_hash))
        == hashlib.sha256(plain.encode()).hexdigest()
    )
    result = runner.invoke(args=["create-token", "nobody@bimtek.local"])
    assert result.exit_code == 1 and "tidak ditemukan" in result.output
    result = runner.invoke(args=["reset-password", "meja1@bimtek.local"])
    assert result.exit_code == 0 and "one-time password" in result.output

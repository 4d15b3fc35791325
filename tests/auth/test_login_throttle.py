"""Login throttling per identifier+address pair and per address (never per account alone),
and the same work for unknown accounts."""

import os
import uuid

import pytest
from werkzeug import security

from bimtek import create_app
from bimtek.auth import services
from bimtek.extensions import db
from tests import factories
from tests.conftest import IsolatedClient, _test_config, login
from tests.factories import PASSWORD

LOCKED = "Terlalu banyak percobaan masuk yang gagal untuk akun ini dari jaringan ini"


@pytest.fixture
def app_config(limits_on):
    return {
        **limits_on,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT_ADDRESS": "5 per 10 minutes",
        "RATELIMIT_LOGIN_ADDRESS_FAILURES": "8 per hour",
    }


def _fail(client, identifier, times=1, address="10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(
            "/masuk",
            data={"identifier": identifier, "password": "bukan-sandinya"},
            environ_base={"REMOTE_ADDR": address},
        )
    return response


def _login(client, identifier, password=PASSWORD, address="10.0.0.2"):
    return client.post(
        "/masuk",
        data={"identifier": identifier, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_pair_locks_after_five_failures_with_a_way_out(client, participant):
    _fail(client, participant.nik, 4)
    assert _login(client.application.test_client(), participant.nik).status_code == 302
    _fail(client, participant.nik, 5)
    same_address = client.application.test_client()
    response = _login(same_address, participant.nik, address="10.0.0.1")  # right password
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert LOCKED in html
    assert "/akun/lupa-kata-sandi" in html and "/akun/aktivasi" in html
    assert "menit" in html
    other_address = client.application.test_client()
    assert _login(other_address, participant.nik).status_code == 302


def test_unknown_accounts_lock_the_same_way(client, app):
    """No enumeration: an unknown NIK answers exactly like a known one."""
    _fail(client, "6408011705900099", 5)
    response = _fail(client, "6408011705900099", 1)
    assert response.status_code == 429 and LOCKED in response.get_data(as_text=True)
    assert _fail(client, "6408011705900099", 1, address="10.9.9.9").status_code == 400


def test_recovery_unlocks_the_account(client, participant):
    _fail(client, participant.nik, 5)
    owner = client.application.test_client()
    response = owner.post(
        "/akun/lupa-kata-sandi",
        data={
            "nik": participant.nik,
            "code": participant.ticket_code,
            "password": "Lembayung77",
            "confirm": "Lembayung77",
        },
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.status_code == 302
    owner.post("/keluar")
    assert _login(owner, participant.nik, "Lembayung77", address="10.0.0.1").status_code == 302


def test_other_accounts_are_not_locked(client, participant, admin):
    _fail(client, participant.nik, 5)
    assert _login(client.application.test_client(), admin.email).status_code == 302


def test_address_with_many_failures_is_slowed(client, participant, admin):
    """Spraying one password over many accounts from one address is stopped per address."""
    for index in range(8):
        _fail(client, f"64080117059{index:05d}", 1, address="10.7.7.7")
    response = _fail(client, participant.nik, 1, address="10.7.7.7")
    assert response.status_code == 429
    assert _login(client, participant.nik, address="10.8.8.8").status_code == 302


def test_unknown_account_checks_a_hash_like_a_known_one(client, participant, monkeypatch):
    """The same work (one hash check with the configured method) whether the account exists."""
    calls = []
    real = security.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr("bimtek.auth.models.check_password_hash", counting)
    monkeypatch.setattr("bimtek.auth.services.check_password_hash", counting, raising=False)
    _fail(client, participant.nik)
    _fail(client, "6408011705909999")
    _fail(client, "tidak-ada@bimtek.local")
    assert len(calls) == 3
    assert set(calls) == {"pbkdf2:sha256:1000"}


def test_account_without_password_checks_a_hash_too(imported, monkeypatch):
    calls = []
    real = security.check_password_hash
    monkeypatch.setattr(
        "bimtek.auth.services.check_password_hash",
        lambda h, p: calls.append(h) or real(h, p),
        raising=False,
    )
    monkeypatch.setattr(
        "bimtek.auth.models.check_password_hash", lambda h, p: calls.append(h) or real(h, p)
    )
    assert services.authenticate(imported.nik, "apa-saja") is None
    assert len(calls) == 1


@pytest.mark.redis
def test_two_app_instances_share_the_per_pair_count(database_url, tmp_path):
    """With BIMTEK_RATELIMIT_STORAGE_URI=redis://… every worker sees the same failures."""
    redis_url = os.environ.get("BIMTEK_TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("BIMTEK_TEST_REDIS_URL is not set")
    settings = {
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT_ADDRESS": "5 per 10 minutes",
    }
    first = create_app(_test_config(database_url, str(tmp_path / "one"), **settings))
    first.test_client_class = IsolatedClient
    with first.app_context():
        event = factories.make_event()
        person = factories.make_participant(event)
        nik = person.nik
        db.session.remove()
    _fail(first.test_client(), nik, 3)
    second = create_app(_test_config(database_url, str(tmp_path / "two"), **settings))
    second.test_client_class = IsolatedClient
    _fail(second.test_client(), nik, 2)
    response = _login(second.test_client(), nik, address="10.0.0.1")
    assert response.status_code == 429 and LOCKED in response.get_data(as_text=True)
    with first.app_context():
        db.engine.dispose()
    with second.app_context():
        db.engine.dispose()


def test_the_lock_message_is_translated(client, participant):
    _fail(client, participant.nik, 5)
    client.post("/bahasa/en")
    html = _login(client, participant.nik, address="10.0.0.1").get_data(as_text=True)
    assert "Too many failed sign-ins for this account from this network" in html


def test_existing_login_helper_still_works(client, admin):
    login(client, admin.email)

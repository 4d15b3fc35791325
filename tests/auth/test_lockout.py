"""Wrong proofs never lock the owner out (issue 18, item 3).

A correct proof (the password at login, the ticket or activation code at claim and
recovery) works whatever others tried for the same NIK from elsewhere; wrong ones are
counted per address and per the proof tried (the identifier+address pair at login, the
code's value at claim), never per account alone.
"""

import os
import uuid

import pytest
import sqlalchemy as sa

from bimtek import create_app
from bimtek.auth.models import User
from bimtek.extensions import db
from bimtek.participants import accounts
from bimtek.participants.registration import register_many
from tests import factories
from tests.conftest import IsolatedClient, _test_config
from tests.factories import PASSWORD, registration_data

NEW = "Lembayung77"
WRONG_CODE = "SALAHSALAHSALAH2"
LOCKED_LOGIN = "Terlalu banyak percobaan masuk yang gagal"


@pytest.fixture
def app_config(limits_on):
    return {
        **limits_on,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT_ADDRESS": "5 per 10 minutes",
        "RATELIMIT_LOGIN_ADDRESS_FAILURES": "50 per hour",
        "RATELIMIT_ACCOUNT_RECOVERY": "4 per hour",
        "RATELIMIT_RECOVERY_PROOF": "3 per hour",
    }


def _address(index: int) -> str:
    return f"10.20.{index // 250}.{index % 250 + 1}"


def _login(client, identifier, password=PASSWORD, address="10.0.0.2"):
    return client.post(
        "/masuk",
        data={"identifier": identifier, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _claim(client, nik, code, address, password=NEW, path="/akun/lupa-kata-sandi"):
    return client.post(
        path,
        data={"nik": nik, "code": code, "password": password, "confirm": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _other_nik(index: int) -> str:
    """A NIK nobody holds: the factories count theirs up from 6408011705900001."""
    return f"6408011705999{index:03d}"


def _fresh(client):
    return client.application.test_client()


def _password_set(participant, password=NEW) -> bool:
    user = db.session.get(User, participant.user_id)
    db.session.refresh(user)
    return user.check_password(password)


# --- login -----------------------------------------------------------------------------


def test_wrong_logins_from_elsewhere_never_lock_the_owner(client, participant):
    for index in range(20):  # four addresses, each up to its own pair limit
        _login(_fresh(client), participant.nik, "bukan-sandinya", address=_address(index // 5))
    assert _login(_fresh(client), participant.nik, address="10.0.0.2").status_code == 302


def test_wrong_logins_lock_the_identifier_and_address_pair(client, participant, admin):
    for _ in range(5):
        _login(client, participant.nik, "bukan-sandinya", address="10.0.0.9")
    locked = _login(_fresh(client), participant.nik, address="10.0.0.9")
    assert locked.status_code == 429 and LOCKED_LOGIN in locked.get_data(as_text=True)
    # the same address may still try another account, the same account another address
    assert _login(_fresh(client), admin.email, address="10.0.0.9").status_code == 302
    assert _login(_fresh(client), participant.nik, address="10.0.0.10").status_code == 302


def test_an_unknown_nik_locks_its_pair_the_same_way(client):
    for _ in range(5):
        _login(client, "6408011705900099", "bukan-sandinya", address="10.0.0.9")
    locked = _login(client, "6408011705900099", "bukan-sandinya", address="10.0.0.9")
    assert locked.status_code == 429 and LOCKED_LOGIN in locked.get_data(as_text=True)


def test_recovery_from_the_locked_address_opens_the_pair_again(client, participant):
    for _ in range(5):
        _login(client, participant.nik, "bukan-sandinya", address="10.0.0.9")
    owner = _fresh(client)
    assert _claim(owner, participant.nik, participant.ticket_code, "10.0.0.9").status_code == 302
    owner.post("/keluar")
    assert _login(owner, participant.nik, NEW, address="10.0.0.9").status_code == 302


# --- claim and recovery ---------------------------------------------------------------------


def test_ten_wrong_proofs_for_a_nik_leave_its_real_ticket_working(client, imported):
    for index in range(10):
        _claim(_fresh(client), imported.nik, f"SALAHSALAHSAL{index:03d}", _address(index))
    response = _claim(_fresh(client), imported.nik, imported.ticket_code, "10.0.0.2")
    assert response.status_code == 302
    assert _password_set(imported)


def test_ten_wrong_proofs_leave_a_fresh_manager_code_working(client, imported):
    for index in range(10):
        _claim(_fresh(client), imported.nik, f"SALAHSALAHSAL{index:03d}", _address(index))
    _code, plain = accounts.issue_activation_code(imported, actor=None)
    db.session.commit()
    response = _claim(_fresh(client), imported.nik, plain, "10.0.0.2", path="/akun/aktivasi")
    assert response.status_code == 302
    assert _password_set(imported)


def test_wrong_proofs_are_counted_per_address(client, imported):
    for index in range(4):
        _claim(client, _other_nik(index), WRONG_CODE + str(index), "10.0.0.9")
    refused = _claim(_fresh(client), imported.nik, imported.ticket_code, "10.0.0.9")
    assert refused.status_code == 429
    assert not _password_set(imported)


def test_right_proofs_do_not_use_up_the_address(client, event):
    """A venue's Wi-Fi: many people claim from one address; only wrong proofs count."""
    people = [
        outcome.participant
        for outcome in register_many(
            event, [registration_data() for _ in range(6)], channel="import"
        )
    ]
    db.session.commit()
    for person in people:
        response = _claim(_fresh(client), person.nik, person.ticket_code, "10.0.0.7")
        assert response.status_code == 302, person.nik


def test_a_code_tried_against_many_niks_is_locked(client, imported, participant):
    """Knowing a ticket code but not its NIK: the code itself is throttled."""
    for index in range(3):
        _claim(_fresh(client), _other_nik(index), imported.ticket_code, _address(index))
    refused = _claim(_fresh(client), imported.nik, imported.ticket_code, _address(9))
    assert refused.status_code == 429
    assert "kode ini" in refused.get_data(as_text=True)
    # other proofs (another person's ticket) are not affected
    assert (
        _claim(_fresh(client), participant.nik, participant.ticket_code, _address(9)).status_code
        == 302
    )


# --- across processes -------------------------------------------------------------------------


def _redis_settings(redis_url):
    return {
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT_ADDRESS": "5 per 10 minutes",
        "RATELIMIT_RECOVERY_PROOF": "3 per hour",
    }


@pytest.mark.redis
def test_two_app_instances_share_pair_and_code_counts(database_url, tmp_path):
    redis_url = os.environ.get("BIMTEK_TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("BIMTEK_TEST_REDIS_URL is not set")
    settings = _redis_settings(redis_url)
    first = create_app(_test_config(database_url, str(tmp_path / "one"), **settings))
    first.test_client_class = IsolatedClient
    with first.app_context():
        event = factories.make_event()
        person = factories.make_participant(event)
        nik, ticket = person.nik, person.ticket_code
        db.session.remove()
    second = create_app(_test_config(database_url, str(tmp_path / "two"), **settings))
    second.test_client_class = IsolatedClient
    for _ in range(3):
        _login(first.test_client(), nik, "bukan-sandinya", address="10.0.0.9")
    for _ in range(2):
        _login(second.test_client(), nik, "bukan-sandinya", address="10.0.0.9")
    assert _login(second.test_client(), nik, address="10.0.0.9").status_code == 429
    assert _login(second.test_client(), nik, address="10.0.0.8").status_code == 302
    for index in range(2):
        _claim(first.test_client(), _other_nik(index), ticket, _address(index))
    _claim(second.test_client(), _other_nik(77), ticket, _address(5))
    assert _claim(second.test_client(), nik, ticket, _address(6)).status_code == 429
    with first.app_context():
        assert db.session.scalar(sa.select(User.password_hash).where(User.nik == nik))
        db.session.remove()
        db.engine.dispose()
    with second.app_context():
        db.engine.dispose()

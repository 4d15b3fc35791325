"""The password rules: length by kind of account, never the one-time password, not common."""

import pytest
import sqlalchemy as sa

from bimtek.auth import services
from bimtek.auth.models import User
from bimtek.auth.passwords import WeakPassword, check_new_password
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.participants import accounts
from tests import factories
from tests.conftest import login
from tests.factories import registration_data


@pytest.mark.parametrize(
    "password",
    ["12345678", "password1", "P@ssw0rd1234", "admin12345678", "qwertyuiop12", "bismillah"],
)
def test_common_passwords_are_refused_for_everyone(password):
    with pytest.raises(WeakPassword):
        check_new_password(password, staff=False)
    with pytest.raises(WeakPassword):
        check_new_password(password, staff=True)


def test_lengths():
    check_new_password("Lembayung77", staff=False)
    with pytest.raises(WeakPassword, match="minimal 12"):
        check_new_password("Lembayung77", staff=True)
    check_new_password("Lembayung-senja-77", staff=True)
    with pytest.raises(WeakPassword, match="minimal 8"):
        check_new_password("Lb-77x", staff=False)


def test_personal_details_are_not_a_password():
    with pytest.raises(WeakPassword):
        check_new_password(
            "6408011705900001", staff=False, user_inputs=["6408011705900001", "Andi"]
        )


def _forced_change(client, app):
    user, password = services.create_user("baru@bimtek.local", role="admin")
    db.session.commit()
    login(client, user.email, password)
    return user, password


def test_forced_change_refuses_the_one_time_password_itself(client, app):
    user, password = _forced_change(client, app)
    response = client.post(
        "/kata-sandi", data={"current": password, "new": password, "confirm": password}
    )
    assert response.status_code == 422
    assert "tidak boleh sama dengan kata sandi lama" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.must_change_password


def test_admin_cannot_choose_12345678(client, app):
    user, password = _forced_change(client, app)
    for weak in ("12345678", "123456789012", "admin12345678"):
        response = client.post(
            "/kata-sandi", data={"current": password, "new": weak, "confirm": weak}
        )
        assert response.status_code == 422, weak
    db.session.refresh(user)
    assert user.must_change_password and user.check_password(password)
    good = client.post(
        "/kata-sandi",
        data={"current": password, "new": "Lembayung-senja-77", "confirm": "Lembayung-senja-77"},
    )
    assert good.status_code == 302


def test_password_page_says_the_rule_for_staff(client, admin):
    login(client, admin.email)
    assert "Minimal 12 karakter" in client.get("/kata-sandi").get_data(as_text=True)


# --- one rule for a participant's password, wherever it is chosen (issue 18, item 11) -----

WEAK_PARTICIPANT = ("12345678", "password1", "bimtek2024")


def _registration(**overrides):
    data = registration_data(**overrides)
    data.setdefault("password_confirm", data["password"])
    return data


@pytest.mark.parametrize("weak", WEAK_PARTICIPANT)
def test_registration_form_refuses_what_claim_and_change_refuse(client, event, weak):
    response = client.post(f"/kegiatan/{event.code}/daftar", data=_registration(password=weak))
    assert response.status_code == 422
    assert "terlalu umum atau mudah ditebak" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_registration_refuses_the_nik_or_name_as_password(client, event):
    data = _registration(full_name="Lembayung Senja")
    for own in (data["nik"], "lembayungsenja"):
        response = client.post(
            f"/kegiatan/{event.code}/daftar",
            data={**data, "password": own, "password_confirm": own},
        )
        assert response.status_code == 422, own


@pytest.mark.parametrize("weak", WEAK_PARTICIPANT)
def test_registration_api_refuses_it_with_a_stable_code(client, event, weak):
    response = client.post(
        f"/api/v1/events/{event.code}/registrations", json=registration_data(password=weak)
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "weak_password" and set(error["fields"]) == {"password"}


def test_registration_api_says_weak_password_for_a_short_one_too(client, event):
    response = client.post(
        f"/api/v1/events/{event.code}/registrations", json=registration_data(password="Lb-7")
    )
    assert response.status_code == 422 and response.json["error"]["code"] == "weak_password"


def test_a_good_password_registers_everywhere(client, event):
    good = "Lembayung77"
    api = client.post(
        f"/api/v1/events/{event.code}/registrations", json=registration_data(password=good)
    )
    assert api.status_code == 201
    form = client.post(f"/kegiatan/{event.code}/daftar", data=_registration(password=good))
    assert form.status_code == 302


def test_claim_and_change_answer_the_same_code(app, event):
    person = factories.make_participant(event)
    user = db.session.get(User, person.user_id)
    with pytest.raises(InvalidInput) as change:
        services.change_password(user, factories.PASSWORD, "12345678", "12345678")
    with pytest.raises(InvalidInput) as claim:
        accounts.recover_account(
            person.nik, person.ticket_code, "12345678", "12345678", address="10.0.0.1"
        )
    assert change.value.code == claim.value.code == "weak_password"
    assert change.value.fields["new"] == claim.value.fields["password"]


def test_recovery_refuses_a_password_built_from_the_name(app, event):
    """Claim and recovery check the same personal words as registration and change."""
    person = factories.make_participant(event, full_name="Lembayung Senja")
    with pytest.raises(InvalidInput):
        accounts.recover_account(
            person.nik, person.ticket_code, "lembayungsenja", "lembayungsenja", address="x"
        )

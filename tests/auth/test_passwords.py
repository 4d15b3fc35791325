"""The password rules: length by kind of account, never the one-time password, not common."""

import pytest

from bimtek.auth import services
from bimtek.auth.passwords import WeakPassword, check_new_password
from bimtek.extensions import db
from tests.conftest import login


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

"""Account claim (aktivasi akun) and password recovery (lupa kata sandi) by proof of the ticket,
and the one-time activation code a manager hands out."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.auth.models import ActivationCode, User
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.participants.registration import RegistrationTerms, register
from tests import factories
from tests.auth.conftest import copy_session
from tests.conftest import login
from tests.factories import PASSWORD

NEW = "Lembayung77"
REFUSED = "NIK atau kode tidak cocok"


def _claim(client, nik, code, password=NEW, path="/akun/aktivasi", **extra):
    return client.post(
        path, data={"nik": nik, "code": code, "password": password, "confirm": password, **extra}
    )


def _user(participant) -> User:
    user = db.session.get(User, participant.user_id)
    db.session.refresh(user)
    return user


def test_pages_render(client):
    for path, title in (("/akun/aktivasi", "Aktivasi akun"), ("/akun/lupa-kata-sandi", "Lupa")):
        response = client.get(path)
        assert response.status_code == 200 and title in response.get_data(as_text=True)
    assert "/akun/lupa-kata-sandi" in client.get("/masuk").get_data(as_text=True)


def test_imported_participant_claims_with_nik_and_ticket_code(client, imported):
    response = _claim(client, imported.nik, imported.ticket_code.lower())
    assert response.status_code == 302 and response.headers["Location"] == "/portal"
    assert client.get("/portal").status_code == 200  # logged in
    user = _user(imported)
    assert user.check_password(NEW) and not user.must_change_password
    actions = db.session.scalars(sa.select(AuditLog.action)).all()
    assert "user.claim" in actions


def test_any_of_their_own_tickets_proves_it(client, registered, second_event):
    """Tickets of registrations the person made; one made by staff of another event does
    not (tests/participants/test_account_crossings.py)."""
    other = register(
        second_event,
        factories.registration_data(nik=registered.nik),
        RegistrationTerms(account=_user(registered), enforce_window=False),
    ).participant
    db.session.commit()
    response = _claim(client, registered.nik, other.ticket_code, path="/akun/lupa-kata-sandi")
    assert response.status_code == 302


def test_wrong_code_and_unknown_nik_answer_the_same(client, imported, registered):
    wrong = _claim(client, imported.nik, "SALAHSALAHSALAH2")
    unknown = _claim(client, "6408011705909998", "SALAHSALAHSALAH2")
    others_ticket = _claim(client, imported.nik, registered.ticket_code)
    for response in (wrong, unknown, others_ticket):
        assert response.status_code == 422
        assert REFUSED in response.get_data(as_text=True)
    assert _strip(wrong) == _strip(unknown)
    assert _user(imported).password_hash is None


def _strip(response) -> str:
    return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))


def test_weak_password_is_refused_and_nothing_changes(client, imported):
    response = _claim(client, imported.nik, imported.ticket_code, password="12345678")
    assert response.status_code == 422
    assert _user(imported).password_hash is None


def test_recovery_replaces_a_forgotten_password_and_ends_sessions(client, registered):
    login(client, registered.nik)
    phone = client.application.test_client()

    copy_session(client, phone)
    helper = client.application.test_client()
    response = _claim(helper, registered.nik, registered.ticket_code, path="/akun/lupa-kata-sandi")
    assert response.status_code == 302
    user = _user(registered)
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert phone.get("/portal").status_code == 302
    assert "user.recover" in db.session.scalars(sa.select(AuditLog.action)).all()


def test_recovery_keeps_where_the_person_was_going(client, registered):
    response = _claim(
        client,
        registered.nik,
        registered.ticket_code,
        path="/akun/lupa-kata-sandi?next=/kegiatan/UJI25/daftar",
    )
    assert response.headers["Location"] == "/kegiatan/UJI25/daftar"
    evil = client.application.test_client()
    response = _claim(
        evil,
        registered.nik,
        registered.ticket_code,
        password="Lain-sandi-99",
        path="/akun/aktivasi?next=//evil.example",
    )
    assert response.headers["Location"] == "/portal"


def _issue(client, event, participant):
    return client.post(f"/admin/kegiatan/{event.code}/peserta/{participant.id}/kode-aktivasi")


def _shown_code(response) -> str:
    match = re.search(r'data-activation-code="([A-Z0-9-]+)"', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    return match.group(1)


def test_manager_issues_a_one_time_code(client, event, imported, manager, admin):
    page = client.application.test_client()
    login(page, admin.email)
    edit = page.get(f"/admin/kegiatan/{event.code}/peserta/{imported.id}")
    assert "kode-aktivasi" in edit.get_data(as_text=True)
    login(client, manager.email)
    response = _issue(client, event, imported)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    code = _shown_code(response)
    html = response.get_data(as_text=True)
    assert "/akun/aktivasi?kode=" in html and imported.full_name in html
    stored = db.session.scalar(sa.select(ActivationCode))
    assert code.replace("-", "") not in (stored.code_hash or "")
    assert stored.user_id == imported.user_id and stored.expires_at > utcnow()
    person = client.application.test_client()
    assert 'value="' + code in person.get(f"/akun/aktivasi?kode={code}").get_data(as_text=True)
    assert _claim(person, imported.nik, code).status_code == 302
    again = client.application.test_client()
    assert _claim(again, imported.nik, code, password="Lain-sandi-99").status_code == 422
    assert _user(imported).check_password(NEW)


def test_a_new_code_replaces_the_earlier_one(client, event, imported, manager):
    login(client, manager.email)
    first = _shown_code(_issue(client, event, imported))
    second = _shown_code(_issue(client, event, imported))
    person = client.application.test_client()
    assert _claim(person, imported.nik, first).status_code == 422
    assert _claim(person, imported.nik, second).status_code == 302


def test_expired_code_is_refused(client, event, imported, manager):
    login(client, manager.email)
    code = _shown_code(_issue(client, event, imported))
    stored = db.session.scalar(sa.select(ActivationCode))
    stored.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert _claim(client.application.test_client(), imported.nik, code).status_code == 422


def test_code_only_for_its_own_nik(client, event, imported, registered, manager):
    login(client, manager.email)
    code = _shown_code(_issue(client, event, imported))
    assert _claim(client.application.test_client(), registered.nik, code).status_code == 422


def test_who_may_issue_codes(client, app, event, imported, second_event):
    panitia = factories.make_staff("panitia", event=event)
    other_manager = factories.make_staff("manager", event=second_event)
    anonymous = client.application.test_client()
    assert _issue(anonymous, event, imported).status_code == 302
    login(client, panitia.email)
    assert _issue(client, event, imported).status_code == 403
    stranger = client.application.test_client()
    login(stranger, other_manager.email)
    assert _issue(stranger, event, imported).status_code == 404
    # a participant of another event through this event's address
    elsewhere = factories.make_participant(second_event)
    manager_of_event = factories.make_staff("manager", event=event)
    own = client.application.test_client()
    login(own, manager_of_event.email)
    assert _issue(own, event, elsewhere).status_code == 404
    person = client.application.test_client()
    login(person, elsewhere.nik)
    assert _issue(person, event, imported).status_code in (403, 404)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivationCode)) == 0


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ACCOUNT_RECOVERY": "6 per hour",
        "RATELIMIT_RECOVERY_PROOF": "3 per hour",
        "RATELIMIT_LOGIN": "1000 per minute",
    }


def test_per_address_limit(client, imported):
    for index in range(6):
        _claim(client, f"64080117059{index:05d}", "SALAHSALAHSALAH2")
    response = _claim(client, imported.nik, imported.ticket_code)
    assert response.status_code == 429
    assert _user(imported).password_hash is None


def test_per_code_counter_same_for_unknown_nik(client, imported):
    """A code tried wrong from several addresses is locked, for a known NIK as for an
    unknown one; the NIK itself is not (its owner's own ticket still works)."""
    for nik in (imported.nik, "6408011705909997"):
        for address in ("10.1.0.1", "10.1.0.2", "10.1.0.3"):
            client.post(
                "/akun/aktivasi",
                data={"nik": nik, "code": "SALAH" + nik, "password": NEW, "confirm": NEW},
                environ_base={"REMOTE_ADDR": address},
            )
        locked = client.post(
            "/akun/aktivasi",
            data={"nik": nik, "code": "SALAH" + nik, "password": NEW, "confirm": NEW},
            environ_base={"REMOTE_ADDR": "10.1.0.4"},
        )
        assert locked.status_code == 429
        assert "Terlalu banyak percobaan yang salah dengan kode ini" in locked.get_data(
            as_text=True
        )
    assert _user(imported).password_hash is None
    response = client.post(
        "/akun/aktivasi",
        data={"nik": imported.nik, "code": imported.ticket_code, "password": NEW, "confirm": NEW},
        environ_base={"REMOTE_ADDR": "10.1.0.5"},
    )
    assert response.status_code == 302


def test_cli_reset_password_for_a_nik_prints_an_activation_code(runner, imported):
    result = runner.invoke(args=["reset-password", imported.nik])
    assert result.exit_code == 0, result.output
    assert "/akun/aktivasi?kode=" in result.output
    code = re.search(r"kode=([A-Z0-9-]+)", result.output).group(1)
    assert db.session.scalar(sa.select(ActivationCode)).user_id == imported.user_id
    assert _user(imported).password_hash is None
    assert code


def test_cli_reset_password_for_staff_by_email(runner, admin):
    result = runner.invoke(args=["reset-password", admin.email])
    assert result.exit_code == 0 and "one-time password" in result.output
    unknown = runner.invoke(args=["reset-password", "6408011705909997"])
    assert unknown.exit_code != 0

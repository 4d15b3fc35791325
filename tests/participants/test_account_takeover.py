"""A registration never logs anyone in as an existing account, nor changes one."""

import sqlalchemy as sa

from bimtek.auth.models import User
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.registration import RegistrationTerms, register
from tests.conftest import login
from tests.factories import PASSWORD, make_participant, registration_data
from tests.participants.conftest import form_data

STRANGER_PASSWORD = "Lembayung-77"


def _stranger_registers(client, event, nik, **overrides):
    data = form_data(
        nik=nik, password=STRANGER_PASSWORD, password_confirm=STRANGER_PASSWORD, **overrides
    )
    return client.post(f"/kegiatan/{event.code}/daftar", data=data)


def _count(event) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Participant).where(Participant.event_id == event.id)
    )


def test_imported_account_is_not_taken_over_by_registering_its_nik(client, imported, second_event):
    response = _stranger_registers(client, second_event, imported.nik, full_name="Penyusup")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")
    assert client.get("/portal").status_code == 302  # not logged in as anyone
    user = db.session.get(User, imported.user_id)
    db.session.refresh(user)
    assert user.password_hash is None and user.full_name == imported.full_name
    assert _count(second_event) == 0
    stranger = client.application.test_client()
    refused = stranger.post(
        "/masuk", data={"identifier": imported.nik, "password": STRANGER_PASSWORD}
    )
    assert refused.status_code == 400


def test_account_with_password_is_not_taken_over(client, registered, second_event):
    response = _stranger_registers(client, second_event, registered.nik)
    assert response.headers["Location"].startswith("/masuk")
    assert client.get("/portal").status_code == 302
    user = db.session.get(User, registered.user_id)
    db.session.refresh(user)
    assert user.check_password(PASSWORD) and not user.check_password(STRANGER_PASSWORD)
    assert _count(second_event) == 0


def test_registration_continues_prefilled_after_login(client, registered, second_event):
    response = _stranger_registers(
        client, second_event, registered.nik, institution="Bawaslu Kutai Timur"
    )
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "NIK ini sudah punya akun" in login_page
    assert "/akun/aktivasi" in login_page and "/akun/lupa-kata-sandi" in login_page
    after = client.post(
        response.headers["Location"],
        data={"identifier": registered.nik, "password": PASSWORD},
    )
    assert after.headers["Location"] == f"/kegiatan/{second_event.code}/daftar"
    form = client.get(after.headers["Location"]).get_data(as_text=True)
    assert 'value="Bawaslu Kutai Timur"' in form
    assert STRANGER_PASSWORD not in form and 'name="password"' not in form
    done = client.post(
        f"/kegiatan/{second_event.code}/daftar",
        data=form_data(nik=registered.nik, institution="Bawaslu Kutai Timur", password=""),
    )
    assert done.status_code == 302 and done.headers["Location"].startswith("/tiket/")
    mine = db.session.scalar(sa.select(Participant).where(Participant.event_id == second_event.id))
    assert mine.user_id == registered.user_id and mine.institution == "Bawaslu Kutai Timur"
    user = db.session.get(User, registered.user_id)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_the_password_is_never_kept_across_the_login(client, registered, second_event):
    _stranger_registers(client, second_event, registered.nik)
    with client.session_transaction() as session:
        assert STRANGER_PASSWORD not in repr(dict(session))


def test_logged_in_participant_registers_only_their_own_nik(
    client, registered, imported, second_event
):
    login(client, registered.nik)
    form = client.get(f"/kegiatan/{second_event.code}/daftar").get_data(as_text=True)
    assert registered.nik in form
    response = client.post(
        f"/kegiatan/{second_event.code}/daftar",
        data=form_data(nik=imported.nik, password=""),
    )
    assert response.status_code == 302
    added = db.session.scalars(
        sa.select(Participant).where(Participant.event_id == second_event.id)
    ).all()
    assert [p.nik for p in added] == [registered.nik]
    assert added[0].user_id == registered.user_id
    other = db.session.get(User, imported.user_id)
    db.session.refresh(other)
    assert other.password_hash is None


def test_new_nik_still_registers_and_logs_in(client, event):
    response = client.post(f"/kegiatan/{event.code}/daftar", data=form_data())
    assert response.headers["Location"].startswith("/tiket/")
    assert client.get("/portal").status_code == 200


def test_api_registration_of_an_existing_account_is_refused(client, imported, second_event):
    payload = registration_data(nik=imported.nik, password=STRANGER_PASSWORD, consent=True)
    response = client.post(f"/api/v1/events/{second_event.code}/registrations", json=payload)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "account_exists"
    assert _count(second_event) == 0
    user = db.session.get(User, imported.user_id)
    db.session.refresh(user)
    assert user.password_hash is None


def test_service_never_changes_an_existing_account(app, imported, second_event):
    """An organizer's registration into a second event leaves the account as it was."""
    data = registration_data(nik=imported.nik, full_name="Nama Lain", password="Lembayung-77")
    register(second_event, data, RegistrationTerms(channel="cli", enforce_window=False))
    db.session.commit()
    user = db.session.get(User, imported.user_id)
    db.session.refresh(user)
    assert user.password_hash is None and user.full_name == imported.full_name


def test_someone_else_logging_in_on_the_same_computer_does_not_see_it(
    client, registered, second_event, event
):
    """At the venue's shared computer: the next person to log in gets an empty form."""
    _stranger_registers(client, second_event, registered.nik, institution="Bawaslu Rahasia")
    other = make_participant(event)
    login(client, other.nik)
    form = client.get(f"/kegiatan/{second_event.code}/daftar").get_data(as_text=True)
    assert "Bawaslu Rahasia" not in form
    with client.session_transaction() as session:
        assert "pending_registration" not in session

"""Staff of one event never get a credential for an account that holds another event's data
or a password its owner set (issue 18, items 1, 6 and 7).

The attacks are the ones reproduced: a panitia of event B registers, at the walk-in desk, the
NIK of a participant of event A and uses the ticket the desk answers with at
``/akun/lupa-kata-sandi``; a manager of event B does the same through "Tambah peserta" and
"kode aktivasi". Then the owner's own proofs, which keep working.
"""

import re

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from bimtek.audit.models import AuditLog
from bimtek.auth.models import ActivationCode, User
from bimtek.errors import Forbidden, InvalidInput
from bimtek.extensions import db
from bimtek.participants import accounts
from bimtek.participants.models import Participant
from bimtek.participants.registration import RegistrationTerms, register, register_many
from bimtek.staff.assignments import assign_staff
from tests import factories
from tests.conftest import login
from tests.factories import PASSWORD

NEW = "Lembayung77"
REFUSED = "NIK atau kode tidak cocok"


@pytest.fixture
def other_event(app):
    """Event B: its staff must not reach the accounts of event A's participants."""
    return factories.make_event("LAIN25")


@pytest.fixture
def other_panitia(other_event):
    return factories.make_staff("panitia", "panitia-b@bimtek.local", event=other_event)


@pytest.fixture
def other_manager(other_event):
    return factories.make_staff("manager", "manager-b@bimtek.local", event=other_event)


def _user(participant) -> User:
    user = db.session.get(User, participant.user_id)
    db.session.refresh(user)
    return user


def _recover(client, nik, code, password=NEW):
    return client.post(
        "/akun/lupa-kata-sandi",
        data={"nik": nik, "code": code, "password": password, "confirm": password},
    )


def _walk_in(client, event, victim):
    data = factories.registration_data(nik=victim.nik, full_name="Orang Lain")
    data.pop("password")
    answer = client.post(
        f"/kegiatan/{event.code}/check-in/{event.sessions[0].id}/walk-in",
        json={**data, "consent": True},
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()["ticket_code"]


# --- item 1: the attacks -------------------------------------------------------------------


def test_walk_in_ticket_of_another_events_participant_opens_nothing(
    client, registered, other_event, other_panitia
):
    login(client, other_panitia.email)
    ticket = _walk_in(client, other_event, registered)
    attacker = client.application.test_client()
    response = _recover(attacker, registered.nik, ticket)
    assert response.status_code == 422 and REFUSED in response.get_data(as_text=True)
    assert attacker.get("/portal/data-saya.json").status_code in (302, 401)
    assert _user(registered).check_password(PASSWORD)


def test_walk_in_ticket_does_not_claim_an_unclaimed_account_of_another_event(
    client, imported, other_event, other_panitia
):
    login(client, other_panitia.email)
    ticket = _walk_in(client, other_event, imported)
    attacker = client.application.test_client()
    assert _recover(attacker, imported.nik, ticket).status_code == 422
    assert _user(imported).password_hash is None


def test_manager_add_then_activation_code_is_refused(
    client, registered, other_event, other_manager
):
    login(client, other_manager.email)
    data = factories.registration_data(nik=registered.nik, full_name="Orang Lain")
    data.pop("password")
    added = client.post(f"/admin/kegiatan/{other_event.code}/peserta/baru", data=data)
    assert added.status_code == 302, added.get_data(as_text=True)[:400]
    mine = db.session.scalar(sa.select(Participant).where(Participant.event_id == other_event.id))
    assert mine.user_id == registered.user_id
    response = client.post(f"/admin/kegiatan/{other_event.code}/peserta/{mine.id}/kode-aktivasi")
    assert response.status_code == 403
    assert "data-activation-code" not in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivationCode)) == 0
    assert (
        _recover(client.application.test_client(), registered.nik, mine.ticket_code).status_code
        == 422
    )
    mine.email = "b@penyusup.id"  # the manager's own address
    db.session.commit()
    mailed = client.post(
        f"/admin/kegiatan/{other_event.code}/peserta/{mine.id}/kode-aktivasi/email"
    )
    assert mailed.status_code == 403


def test_manager_email_on_a_staff_registration_gets_no_link(
    app, registered, other_event, other_manager
):
    """A manager of B who types their own address on B's registration of A's participant."""
    register(
        other_event,
        {**factories.registration_data(nik=registered.nik), "email": "b@penyusup.id"},
        RegistrationTerms(channel="admin", actor=other_manager, enforce_window=False),
    )
    db.session.commit()
    assert accounts._link_recipient(registered.nik) is None
    assert accounts._link_recipient("b@penyusup.id") is None


@pytest.mark.parametrize("channel", ["import", "desk", "admin", "cli"])
def test_no_staff_path_makes_a_proof_for_an_account_of_another_event(
    app, registered, other_event, other_manager, channel
):
    data = factories.registration_data(nik=registered.nik)
    data.pop("password")
    if channel == "import":
        mine = register_many(other_event, [data], actor=other_manager)[0].participant
    else:
        mine = register(
            other_event,
            data,
            RegistrationTerms(channel=channel, actor=other_manager, enforce_window=False),
        ).participant
    db.session.commit()
    assert not accounts.ticket_proves_account(mine)
    with pytest.raises(InvalidInput):
        accounts.recover_account(registered.nik, mine.ticket_code, NEW, NEW, address="198.51.100.7")


def test_staff_ticket_stops_proving_once_its_owner_set_a_password(client, imported):
    assert _recover(client, imported.nik, imported.ticket_code).status_code == 302
    again = client.application.test_client()
    assert _recover(again, imported.nik, imported.ticket_code, "Lain-sandi-99").status_code == 422
    assert _user(imported).check_password(NEW)


def test_staff_ticket_stops_proving_once_the_account_holds_another_event(
    client, imported, other_event
):
    register_many(other_event, [factories.registration_data(nik=imported.nik)])
    db.session.commit()
    assert _recover(client, imported.nik, imported.ticket_code).status_code == 422


# --- item 1: the owner's own proofs --------------------------------------------------------


def test_owners_own_ticket_still_proves_beside_a_staff_registration(
    client, registered, other_event, other_manager
):
    register(
        other_event,
        factories.registration_data(nik=registered.nik),
        RegistrationTerms(channel="admin", actor=other_manager, enforce_window=False),
    )
    db.session.commit()
    assert _recover(client, registered.nik, registered.ticket_code).status_code == 302
    assert _user(registered).check_password(NEW)


def test_owner_registering_themself_in_a_second_event_gets_a_proof(client, registered, other_event):
    login(client, registered.nik)
    done = client.post(
        f"/kegiatan/{other_event.code}/daftar",
        data={**factories.registration_data(nik=registered.nik, password=""), "consent": "y"},
    )
    assert done.status_code == 302
    mine = db.session.scalar(sa.select(Participant).where(Participant.event_id == other_event.id))
    assert accounts.ticket_proves_account(mine)


def test_activation_codes_for_a_two_event_account(app, registered, other_event, manager):
    """Only an administrator, a manager of every event the account holds, or the CLI."""
    second = register(
        other_event,
        factories.registration_data(nik=registered.nik),
        RegistrationTerms(channel="cli", enforce_window=False),
    ).participant
    both = factories.make_staff("manager", "kedua@bimtek.local", event=other_event)

    assign_staff(registered.event, both, "manager", channel="cli")
    db.session.commit()
    with pytest.raises(Forbidden):
        accounts.issue_activation_code(registered, actor=manager)
    assert accounts.issue_activation_code(second, actor=both)[1]
    admin = factories.make_staff("admin", "admin2@bimtek.local")
    assert accounts.issue_activation_code(registered, actor=admin)[1]
    assert accounts.issue_activation_code(registered, actor=None, channel="cli")[1]


def test_manager_of_the_only_event_still_issues_codes(client, event, registered, manager):
    login(client, manager.email)
    response = client.post(f"/admin/kegiatan/{event.code}/peserta/{registered.id}/kode-aktivasi")
    assert response.status_code == 200 and "data-activation-code" in response.get_data(as_text=True)


# --- item 6: asking for a link never voids a printed code -----------------------------------


def _printed_code(participant, actor=None) -> str:
    _issued, plain = accounts.issue_activation_code(participant, actor=actor, channel="cli")
    db.session.commit()
    return plain


def test_asking_for_a_link_keeps_the_printed_code(client, app, imported):
    imported.email = "pemilik@contoh.id"
    db.session.commit()
    printed = _printed_code(imported)
    for _ in range(2):
        accounts.request_link(imported.nik, address="203.0.113.9")
        accounts.issue_link_code(imported)  # what the message job does when it writes it
        db.session.commit()
    live = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ActivationCode)
        .where(ActivationCode.used_at.is_(None))
    )
    assert live == 3  # the printed one and two mailed ones
    assert _recover(client, imported.nik, printed).status_code == 302


def test_using_one_proof_voids_the_others(client, imported):
    imported.email = "pemilik@contoh.id"
    db.session.commit()
    printed = _printed_code(imported)
    mailed, _expires = accounts.issue_link_code(imported)
    db.session.commit()
    assert _recover(client, imported.nik, mailed).status_code == 302
    later = client.application.test_client()
    assert _recover(later, imported.nik, printed, "Lain-sandi-99").status_code == 422


# --- item 7: handing a squatted account back -------------------------------------------------


def _hand_back(client, event, participant, reason="KTP asli diperiksa di meja panitia"):
    return client.post(
        f"/admin/kegiatan/{event.code}/peserta/{participant.id}/serahkan-akun",
        data={"reason": reason, "ktp_checked": "y"},
    )


def test_manager_hands_an_account_back_after_checking_the_ktp(client, event, registered, manager):
    squatter = client.application.test_client()
    login(squatter, registered.nik)
    login(client, manager.email)
    response = _hand_back(client, event, registered)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    code = re.search(r'data-activation-code="([A-Z0-9-]+)"', response.get_data(as_text=True))
    user = _user(registered)
    assert user.password_hash is None
    assert squatter.get("/portal").status_code == 302  # the squatter's session ended
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "user.hand_back"))
    assert entry.actor_id == manager.id
    assert entry.details["reason"] == "KTP asli diperiksa di meja panitia"
    owner = client.application.test_client()
    assert _recover(owner, registered.nik, code.group(1)).status_code == 302


def test_hand_back_needs_a_reason_and_the_ktp(client, event, registered, manager):
    login(client, manager.email)
    assert _hand_back(client, event, registered, reason="  ").status_code == 422
    no_ktp = client.post(
        f"/admin/kegiatan/{event.code}/peserta/{registered.id}/serahkan-akun",
        data={"reason": "Pemilik datang"},
    )
    assert no_ktp.status_code == 422
    assert _user(registered).check_password(PASSWORD)
    assert accounts.hand_back_account  # the service behind the page
    with pytest.raises(InvalidInput):
        accounts.hand_back_account(registered, actor=manager, reason="", ktp_checked=True)
    too_long = "x" * (accounts.REASON_MAX + 1)
    answer = _hand_back(client, event, registered, reason=too_long)
    assert answer.status_code == 422 and "paling banyak 500" in answer.get_data(as_text=True)
    assert _user(registered).check_password(PASSWORD)


def test_hand_back_follows_the_crossing_rule(client, registered, other_event, other_manager):
    mine = register(
        other_event,
        factories.registration_data(nik=registered.nik),
        RegistrationTerms(channel="admin", actor=other_manager, enforce_window=False),
    ).participant
    db.session.commit()
    login(client, other_manager.email)
    assert _hand_back(client, other_event, mine).status_code == 403
    assert _user(registered).check_password(PASSWORD)
    assert not db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "user.hand_back"))


def test_the_409_tells_the_owner_what_to_do(client, registered, other_event):
    answer = client.post(
        f"/api/v1/events/{other_event.code}/registrations",
        json={**factories.registration_data(nik=registered.nik), "consent": True},
    )
    assert answer.status_code == 409
    message = answer.get_json()["error"]["message"]
    assert "KTP" in message and "lupa-kata-sandi" in message
    page = client.post(
        f"/kegiatan/{other_event.code}/daftar",
        data={
            **factories.registration_data(nik=registered.nik, password="Lembayung77"),
            "password_confirm": "Lembayung77",
            "consent": "y",
        },
        follow_redirects=True,
    )
    assert "KTP" in page.get_data(as_text=True)


def test_the_409_in_english(client, registered, other_event):
    answer = client.post(
        f"/api/v1/events/{other_event.code}/registrations",
        json={**factories.registration_data(nik=registered.nik), "consent": True},
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 409
    assert "ID card" in answer.get_json()["error"]["message"]


# --- the migration ---------------------------------------------------------------------------


def test_migration_counts_only_audited_self_registrations_as_the_owners(app, event):
    """Rows made before ``proof_source``: the person's own public or API registration (the
    audit log's actor is their account) is "owner", everything else "staff"."""
    online = register(
        event, factories.registration_data(), RegistrationTerms(channel="public")
    ).participant
    imported = register_many(event, [factories.registration_data()])[0].participant
    ids = {"owner": online.id, "staff": imported.id}
    db.session.commit()
    db.session.remove()
    try:
        downgrade(revision="0021")
        db.session.remove()
    finally:
        upgrade()
    found = dict(db.session.execute(sa.text("SELECT id, proof_source FROM participants")).all())
    assert found == {ids["owner"]: "owner", ids["staff"]: "staff"}

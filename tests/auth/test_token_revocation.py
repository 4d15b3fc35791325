"""API tokens when the account's access is taken back (issue 18, item 5): deactivation
revokes them for good; a password reset and "Keluar dari semua perangkat" revoke them
unless the person unticks the box (service, page and CLI)."""

import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.auth import services, tokens
from bimtek.auth.models import ApiToken
from bimtek.extensions import db
from bimtek.staff import accounts
from tests import factories
from tests.conftest import login


def _bearer(plain):
    return {"Authorization": f"Bearer {plain}"}


def _works(client, event, plain) -> bool:
    response = client.get(f"/api/v1/events/{event.code}/summary", headers=_bearer(plain))
    return response.status_code != 401


def _desk_with_token(event):
    desk = factories.make_staff("panitia", event=event)
    _token, plain = tokens.issue_api_token(desk, "scanner")
    db.session.commit()
    return desk, plain


def _revocations(user) -> list[dict]:
    rows = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "api_token.revoke").order_by(AuditLog.id)
    )
    return [row.details for row in rows if row.details.get("user_id") == user.id]


def test_deactivation_revokes_tokens_for_good_and_audits_it(client, event, admin):
    desk, plain = _desk_with_token(event)
    assert _works(client, event, plain)
    accounts.deactivate(desk, actor=admin)
    db.session.commit()
    assert not _works(client, event, plain)
    assert len(_revocations(desk)) == 1
    accounts.reactivate(desk, actor=admin)
    db.session.commit()
    assert not _works(client, event, plain)  # reactivation brings no token back
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == desk.id))
    assert token.revoked_at is not None


def test_reset_password_service_revokes_tokens_unless_told_not_to(client, event, admin):
    desk, plain = _desk_with_token(event)
    services.reset_password(desk, actor=admin, revoke_tokens=False)
    db.session.commit()
    assert _works(client, event, plain)
    services.reset_password(desk, actor=admin)
    db.session.commit()
    assert not _works(client, event, plain)
    assert len(_revocations(desk)) == 1


def test_admin_reset_page_offers_revoking_ticked(client, event, admin):
    desk, plain = _desk_with_token(event)
    login(client, admin.email)
    page = client.get(f"/admin/staf/{desk.id}").get_data(as_text=True)
    assert (
        'name="revoke_tokens"' in page and "checked" in page.split('name="revoke_tokens"')[1][:40]
    )
    assert client.post(f"/admin/staf/{desk.id}/kata-sandi").status_code == 200  # box unticked
    assert _works(client, event, plain)
    client.post(f"/admin/staf/{desk.id}/kata-sandi", data={"revoke_tokens": "1"})
    assert not _works(client, event, plain)


def test_logout_everywhere_revokes_tokens_when_ticked(client, event):
    desk, plain = _desk_with_token(event)
    login(client, desk.email)
    page = client.get("/kata-sandi").get_data(as_text=True)
    assert 'name="revoke_tokens"' in page
    client.post("/keluar/semua")  # box unticked
    assert _works(client, event, plain)
    login(client, desk.email)
    client.post("/keluar/semua", data={"revoke_tokens": "1"})
    assert not _works(client, event, plain)
    assert len(_revocations(desk)) == 1


def test_logout_everywhere_service_revokes_by_default(client, event):
    desk, plain = _desk_with_token(event)
    services.log_out_everywhere(desk)
    db.session.commit()
    assert not _works(client, event, plain)


def test_participant_portal_has_no_token_box(client, event):
    person = factories.make_participant(event)
    login(client, person.nik)
    assert 'name="revoke_tokens"' not in client.get("/portal").get_data(as_text=True)


def test_cli_reset_password_revokes_tokens_unless_kept(runner, client, event):
    desk, plain = _desk_with_token(event)
    kept = runner.invoke(args=["reset-password", desk.email, "--keep-tokens"])
    assert kept.exit_code == 0, kept.output
    assert _works(client, event, plain)
    revoked = runner.invoke(args=["reset-password", desk.email])
    assert revoked.exit_code == 0, revoked.output
    assert "1 API token" in revoked.output
    assert not _works(client, event, plain)

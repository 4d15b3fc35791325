"""API tokens: created and revoked in the browser and on the command line; a revoked
token, or one of a deactivated account, answers 401 at once; last use is stamped."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.auth import tokens
from bimtek.auth.models import ApiToken
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput, NotFound
from bimtek.extensions import db
from bimtek.staff import accounts
from tests import factories
from tests.conftest import login


def bearer(plain):
    return {"Authorization": f"Bearer {plain}"}


def test_token_services(app, admin):
    desk = factories.make_staff("panitia")
    token, plain = tokens.issue_api_token(desk, "  Pemindai   meja 1 ", actor=desk, channel="web")
    assert token.name == "Pemindai meja 1" and plain.startswith(token.prefix)
    assert tokens.user_for_token(plain) == desk and tokens.tokens_of(desk) == [token]
    assert tokens.token_visible_to(token.id, desk) == token
    assert tokens.token_visible_to(token.id, admin) == token
    with pytest.raises(NotFound):
        tokens.token_visible_to(token.id, factories.make_staff("panitia"))
    for junk in ("x", 10**20, None):
        with pytest.raises(NotFound):
            tokens.token_visible_to(junk, admin)
    with pytest.raises(InvalidInput):
        tokens.issue_api_token(desk, "x" * 101)
    tokens.revoke_api_token(token, actor=admin)
    revoked_at = token.revoked_at
    tokens.revoke_api_token(token, actor=admin)  # twice: nothing changes
    assert token.revoked_at == revoked_at and tokens.user_for_token(plain) is None
    for junk in (None, "", "bmt_", "bmt_" + "x" * 500, plain.replace("bmt_", "abc_")):
        assert tokens.user_for_token(junk) is None


def test_last_use_is_stamped_at_most_once_a_minute(app):
    desk = factories.make_staff("panitia")
    token, _plain = tokens.issue_api_token(desk, "scanner")
    db.session.commit()
    now = utcnow()
    assert tokens.note_token_use(token, now) and token.last_used_at == now
    # written in its own transaction: stored, and the session has nothing to commit
    assert not db.session.dirty
    assert db.session.scalar(sa.select(ApiToken.last_used_at).where(ApiToken.id == token.id))
    assert not tokens.note_token_use(token, now + timedelta(seconds=59))
    assert token.last_used_at == now
    assert tokens.note_token_use(token, now + timedelta(seconds=61))


def test_revoked_and_deactivated_tokens_answer_401_at_once(client, event, admin):
    desk = factories.make_staff("panitia", event=event)
    token, plain = tokens.issue_api_token(desk, "scanner")
    _second, other_plain = tokens.issue_api_token(desk, "cadangan")
    db.session.commit()
    url = f"/api/v1/events/{event.code}/summary"
    assert client.get(url, headers=bearer(plain)).status_code != 401
    db.session.refresh(token)
    assert token.last_used_at is not None  # stamped, although GET handlers never commit
    tokens.revoke_api_token(token, actor=admin)
    db.session.commit()
    response = client.get(url, headers=bearer(plain))
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert client.get(url, headers=bearer(other_plain)).status_code != 401
    accounts.deactivate(desk, actor=admin)
    db.session.commit()
    assert client.get(url, headers=bearer(other_plain)).status_code == 401
    accounts.reactivate(desk, actor=admin)
    db.session.commit()
    assert client.get(url, headers=bearer(other_plain)).status_code == 401  # revoked for good


def test_a_staff_member_creates_lists_and_revokes_their_own_tokens(client, event):
    desk = factories.make_staff("panitia", event=event)
    someone = factories.make_staff("panitia", event=event)
    _theirs, _ = tokens.issue_api_token(someone, "milik orang lain")
    db.session.commit()
    login(client, desk.email)
    response = client.post("/admin/token-api", data={"name": "Pemindai meja 1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    plain = page.split('<code id="token-plain">')[1].split("</code>")[0]
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == desk.id))
    assert plain.startswith(token.prefix) and tokens.user_for_token(plain) == desk
    listing = client.get("/admin/token-api").get_data(as_text=True)
    assert "Pemindai meja 1" in listing and token.prefix in listing and plain not in listing
    assert "milik orang lain" not in listing and "Semua token" not in listing
    assert client.post(f"/admin/token-api/{_theirs.id}/cabut").status_code == 404
    assert client.post(f"/admin/token-api/{token.id}/cabut").status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert (
        client.get(f"/api/v1/events/{event.code}/summary", headers=bearer(plain)).status_code == 401
    )
    empty = client.post("/admin/token-api", data={"name": "  "})
    assert empty.status_code == 422 and "Nama token wajib diisi" in empty.get_data(as_text=True)


def test_an_administrator_sees_and_revokes_every_token(admin_client, event):
    desk = factories.make_staff("panitia", event=event)
    token, _plain = tokens.issue_api_token(desk, "meja 7")
    db.session.commit()
    page = admin_client.get("/admin/token-api").get_data(as_text=True)
    assert "Semua token" in page and "meja 7" in page and desk.full_name in page
    assert admin_client.post(f"/admin/token-api/{token.id}/cabut").status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None


def test_token_pages_need_a_staff_login(client, event):
    desk = factories.make_staff("panitia", event=event)
    token, _ = tokens.issue_api_token(desk, "x")
    db.session.commit()
    assert client.get("/admin/token-api").status_code == 302
    assert client.post(f"/admin/token-api/{token.id}/cabut").status_code == 302
    person = factories.make_participant(event)
    login(client, person.user.nik)
    assert client.get("/admin/token-api").status_code == 403
    assert client.post("/admin/token-api", data={"name": "x"}).status_code == 403
    assert client.post(f"/admin/token-api/{token.id}/cabut").status_code == 403
    db.session.refresh(token)
    assert token.revoked_at is None


def test_cli_revoke_token(runner, app):
    desk = factories.make_staff("panitia", "meja@bimtek.local")
    first, plain = tokens.issue_api_token(desk, "scanner")
    second, _ = tokens.issue_api_token(desk, "cadangan")
    db.session.commit()
    result = runner.invoke(args=["revoke-token", first.prefix])
    assert (
        result.exit_code == 0
        and "Revoked" in result.output
        and "meja@bimtek.local" in result.output
    )
    assert tokens.user_for_token(plain) is None
    result = runner.invoke(args=["revoke-token", str(second.id)])
    assert result.exit_code == 0
    db.session.refresh(second)
    assert second.revoked_at is not None
    again = runner.invoke(args=["revoke-token", str(second.id)])
    assert again.exit_code == 0 and "already revoked" in again.output
    missing = runner.invoke(args=["revoke-token", "bmt_nothere"])
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.output


def test_the_token_page_speaks_english(client, event):
    desk = factories.make_staff("panitia", event=event)
    client.post("/bahasa/en", data={"next": "/masuk"})
    login(client, desk.email)
    page = client.get("/admin/token-api").get_data(as_text=True)
    assert "My tokens" in page and "Create token" in page and "Token saya" not in page

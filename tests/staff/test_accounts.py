"""Staff accounts managed by an administrator: services first, then the pages."""

import pytest
import sqlalchemy as sa
from flask import g

from bimtek.audit.models import AuditLog
from bimtek.auth import services
from bimtek.auth.models import User
from bimtek.auth.sessions import end_sessions
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.events.access import event_right
from bimtek.extensions import db
from bimtek.staff import accounts
from tests import factories
from tests.conftest import login


def right_of(user, event):
    """The right read afresh (``event_right`` caches per app context, i.e. per request)."""
    g.pop("_event_rights", None)
    return event_right(user, event)


def actions():
    return [row.action for row in db.session.scalars(sa.select(AuditLog).order_by(AuditLog.id))]


def test_create_staff_account_hands_out_a_one_time_password(app, admin):
    user, password = accounts.create_staff_account(
        {"full_name": "  Rina   Wulandari ", "email": "Rina@Kesbangpol.local", "kind": "staff"},
        actor=admin,
    )
    db.session.commit()
    assert (user.full_name, user.email, user.role) == (
        "Rina Wulandari",
        "rina@kesbangpol.local",
        "staff",
    )
    assert user.must_change_password and services.authenticate(user.email, password) == user
    assert "user.create" in actions()
    with pytest.raises(Conflict) as clash:
        accounts.create_staff_account(
            {"full_name": "X", "email": "RINA@kesbangpol.local", "kind": "admin"}, actor=admin
        )
    assert "email" in clash.value.fields


def test_create_staff_account_names_every_bad_field(app, admin):
    with pytest.raises(InvalidInput) as error:
        accounts.create_staff_account(
            {"full_name": " ", "email": "bukan-email", "kind": "participant"}, actor=admin
        )
    assert set(error.value.fields) == {"full_name", "email", "kind"}
    with pytest.raises(InvalidInput):
        accounts.create_staff_account(
            {"full_name": "x" * 201, "email": "a@b.local", "kind": "staff"}, actor=admin
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_deactivation_ends_sessions_and_guards_admins(app, admin):
    other = factories.make_staff("panitia")
    before = other.session_version
    accounts.deactivate(other, actor=admin)
    db.session.commit()
    assert not other.active and other.session_version == before + 1
    assert services.authenticate(other.email, factories.PASSWORD) is None
    accounts.reactivate(other, actor=admin)
    assert other.active
    assert actions()[-2:] == ["user.deactivate", "user.reactivate"]

    with pytest.raises(InvalidInput) as own:
        accounts.deactivate(admin, actor=admin)
    assert own.value.code == "self"
    second = factories.make_staff("admin")
    accounts.deactivate(second, actor=admin)  # one active admin is left: allowed
    with pytest.raises(InvalidInput) as last:
        accounts.deactivate(admin, actor=second)  # (an inactive actor via the CLI)
    assert last.value.code == "last_admin" and admin.active


def test_password_reset_is_one_time_and_ends_sessions(app, admin):
    other = factories.make_staff("manager")
    before = other.session_version
    password = accounts.reset_staff_password(other, actor=admin)
    db.session.commit()
    assert other.must_change_password and other.session_version > before
    assert services.authenticate(other.email, password) == other
    assert services.authenticate(other.email, factories.PASSWORD) is None
    with pytest.raises(InvalidInput):
        accounts.reset_staff_password(admin, actor=admin)


def test_end_sessions_bumps_the_version(app, admin):
    before = admin.session_version
    end_sessions(admin)
    end_sessions(admin)
    assert admin.session_version == before + 2


def test_participants_are_not_staff_accounts(app, event):
    person = factories.make_participant(event)
    with pytest.raises(NotFound):
        accounts.get_staff_account(person.user_id)
    for junk in ("x", 10**20, -1, None):
        with pytest.raises(NotFound):
            accounts.get_staff_account(junk)
    assert person.user not in accounts.staff_accounts()


# --- pages -------------------------------------------------------------------------------

STAFF_PAGES = [
    ("get", "/admin/staf"),
    ("get", "/admin/staf/baru"),
    ("post", "/admin/staf/baru"),
    ("get", "/admin/staf/{id}"),
    ("post", "/admin/staf/{id}/kegiatan"),
    ("post", "/admin/staf/{id}/kegiatan/UJI24/hapus"),
    ("post", "/admin/staf/{id}/nonaktifkan"),
    ("post", "/admin/staf/{id}/aktifkan"),
    ("post", "/admin/staf/{id}/kata-sandi"),
]


def test_staff_pages_are_for_administrators_only(client, event):
    manager = factories.make_staff("manager", event=event)
    target = factories.make_staff("panitia", event=event)
    for method, path in STAFF_PAGES:
        url = path.format(id=target.id)
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    login(client, manager.email)
    for method, path in STAFF_PAGES:
        url = path.format(id=target.id)
        assert getattr(client, method)(url).status_code == 403, url
    person = factories.make_participant(event)
    other = client.application.test_client()
    login(other, person.user.nik)
    for method, path in STAFF_PAGES:
        assert getattr(other, method)(path.format(id=target.id)).status_code == 403
    db.session.refresh(target)
    assert target.active and right_of(target, event) == "panitia"


def test_list_shows_rights_and_last_login(admin_client, admin, event):
    manager = factories.make_staff("manager", event=event)
    factories.make_staff("panitia", "meja@bimtek.local")
    page = admin_client.get("/admin/staf").get_data(as_text=True)
    assert manager.email in page and "meja@bimtek.local" in page
    assert "UJI24</code> Manajer" in page and "Belum ditugaskan" in page
    assert "Belum pernah" in page  # nobody but the admin has logged in
    db.session.refresh(admin)
    assert admin.last_login_at is not None


def test_account_page_names_the_zone_once(admin_client, admin):
    page = admin_client.get(f"/admin/staf/{admin.id}").get_data(as_text=True)
    assert "WITA WITA" not in page and " WITA" in page


def test_create_page_shows_the_password_once(admin_client):
    response = admin_client.post(
        "/admin/staf/baru",
        data={"full_name": "Budi Santoso", "email": "budi@bimtek.local", "kind": "staff"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    user = db.session.scalar(sa.select(User).where(User.email == "budi@bimtek.local"))
    password = page.split('<code id="password">')[1].split("</code>")[0]
    assert services.authenticate(user.email, password) == user and user.must_change_password
    assert "hanya ditampilkan sekali" in page
    assert password not in admin_client.get(f"/admin/staf/{user.id}").get_data(as_text=True)
    assert password not in admin_client.get("/admin/staf").get_data(as_text=True)

    again = admin_client.post(
        "/admin/staf/baru",
        data={"full_name": "Budi", "email": "BUDI@bimtek.local", "kind": "admin"},
    )
    assert again.status_code == 422 and "Sudah ada akun dengan email ini" in again.get_data(
        as_text=True
    )


def test_assign_unassign_deactivate_and_reset_in_the_browser(admin_client, event):
    staff = factories.make_staff("panitia", "rina@bimtek.local")
    base = f"/admin/staf/{staff.id}"
    response = admin_client.post(f"{base}/kegiatan", data={"event": "uji24", "role": "manager"})
    assert response.status_code == 302
    assert right_of(staff, event) == "manager"
    assert (
        admin_client.post(f"{base}/kegiatan", data={"event": "NOPE", "role": "panitia"}).status_code
        == 404
    )
    assert (
        admin_client.post(f"{base}/kegiatan", data={"event": "UJI24", "role": "raja"}).status_code
        == 422
    )
    assert admin_client.post(f"{base}/kegiatan/UJI24/hapus").status_code == 302
    assert right_of(staff, event) is None

    version = staff.session_version
    assert admin_client.post(f"{base}/nonaktifkan").status_code == 302
    db.session.refresh(staff)
    assert not staff.active and staff.session_version == version + 1
    assert "Nonaktif" in admin_client.get(base).get_data(as_text=True)
    assert admin_client.post(f"{base}/aktifkan").status_code == 302
    db.session.refresh(staff)
    assert staff.active

    response = admin_client.post(f"{base}/kata-sandi")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = response.get_data(as_text=True).split('<code id="password">')[1].split("<")[0]
    db.session.refresh(staff)
    assert staff.must_change_password and staff.session_version == version + 2
    assert services.authenticate(staff.email, password) is not None


def test_an_admin_cannot_deactivate_themself(admin_client, admin):
    response = admin_client.post(f"/admin/staf/{admin.id}/nonaktifkan")
    assert response.status_code == 422 and "sendiri" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_staff_pages_of_a_participant_id_are_404(admin_client, event):
    person = factories.make_participant(event)
    assert admin_client.get(f"/admin/staf/{person.user_id}").status_code == 404
    assert admin_client.post(f"/admin/staf/{person.user_id}/kata-sandi").status_code == 404
    assert admin_client.get("/admin/staf/99999999999").status_code == 404

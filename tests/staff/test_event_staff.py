"""An event's managers give rights in that event to existing staff accounts."""

import pytest
import sqlalchemy as sa
from flask import g

from bimtek.audit.models import AuditLog
from bimtek.events.access import event_right
from bimtek.extensions import db
from bimtek.staff.views import ASSIGN_LIMIT
from tests import factories
from tests.conftest import login


def right_of(user, event):
    g.pop("_event_rights", None)
    return event_right(user, event)


def test_a_manager_assigns_and_removes_staff_of_their_event(client, event):
    manager = factories.make_staff("manager", event=event)
    desk = factories.make_staff("panitia", "meja2@bimtek.local")
    login(client, manager.email)
    page = client.get("/admin/kegiatan/UJI24/staf")
    assert page.status_code == 200 and manager.email in page.get_data(as_text=True)
    response = client.post(
        "/admin/kegiatan/UJI24/staf", data={"email": " MEJA2@bimtek.local ", "role": "panitia"}
    )
    assert response.status_code == 302
    assert right_of(desk, event) == "panitia"
    entry = db.session.scalar(
        sa.select(AuditLog)
        .where(AuditLog.action == "event_staff.assign")
        .order_by(AuditLog.id.desc())
        .limit(1)
    )
    assert entry.actor_id == manager.id and entry.target_id == desk.id
    assert "meja2@bimtek.local" in client.get("/admin/kegiatan/UJI24/staf").get_data(as_text=True)
    client.post("/admin/kegiatan/UJI24/staf", data={"email": desk.email, "role": "manager"})
    assert right_of(desk, event) == "manager"
    assert client.post(f"/admin/kegiatan/UJI24/staf/{desk.id}/hapus").status_code == 302
    assert right_of(desk, event) is None
    assert client.post(f"/admin/kegiatan/UJI24/staf/{desk.id}/hapus").status_code == 404


def test_a_manager_of_one_event_cannot_touch_another(client, event):
    other = factories.make_event("BERAU24")
    manager = factories.make_staff("manager", event=event)
    desk = factories.make_staff("panitia", event=other)
    login(client, manager.email)
    assert client.get("/admin/kegiatan/BERAU24/staf").status_code == 404
    response = client.post(
        "/admin/kegiatan/BERAU24/staf", data={"email": manager.email, "role": "manager"}
    )
    assert response.status_code == 404
    assert client.post(f"/admin/kegiatan/BERAU24/staf/{desk.id}/hapus").status_code == 404
    assert right_of(manager, other) is None and right_of(desk, other) == "panitia"


def test_panitia_participants_and_strangers_are_refused(client, event):
    desk = factories.make_staff("panitia", event=event)
    target = factories.make_staff("panitia", "x@bimtek.local")
    assert client.get("/admin/kegiatan/UJI24/staf").status_code == 302  # to the login page
    login(client, desk.email)
    assert client.get("/admin/kegiatan/UJI24/staf").status_code == 403
    response = client.post(
        "/admin/kegiatan/UJI24/staf", data={"email": target.email, "role": "manager"}
    )
    assert response.status_code == 403
    assert client.post(f"/admin/kegiatan/UJI24/staf/{desk.id}/hapus").status_code == 403
    stranger = factories.make_staff("manager", "s@bimtek.local")  # staff with no event
    other = client.application.test_client()
    login(other, stranger.email)
    assert other.get("/admin/kegiatan/UJI24/staf").status_code == 404
    assert right_of(target, event) is None and right_of(desk, event) == "panitia"


def test_only_active_staff_accounts_can_be_assigned(client, event, admin):
    manager = factories.make_staff("manager", event=event)
    person = factories.make_participant(event, email="peserta@contoh.id")
    retired = factories.make_staff("panitia", "lama@bimtek.local")
    retired.active = False
    db.session.commit()
    login(client, manager.email)
    for email in (
        "nobody@bimtek.local",
        "peserta@contoh.id",
        admin.email,
        retired.email,
        "",
        "x" * 300,
    ):
        response = client.post(
            "/admin/kegiatan/UJI24/staf", data={"email": email, "role": "panitia"}
        )
        assert response.status_code == 422, email
        assert "Tidak ada akun staf aktif dengan email itu" in response.get_data(as_text=True)
    assert right_of(person.user, event) is None and right_of(retired, event) is None
    bad_role = client.post(
        "/admin/kegiatan/UJI24/staf", data={"email": manager.email, "role": "raja"}
    )
    assert bad_role.status_code == 422


def test_a_manager_does_not_change_their_own_right(client, event):
    manager = factories.make_staff("manager", event=event)
    login(client, manager.email)
    response = client.post(
        "/admin/kegiatan/UJI24/staf", data={"email": manager.email, "role": "panitia"}
    )
    assert response.status_code == 422
    assert client.post(f"/admin/kegiatan/UJI24/staf/{manager.id}/hapus").status_code == 422
    assert right_of(manager, event) == "manager"


def test_an_administrator_manages_every_event(admin_client, event):
    desk = factories.make_staff("panitia", "meja3@bimtek.local")
    response = admin_client.post(
        "/admin/kegiatan/UJI24/staf", data={"email": desk.email, "role": "raja"}
    )
    assert response.status_code == 422 and right_of(desk, event) is None
    admin_client.post("/admin/kegiatan/UJI24/staf", data={"email": desk.email, "role": "manager"})
    assert right_of(desk, event) == "manager"


def test_the_staff_tab_shows_to_managers_only(client, event):
    manager = factories.make_staff("manager", event=event)
    desk = factories.make_staff("panitia", event=event)
    login(client, manager.email)
    assert "/admin/kegiatan/UJI24/staf" in client.get("/admin/kegiatan/UJI24/staf").get_data(
        as_text=True
    )
    other = client.application.test_client()
    login(other, desk.email)
    page = other.get("/kegiatan/UJI24/check-in")
    assert page.status_code == 200
    assert "/admin/kegiatan/UJI24/staf" not in page.get_data(as_text=True)


@pytest.fixture
def app_config(request):
    if request.node.name == "test_looking_up_staff_by_email_is_rate_limited":
        return {"RATELIMIT_ENABLED": True}
    return {}


def test_looking_up_staff_by_email_is_rate_limited(client, event):
    manager = factories.make_staff("manager", event=event)
    login(client, manager.email)
    allowed = int(ASSIGN_LIMIT.split()[0])
    for number in range(allowed):
        data = {"email": f"tebak{number}@bimtek.local", "role": "panitia"}
        assert client.post("/admin/kegiatan/UJI24/staf", data=data).status_code == 422
    data = {"email": "tebak@bimtek.local", "role": "panitia"}
    assert client.post("/admin/kegiatan/UJI24/staf", data=data).status_code == 429
    assert client.get("/admin/kegiatan/UJI24/staf").status_code == 200

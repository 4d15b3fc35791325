"""Account claim and password recovery by email: a one-time link to the address on file."""

import re
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from bimtek.auth.models import ActivationCode, User
from bimtek.extensions import db
from bimtek.notifications.models import Delivery
from bimtek.participants.registration import register_many
from tests import factories
from tests.conftest import login
from tests.notifications.conftest import settle

NEW = "Lembayung77"
SENT = "Periksa email Anda"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUBLIC_BASE_URL": "https://bimtek.example.go.id"}


def _imported(event, **overrides):
    data = factories.registration_data(**overrides)
    outcome = register_many(event, [data], channel="import")[0]
    db.session.commit()
    return outcome.participant


def _ask(client, identifier, kind="claim", address="10.9.0.1"):
    return client.post(
        "/akun/kirim-tautan",
        data={"identifier": identifier, "kind": kind},
        environ_base={"REMOTE_ADDR": address},
    )


def _answer(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index('id="account-link-sent"') : html.index("</section>")]


def _link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https://bimtek\.example\.go\.id(/akun/\S+)", text)
    assert match, text
    return match.group(1)


def _set_password(client, path, nik):
    page = client.get(path)
    code = re.search(r'name="code" value="([A-Z0-9-]+)"', page.get_data(as_text=True)).group(1)
    return client.post(path, data={"nik": nik, "code": code, "password": NEW, "confirm": NEW})


def test_claim_link_arrives_and_works_once(app, client, mailbox, event):
    person = _imported(event, email="imported@contoh.id")
    assert settle(app)
    before = len(mailbox.to("imported@contoh.id"))  # the registration email
    response = _ask(client, person.nik)
    assert response.status_code == 200 and SENT in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert settle(app)
    [message] = mailbox.to("imported@contoh.id")[before:]
    assert message["Subject"] == "Aktivasi akun Anda"
    path = _link(message)
    assert urlparse(path).path == "/akun/aktivasi"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert path.replace("&", "&amp;") in html
    # only the hash is kept; the plain code is in no row
    code = re.search(r"kode=([A-Z0-9-]+)", path).group(1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivationCode)) == 1
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.kind == "account_link"))
    assert delivery.status == "sent" and code not in delivery.key + delivery.subject

    response = _set_password(client, path, person.nik)
    assert response.status_code == 302 and response.headers["Location"] == "/portal"
    user = db.session.get(User, person.user_id)
    db.session.refresh(user)
    assert user.check_password(NEW)
    again = client.application.test_client()
    response = again.post(
        path, data={"nik": person.nik, "code": code, "password": "Lain-77x", "confirm": "Lain-77x"}
    )
    assert response.status_code == 422
    assert "NIK atau kode tidak cocok" in response.get_data(as_text=True)


def test_recovery_by_email_address_in_the_persons_language(app, client, mailbox, event):
    person = factories.make_participant(event, email="Lupa@Contoh.id")
    user = db.session.get(User, person.user_id)
    user.locale = "en"
    db.session.commit()
    assert settle(app)
    before = len(mailbox.messages)
    assert _ask(client, "lupa@contoh.id", kind="recover").status_code == 200
    assert settle(app)
    [message] = mailbox.messages[before:]
    assert message["Subject"] == "Set a new password"
    path = _link(message)
    assert urlparse(path).path == "/akun/lupa-kata-sandi"
    assert _set_password(client, path, person.nik).status_code == 302


def test_unknown_nik_gets_the_same_page_and_no_mail(app, client, mailbox, event):
    with_mail = _imported(event, email="ada@contoh.id")
    without = _imported(event, email="")
    assert settle(app)
    before = len(mailbox.messages)
    answers = {
        _answer(_ask(client, nik))
        for nik in (with_mail.nik, without.nik, "6408011705900099", "bukan NIK", "x@y.id")
    }
    assert len(answers) == 1 and SENT in answers.pop()
    assert settle(app)
    assert [m["To"] for m in mailbox.messages[before:]] == ["ada@contoh.id"]


def test_manager_sends_the_link_by_email(app, client, mailbox, event, manager):
    person = _imported(event, email="kelola@contoh.id", phone="081234567890")
    assert settle(app)
    login(client, manager.email)
    edit = client.get(f"/admin/kegiatan/{event.code}/peserta/{person.id}").get_data(as_text=True)
    assert "Kirim lewat email" in edit
    shown = client.post(f"/admin/kegiatan/{event.code}/peserta/{person.id}/kode-aktivasi")
    html = shown.get_data(as_text=True)
    assert "Kirim lewat email" in html
    assert "https://wa.me/6281234567890?text=" in html
    response = client.post(f"/admin/kegiatan/{event.code}/peserta/{person.id}/kode-aktivasi/email")
    assert response.status_code == 302
    assert settle(app)
    message = mailbox.to("kelola@contoh.id")[-1]
    assert message["Subject"] == "Aktivasi akun Anda"
    person_client = client.application.test_client()
    assert _set_password(person_client, _link(message), person.nik).status_code == 302


def test_panitia_may_not_send_the_link(app, client, mailbox, event, panitia):
    person = _imported(event, email="bukan@contoh.id")
    login(client, panitia.email)
    response = client.post(f"/admin/kegiatan/{event.code}/peserta/{person.id}/kode-aktivasi/email")
    assert response.status_code in (403, 404)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivationCode)) == 0


class TestLimits:
    @pytest.fixture
    def app_config(self, app_config):
        return {
            **app_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_ACCOUNT_RECOVERY": "4 per hour",
            "RATELIMIT_ACCOUNT_LINK": "2 per hour",
        }

    def test_per_account(self, app, client, mailbox, event):
        person = _imported(event, email="sering@contoh.id")
        assert settle(app)
        before = len(mailbox.messages)
        answers = {
            _answer(_ask(client, ident, address=f"10.9.1.{n}"))
            for n, ident in enumerate([person.nik, person.nik, person.nik, "sering@contoh.id"])
        }
        assert len(answers) == 1  # the same answer, sent or not
        assert settle(app)
        assert len(mailbox.messages[before:]) == 2

    def test_per_address(self, app, client, mailbox, event):
        for n in range(4):
            assert _ask(client, f"640801170590{n:04d}").status_code == 200
        assert _ask(client, "6408011705909999").status_code == 429

"""Where a form may send the browser afterwards (``next``): a clean path on this site, or
nowhere (the page's own default). One helper, ``bimtek.core.web.safe_next``, for every
redirect-after."""

import pytest

from bimtek.core.web import safe_next
from tests.factories import PASSWORD

UNSAFE = [
    "https://evil.example/x",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/%0D%0ASet-Cookie:x=1",
    "/\r\nSet-Cookie: x=1",
    "/a\rb",
    "/a\nb",
    "/a\tb",
    "/a\x7fb",
    "/a\x85b",
    "javascript:alert(1)",
    "/ \t//evil.example",
    "admin",
    "",
    None,
    "/" + "a" * 3000,
]


@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_next_is_dropped(app, target):
    with app.test_request_context():
        assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/admin/kegiatan/baru", "/kegiatan/UJI25/daftar?x=1"])
def test_same_site_path_is_kept(app, target):
    with app.test_request_context():
        assert safe_next(target) == target


CRLF = "%2F%0D%0ASet-Cookie%3A%20pwned%3D1"


def test_login_with_crlf_next_goes_home(client, admin):
    response = client.post(
        f"/masuk?next={CRLF}", data={"identifier": admin.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert "pwned" not in response.headers.get("Set-Cookie", "")


def test_login_page_with_crlf_next_renders(client):
    assert client.get(f"/masuk?next={CRLF}").status_code == 200
    response = client.post(f"/masuk?next={CRLF}", data={"identifier": "x", "password": "y"})
    assert response.status_code == 400


def test_language_with_crlf_next_goes_to_the_default(client):
    response = client.post("/bahasa/en", data={"next": "/\r\nSet-Cookie: pwned=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/akun/aktivasi", "/akun/lupa-kata-sandi"])
def test_account_pages_with_crlf_next_render(client, path):
    assert client.get(f"{path}?next={CRLF}").status_code == 200
    assert (
        client.post(f"/akun/kirim-tautan?next={CRLF}", data={"identifier": "1"}).status_code == 200
    )

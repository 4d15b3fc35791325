"""Behind a reverse proxy every request comes from the proxy's address: PROXY_COUNT says how
many proxies to trust, and only their X-Forwarded-* hops are believed (werkzeug's ProxyFix).

With 0 (the default) a forged X-Forwarded-For changes nothing; with 1 the proxy's last hop is
the client's address, for the rate limits and the login locks alike, and whatever the client
put before it is ignored.
"""

import pytest
from flask import request

from bimtek import create_app
from bimtek.extensions import db
from tests.factories import PASSWORD, make_participant

PROXY = "10.0.0.1"
LIMIT = 3
CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ"


@pytest.fixture
def limits():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_VERIFY": f"{LIMIT} per minute",
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT_ADDRESS": "2 per 10 minutes",
    }


def _where(app):
    """A page that tells what the app sees of the request (added for the test only)."""

    def where():
        return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host}

    app.add_url_rule("/_where", "test_where", where)
    return where


def _get(client, url, forwarded_for=None, **headers):
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    return client.get(url, headers=headers, environ_base={"REMOTE_ADDR": PROXY})


def _verify_answers(client, forwarded):
    return [_get(client, f"/verify/{CODE}", value).status_code for value in forwarded]


def _fail_login(client, identifier, forwarded_for):
    return client.post(
        "/masuk",
        data={"identifier": identifier, "password": "bukan-sandinya"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": PROXY},
    )


class TestNoProxy:
    @pytest.fixture
    def app_config(self, limits):
        return limits  # PROXY_COUNT left at its default

    def test_default_trusts_no_proxy(self, app):
        assert app.config["PROXY_COUNT"] == 0

    def test_forged_forwarded_headers_change_nothing(self, app, client):
        _where(app)
        seen = _get(
            client,
            "/_where",
            "203.0.113.9",
            **{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"},
        ).json
        assert seen == {"address": PROXY, "scheme": "http", "host": "localhost"}

    def test_a_forged_address_does_not_escape_the_rate_limit(self, client):
        forged = [f"203.0.113.{n}" for n in range(LIMIT + 1)]
        assert _verify_answers(client, forged) == [404] * LIMIT + [429]


class TestOneProxy:
    @pytest.fixture
    def app_config(self, limits):
        return {**limits, "PROXY_COUNT": 1}

    def test_the_proxys_hop_is_the_client_address(self, app, client):
        _where(app)
        seen = _get(client, "/_where", "203.0.113.9", **{"X-Forwarded-Proto": "https"}).json
        assert seen["address"] == "203.0.113.9"
        assert seen["scheme"] == "https"

    def test_only_the_last_hop_is_believed(self, app, client):
        _where(app)
        seen = _get(client, "/_where", "198.51.100.66, 203.0.113.9").json
        assert seen["address"] == "203.0.113.9"

    def test_the_host_header_is_not_taken_from_the_client(self, app, client):
        """nginx passes Host itself; an X-Forwarded-Host it does not set comes from the client."""
        _where(app)
        seen = _get(client, "/_where", "203.0.113.9", **{"X-Forwarded-Host": "evil.example"}).json
        assert seen["host"] == "localhost"

    def test_each_client_has_its_own_rate_limit(self, client):
        clients = [f"203.0.113.{n}" for n in range(LIMIT + 1)]
        assert _verify_answers(client, clients) == [404] * (LIMIT + 1)

    def test_forging_the_left_most_address_does_not_escape_the_limit(self, client):
        forged = [f"198.51.100.{n}, 203.0.113.9" for n in range(LIMIT + 1)]
        assert _verify_answers(client, forged) == [404] * LIMIT + [429]

    def test_one_client_locking_an_account_does_not_lock_another(self, app, client, event):
        participant = make_participant(event)
        db.session.commit()
        for _ in range(3):
            _fail_login(client, participant.nik, "203.0.113.9")
        assert _fail_login(client, participant.nik, "203.0.113.9").status_code == 429
        other = app.test_client().post(
            "/masuk",
            data={"identifier": participant.nik, "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.7"},
            environ_base={"REMOTE_ADDR": PROXY},
        )
        assert other.status_code == 302  # the owner, elsewhere, still logs in


class TestFromTheEnvironment:
    @pytest.fixture
    def app_config(self, limits, monkeypatch):
        monkeypatch.setenv("BIMTEK_PROXY_COUNT", "1")  # read as True by the setting parser
        return limits

    def test_bimtek_proxy_count_sets_it(self, app, client):
        assert app.config["PROXY_COUNT"] == 1
        _where(app)
        assert _get(client, "/_where", "203.0.113.9").json["address"] == "203.0.113.9"


@pytest.mark.parametrize("count", [-1, "one", 1.5])
def test_a_bad_proxy_count_is_refused(tmp_path, count):
    with pytest.raises(ValueError, match="PROXY_COUNT"):
        create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite",
                "INSTANCE_PATH": str(tmp_path),
                "PROXY_COUNT": count,
            }
        )

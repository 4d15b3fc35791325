"""Fixtures: a fresh database per test, on SQLite by default or on PostgreSQL when
BIMTEK_TEST_DATABASE_URL is set; app, client, runner, login and browser helpers.

The schema is built once per run by the Alembic migrations, so every test also runs on
exactly what ``flask db upgrade`` produces.
"""

import atexit
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from bimtek import create_app
from bimtek.auth.services import issue_api_token
from bimtek.certificates.signing import create_demo_signer
from bimtek.config import normalize_database_url
from bimtek.extensions import db
from tests import factories


def _database_of_this_worker(url: str | None) -> str | None:
    """Under pytest-xdist each worker has its own PostgreSQL database beside the one named
    (``test`` → ``test_gw0``, ``test_gw1``…): the fixtures truncate every table per test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = sa.engine.make_url(normalize_database_url(url))
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(False)


POSTGRES_URL = _database_of_this_worker(os.environ.get("BIMTEK_TEST_DATABASE_URL"))
CHROMIUM = os.environ.get("BIMTEK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


_DEMO_SIGNER: list[str] = []


def demo_signer() -> str:
    """One demo signing key (PKCS#12) per test run: making RSA keys takes a moment."""
    if not _DEMO_SIGNER:
        folder = tempfile.mkdtemp(prefix="bimtek-signer-")
        atexit.register(shutil.rmtree, folder, True)
        _DEMO_SIGNER.append(str(create_demo_signer(Path(folder))))
    return _DEMO_SIGNER[0]


def _test_config(url: str, instance_path: str, **extra) -> dict:
    config = {
        "CERT_SIGNING_PKCS12": demo_signer(),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": instance_path,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "PUBLIC_BASE_URL": "http://bimtek.test",
        # the machine is shared and noisy: verification is bounded by counts in tests, the
        # clock only where a test sets it (tests/certificates/test_verify_hostile.py)
        "CERT_VERIFY_SECONDS": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 30, "max_overflow": 20}
        if url.startswith("postgresql")
        else {},
    }
    config.update(extra)
    return config


def _ensure_postgres_database(url: str) -> None:
    """Create the test database when it does not exist (each developer can have their own)."""
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _migrate(app) -> None:
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate once: a template SQLite file, or the PostgreSQL schema from scratch."""
    instance = tmp_path_factory.mktemp("instance-template")
    if POSTGRES_URL:
        url = normalize_database_url(POSTGRES_URL)
        _ensure_postgres_database(url)
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(create_app(_test_config(url, str(instance))))
        return url
    path = instance / "template.sqlite"
    _migrate(create_app(_test_config(f"sqlite:///{path}", str(instance))))
    return path


@pytest.fixture
def database_url(database_template, tmp_path):
    if POSTGRES_URL:
        engine = sa.create_engine(database_template)
        with engine.begin() as connection:
            tables = [t for t in sa.inspect(connection).get_table_names() if t != "alembic_version"]
            if tables:
                names = ", ".join(f'"{t}"' for t in tables)
                connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return database_template
    path = tmp_path / "bimtek.sqlite"
    shutil.copyfile(database_template, path)
    return f"sqlite:///{path}"


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The ``app`` fixture keeps an app context pushed so tests can call services directly;
    Flask would reuse it for requests, sharing ``g`` (the logged-in user) and the database
    session between the test and its requests. Hiding it makes each request start fresh.
    Read back with fresh queries or ``db.session.refresh(obj)`` after a request.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app_config():
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = create_app(_test_config(database_url, str(tmp_path / "instance"), **app_config))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        app.extensions["bimtek_jobs"].runner.stop()  # no job outlives its test
        db.session.remove()
        # A connection still checked out here would outlive the disposed pool and be
        # garbage-collected open (a ResourceWarning in some later test): fail where it leaks.
        leaked = db.engine.pool.checkedout() if hasattr(db.engine.pool, "checkedout") else 0
        db.engine.dispose()
        assert leaked == 0, f"{leaked} database connection(s) still in use after the test"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def event(app):
    return factories.make_event()


@pytest.fixture
def admin(app):
    return factories.make_staff("admin", "admin@bimtek.local")


@pytest.fixture
def panitia(app, event):
    """A staff account with the panitia right (check-in desk) in ``event``."""
    return factories.make_staff("panitia", "panitia@bimtek.local", event=event)


@pytest.fixture
def manager(app, event):
    """A staff account with the manager right (everything about it) in ``event``."""
    return factories.make_staff("manager", "manager@bimtek.local", event=event)


def login(client, identifier: str, password: str = factories.PASSWORD):
    response = client.post("/masuk", data={"identifier": identifier, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def admin_client(client, admin):
    login(client, admin.email)
    return client


@pytest.fixture
def panitia_client(client, panitia):
    login(client, panitia.email)
    return client


@pytest.fixture
def manager_client(client, manager):
    login(client, manager.email)
    return client


@pytest.fixture
def api_token(panitia):
    _token, plain = issue_api_token(panitia, "test")
    db.session.commit()
    return plain


@pytest.fixture
def auth_headers(api_token):
    """The panitia's API token (panitia of ``event``)."""
    return {"Authorization": f"Bearer {api_token}"}


@pytest.fixture
def manager_headers(manager):
    """An API token of the manager of ``event``."""
    _token, plain = issue_api_token(manager, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def admin_headers(admin):
    """An API token of the administrator."""
    _token, plain = issue_api_token(admin, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def live_server(app):
    """The app served over HTTP on 127.0.0.1 in a thread, for the browser."""
    in_flight = _InFlight(app)
    server = make_server("127.0.0.1", 0, in_flight, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    in_flight.closed = True  # a page still open may poll on a kept-alive connection
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    # A page still open may have a poll in flight; its database connection must go back to
    # the pool before the app fixture disposes the engine, or it is garbage-collected open.
    in_flight.wait_idle(timeout=10)


class _InFlight:
    """WSGI wrapper counting requests still being answered by the live server's threads."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.closed = False
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        if self.closed:  # after the test: never reach the app (and its disposed engine) again
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            yield b"stopped"
            return
        with self.idle:
            self.count += 1
        response = self.app(environ, start_response)
        try:
            yield from response
        finally:
            if hasattr(response, "close"):
                response.close()
            with self.idle:
                self.count -= 1
                self.idle.notify_all()

    def wait_idle(self, timeout: float) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count == 0, timeout=timeout)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page_at(browser):
    """Make pages of a given viewport (Indonesian locale); their contexts close after the
    test, so a failure's screenshot (pytest_runtest_makereport) still sees them."""
    contexts = []

    def make(width: int, height: int, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="id-ID", **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone(page_at):
    """A page in a phone-sized viewport (360×740), as on a cheap Android phone."""
    return page_at(360, 740, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def desktop(page_at):
    return page_at(1280, 860)


def log_in(page, base: str, identifier: str, password: str = factories.PASSWORD) -> None:
    """Log in through the real form (the labels a screen reader announces)."""
    page.goto(f"{base}/masuk")
    page.get_by_label("Email atau NIK").fill(identifier)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()


def watch_console(page) -> list[str]:
    """Collect the page's console errors and uncaught exceptions (the list fills as it runs)."""
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


#: a folder to keep every screenshot() of the browser tests in, for a person to look at;
#: unset, only failures are captured, into a temporary folder printed with the failure
SCREENSHOTS = os.environ.get("BIMTEK_SCREENSHOTS")
_FAILURE_FOLDER: list[str] = []


def wider_than(page, width: int = 360) -> str:
    """'' when the page fits ``width`` px once it has loaded; otherwise its width and the
    elements reaching past the edge. A page measured a few dozen px too wide now and then
    while it was still loading (441 px on the token page, 410 on the served certificates),
    never on the screenshot taken after: a width is measured again after the load event."""
    widest = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    if page.evaluate(widest) <= width:
        return ""
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    actual = page.evaluate(widest)
    if actual <= width:
        return ""
    past = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(
                e.getBoundingClientRect().right)}px: ${(e.textContent || '').slice(0, 60)}`)""",
        width,
    )
    return f"{actual}px wide on a {width}px screen: {past}"


def screenshot(page, name: str, *, full_page: bool = True) -> str | None:
    """Save a PNG of this step under $BIMTEK_SCREENSHOTS, when it is set."""
    if not SCREENSHOTS:
        return None
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=full_page)
    return path


def _failure_folder() -> str:
    if not _FAILURE_FOLDER:
        if SCREENSHOTS:
            os.makedirs(SCREENSHOTS, exist_ok=True)
        _FAILURE_FOLDER.append(SCREENSHOTS or tempfile.mkdtemp(prefix="bimtek-failures-"))
    return _FAILURE_FOLDER[0]


def _screenshot_open_pages(browser, nodeid: str) -> list[str]:
    """A PNG of every page still open in the browser: what the failing test was looking at."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("/")[-1]).strip("_")
    pages = [page for context in browser.contexts for page in context.pages]
    paths = []
    for number, page in enumerate(pages, start=1):
        path = os.path.join(_failure_folder(), f"{stem}-{number}.png")
        try:
            page.screenshot(path=path, full_page=True, timeout=5_000)
        except Exception as error:  # a crashed or closed page must not hide the failure
            paths.append(f"(page {number}: no screenshot: {error})")
        else:
            paths.append(path)
    return paths


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a browser test's failure, screenshot its open pages and print where they are."""
    report = yield
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and browser is not None:
        paths = _screenshot_open_pages(browser, item.nodeid)
        if paths:
            report.sections.append(("screenshots at the failure", "\n".join(paths)))
    return report


requires_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="needs BIMTEK_TEST_DATABASE_URL (PostgreSQL)"
)

"""What the check-in desk keeps in a browser (the page, the roster snapshot in Cache Storage,
the unsent queue) belongs to one login and one event: it goes at the first contact after the
server ended the session elsewhere, and another person logging in on the same browser never
sees it, online or offline."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from bimtek.auth import services as auth_services
from bimtek.extensions import db
from tests import factories
from tests.attendance.test_browser import (  # noqa: F401 (fixtures)
    app_config,
    open_desk,
    rows,
    scan,
)
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def crowd(event):
    return [
        factories.make_participant(event, full_name=name)
        for name in ("Andi Pratama", "Siti Aminah", "Yohanes Kristianto")
    ]


#: whether any cache of this origin answers for the event's roster
HOLDS_ROSTER = """async (url) => {
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(url)) return true;
  }
  return false;
}"""


def test_a_session_ended_elsewhere_takes_the_roster_at_the_next_contact(
    phone, live_server, event, running, crowd, panitia
):
    page = phone
    open_desk(page, live_server, event, running, panitia)
    page.wait_for_selector("#desk[data-offline=ready]")
    url = page.get_attribute("#desk", "data-roster-url")
    assert page.evaluate(HOLDS_ROSTER, url)

    auth_services.log_out_everywhere(panitia)  # from another device, or an admin's reset
    db.session.commit()

    page.wait_for_selector("#desk[data-offline=gone]", timeout=20_000)  # the next poll
    assert not page.evaluate(HOLDS_ROSTER, url)
    screenshot(page, "desk-phone-session-gone")
    page.context.set_offline(True)
    try:
        page.reload()
    except PlaywrightError:
        return  # nothing left to serve the desk without the network
    assert crowd[0].full_name not in page.content()
    page.fill("#scan-input", "andi pratama")
    page.press("#scan-input", "Enter")
    assert page.locator("#result-list li").count() == 0


def test_another_person_on_the_same_browser_never_sees_the_roster(
    phone, live_server, event, running, crowd, panitia
):
    other = factories.make_staff("panitia", "panitia-b@bimtek.local", event=event)
    page = phone
    open_desk(page, live_server, event, running, panitia)
    page.wait_for_selector("#desk[data-offline=ready]")
    page.context.set_offline(True)
    scan(page, crowd[0].ticket_code)  # A's scan, waiting for the network
    page.wait_for_selector("#answer.answer-queued")
    page.goto("about:blank")  # A leaves the desk while offline

    # A's session cookie is gone from the browser (expired, closed), with no word to the server
    kept = [c for c in page.context.cookies() if c["name"] != "session"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/masuk")
    page.fill("#identifier", other.email)
    page.fill("#password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")

    desk = f"{live_server.url}/kegiatan/{event.code}/check-in?sesi={running.id}"
    page.context.set_offline(True)
    try:
        page.goto(desk)
    except PlaywrightError:
        pass  # nothing of A's is served to B
    else:
        assert crowd[0].full_name not in page.content()
        page.wait_for_selector("#desk[data-offline]")
        assert page.get_attribute("#desk", "data-offline") != "ready"
        screenshot(page, "desk-phone-other-person-offline")

    page.context.set_offline(False)
    page.goto(desk)
    page.wait_for_selector("#desk[data-offline=ready]")
    assert page.get_attribute("#desk", "data-desk-id") == str(other.id)
    scope = page.get_attribute("#desk", "data-device-scope")
    assert page.evaluate("caches.keys()") == [f"bimtek-desk:{scope}"]  # A's cache is gone
    page.wait_for_timeout(1500)  # time for a queue to be flushed, were it B's
    assert rows() == []  # A's queued scan is not sent with B's login
    assert page.is_hidden("#queue-note")
    screenshot(page, "desk-phone-other-person")

"""In headless Chromium at 360 px: a manager sends the ticket link in turn from a phone,
one tap each, and the round resumes after a reload (issue 20)."""

import pytest
import sqlalchemy as sa

from bimtek.extensions import db
from bimtek.notifications.models import WhatsAppTurn
from tests import factories
from tests.conftest import log_in, screenshot, wider_than

pytestmark = pytest.mark.browser


def _on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def test_send_in_turn_on_a_phone(phone, live_server, app):
    event = factories.make_event("GILIR24")
    names = ["Dr. H. M. Agus Hari Kesuma, M.Si", "Hj. Siti Rahmah, S.Sos", "Ir. Budi Santoso"]
    people = [
        factories.make_participant(event, full_name=name, phone=f"08218822048{i}")
        for i, name in enumerate(names)
    ]
    manager = factories.make_staff("manager", event=event)
    db.session.commit()
    opened = []
    page = phone
    page.context.route(
        "https://wa.me/**",
        lambda route: (
            opened.append(route.request.url),
            route.fulfill(status=200, body="<p>WhatsApp</p>", content_type="text/html"),
        ),
    )
    log_in(page, live_server.url, manager.email)
    url = f"{live_server.url}/admin/kegiatan/{event.code}/whatsapp/giliran/tiket"
    page.goto(url)
    assert page.get_by_text("0 dari 3 sudah dibuka").is_visible()
    assert page.locator(".wa-name").inner_text() == names[0]
    assert page.get_by_text("0821-8822-0480").is_visible()
    button = page.get_by_role("button", name="Buka WhatsApp")
    assert _on_screen(page, button), "the button is on the first screen of a phone"
    assert _on_screen(page, page.get_by_role("button", name="Lewati"))
    screenshot(page, "whatsapp-round-360", full_page=False)
    with page.context.expect_page() as chat:
        button.click()
    chat.value.close()
    page.get_by_text("1 dari 3 sudah dibuka").wait_for()
    assert page.locator(".wa-name").inner_text() == names[1]
    assert opened and opened[0].startswith("https://wa.me/6282188220480?text=")
    # progress is kept on the server: a reload (or another phone) goes on from here
    page.reload()
    assert page.get_by_text("1 dari 3 sudah dibuka").is_visible()
    assert page.locator(".wa-name").inner_text() == names[1]
    page.get_by_role("button", name="Lewati").click()
    page.wait_for_load_state()
    assert page.locator(".wa-name").inner_text() == names[2]
    assert page.get_by_text("1 dilewati").is_visible()
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "whatsapp-round-resumed-360", full_page=True)
    # the event's page of WhatsApp: the group message, the rounds, and the full list, whose
    # buttons were past the right edge of a phone before issue 20
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/whatsapp")
    assert page.get_by_text("1 dari 3 sudah dibuka").is_visible()
    buttons = page.locator(".wa-person .button")
    assert buttons.count() == 3
    for index in range(3):
        box = buttons.nth(index).bounding_box()
        assert box["x"] + box["width"] <= 360
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "whatsapp-page-360")
    db.session.expire_all()
    states = dict(
        db.session.execute(sa.select(WhatsAppTurn.participant_id, WhatsAppTurn.state)).all()
    )
    assert states == {people[0].id: "opened", people[1].id: "skipped"}

"""The check-in desk on a 360 × 740 phone: fits, big tap targets, a fresh answer each lookup."""

import pytest

from tests.attendance.test_browser import app_config, open_desk, people, running, scan  # noqa: F401
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def test_probe(phone, live_server, event, running, people, panitia):  # noqa: F811
    page = phone
    open_desk(page, live_server, event, running, panitia)
    print(page.evaluate("document.documentElement.scrollWidth"))
    print(
        page.evaluate(
            """Array.from(document.querySelectorAll('*')).filter(e => e.getBoundingClientRect().right > 361).slice(0,30).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).join('\\n')"""
        )
    )
    screenshot(page, "probe")

"""The 360 px check of the browser tests fails for a page that stays too wide, and names the
element."""

import pytest

from tests.conftest import wider_than

pytestmark = pytest.mark.browser


PHONE = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def test_a_page_that_stays_too_wide_is_named(phone):
    phone.set_content(PHONE + '<p>cukup</p><div id="lebar" style="width: 500px">lebar</div>')
    message = wider_than(phone)
    assert message.startswith("508px wide on a 360px screen"), message
    assert "DIV.#lebar 508px" in message and "cukup" not in message


def test_a_page_that_fits_says_nothing(phone):
    phone.set_content(PHONE + "<p>cukup</p>")
    assert wider_than(phone) == ""

"""Phone numbers as people read them (0821-8822-0482) and as wa.me wants them (62821…)."""

import pytest

from bimtek.core.phones import phone_display, phone_international


@pytest.mark.parametrize(
    ("stored", "shown", "international"),
    [
        ("+6282188220482", "0821-8822-0482", "6282188220482"),
        ("082188220482", "0821-8822-0482", "6282188220482"),
        ("+628123456789", "0812-3456-789", "628123456789"),
        ("+6281234567890", "0812-3456-7890", "6281234567890"),
        ("+62812345678901", "0812-3456-78901", "62812345678901"),
        ("62 812-3456-7890", "0812-3456-7890", "6281234567890"),
        ("12345", "12345", None),
        ("+6221555123", "+6221555123", None),  # a landline: as given, no WhatsApp
        (None, "", None),
        ("", "", None),
    ],
)
def test_phone_display_and_international(stored, shown, international):
    assert phone_display(stored) == shown
    assert phone_international(stored) == international

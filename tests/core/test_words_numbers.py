"""Numbers, phones and event titles as people read them, one helper each (issue 20)."""

import re
from pathlib import Path

from flask import render_template_string
from flask_babel import force_locale

from bimtek.core.numbers import format_number, format_score
from bimtek.core.phones import phone_display as display_phone
from bimtek.core.titles import shorten_title

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TITLE = "Mitigasi dan Penanganan Konflik Sosial pada Penyelenggaraan Pilkada 2024 (Angkatan II)"


def test_numbers_in_indonesian_and_english():
    assert format_number(0.83) == "0,83" and format_number(45.0) == "45"
    assert format_number(45.0, digits=1) == "45" and format_number(45.25, digits=1) == "45,2"
    assert format_number(1234.5) == "1.234,5" and format_number(5000, digits=0) == "5.000"
    assert format_number(0.8333, "en") == "0.83" and format_number(1234.5, "en") == "1,234.5"
    assert format_number(None) == "—"
    assert format_score(55.0) == "55" and format_score(20.65) == "20,7"
    assert format_score(72.46, "en") == "72.5"


def test_the_number_filter_follows_the_page_language(app):
    with app.test_request_context():
        assert render_template_string("{{ 45.0|number(1) }} {{ 0.833|number }}") == "45 0,83"
        with force_locale("en"):
            assert render_template_string("{{ 45.0|number(1) }} {{ 0.833|number }}") == "45 0.83"


def test_no_template_formats_numbers_or_clocks_its_own_way():
    """One way for figures (``number``, ``score``, ``percent``) and for times (``clock``,
    ``when``; ``hhmm`` only for form values)."""
    own_way = re.compile(r"'%\.\d*f'|~ 'f'\)\|format|\|round\b|strftime\('%H:%M'\)(?!\s*if)")
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if own_way.search(line) and "datetime-local" not in line and "T%H:%M" not in line:
                found.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert found == []


def test_phones_as_people_read_them():
    assert display_phone("+6282188220482") == "0821-8822-0482"
    assert display_phone("+628123456789") == "0812-3456-789"
    assert display_phone("081234567890") == "0812-3456-7890"
    assert display_phone("") == "" and display_phone(None) == ""
    assert display_phone("+6512345678") == "+6512345678"  # not ours: as stored


def test_titles_keep_their_batch_when_cut():
    short = shorten_title(TITLE, 50)
    assert short.endswith("… (Angkatan II)") and len(short) <= 50
    assert short.startswith("Mitigasi dan Penanganan")
    assert shorten_title(TITLE, 200) == TITLE
    plain = shorten_title("Bimtek " * 20, 30)
    assert plain.endswith("…") and len(plain) <= 30


def test_truncated_event_titles_go_through_title_short():
    """``|truncate`` cuts "(Angkatan II)" off; event titles use ``title_short``."""
    cut = re.compile(r"(event|e)\.title\|truncate")
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if cut.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []

"""The public list: upcoming and running events first by start date, finished ones after
them with "Selesai" and a link to view (no "daftar")."""

import re
from datetime import date, timedelta

from tests.factories import make_event


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card event-card[^"]*">(.*?)</article>', html, re.S)


def test_upcoming_first_by_date_then_finished(client, app):
    today = date.today()
    make_event("SELESAI1", start=today - timedelta(days=40))
    make_event("NANTI30", start=today + timedelta(days=30))
    make_event("SELESAI2", start=today - timedelta(days=10))
    make_event("NANTI5", start=today + timedelta(days=5))
    make_event("JALAN", start=today - timedelta(days=1))
    html = client.get("/").get_data(as_text=True)
    cards = _cards(html)
    order = [re.search(r"Bimtek Uji (\w+)", card).group(1) for card in cards]
    assert order == ["JALAN", "NANTI5", "NANTI30", "SELESAI2", "SELESAI1"]
    for card in cards[3:]:
        assert "Selesai" in card and "daftar" not in card.lower()
        assert "/kegiatan/SELESAI" in card
    for card in cards[:3]:
        assert "Lihat & daftar" in card

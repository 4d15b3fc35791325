"""WhatsApp rounds (issue 20): the group message, sending in turn, and who was not reached.
Rules first, without HTTP; then the pages."""

from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa

from bimtek.errors import InvalidInput, NotFound
from bimtek.extensions import db
from bimtek.notifications import rounds, services
from bimtek.notifications.models import Delivery, WhatsAppTurn
from tests.conftest import login
from tests.factories import make_event, make_participant, make_staff
from tests.notifications.conftest import settle


@pytest.fixture
def people(app, mailbox):
    event = make_event("WAGIL24")
    a = make_participant(event, full_name="Andi", phone="+6282188220482", email="andi@contoh.id")
    b = make_participant(event, full_name="Budi", phone="+6281200000002", email="")
    c = make_participant(event, full_name="Citra", email="")
    c.phone = ""  # as after an import without numbers, or a landline
    db.session.commit()
    assert settle(app)  # Andi's ticket mail
    return event, a, b, c


def _announce(event, manager, channels):
    data = {"subject": "Lokasi pindah", "body": "Ke Aula Bupati.", "channels": channels}
    announcement = services.announce(event, data, actor=manager)
    db.session.commit()
    return announcement


def test_round_resumes_where_it_stopped(people):
    event, a, b, c = people
    manager = make_staff("manager", event=event)
    round_ = rounds.find_round(event, "tiket")
    progress = rounds.round_progress(event, round_)
    assert [p.full_name for p in progress.people] == ["Andi", "Budi"]
    assert [p.full_name for p in progress.without_number] == ["Citra"]
    assert progress.next == a and progress.opened == 0
    rounds.take_turn(event, round_, a.id, "opened", actor=manager)
    db.session.commit()
    again = rounds.round_progress(event, rounds.find_round(event, "tiket"))  # a new request
    assert (again.opened, again.total, again.next, again.last) == (1, 2, b, a)
    rounds.take_turn(event, round_, b.id, "skipped", actor=manager)
    done = rounds.round_progress(event, round_)
    assert done.next is None and done.opened == 1 and done.done == 2
    # opening the same person again keeps one row
    rounds.take_turn(event, round_, a.id, "opened", actor=manager)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WhatsAppTurn)) == 2


def test_a_turn_outside_the_round_is_refused(people):
    event, a, b, c = people
    other = make_event("LAIN24")
    stranger = make_participant(other, phone="+6281299999999")
    round_ = rounds.find_round(event, "tiket")
    for participant_id in (stranger.id, c.id, "x", None):  # another event's; no number
        with pytest.raises(NotFound):
            rounds.take_turn(event, round_, participant_id, "opened", actor=None)
    assert rounds.find_round(event, "pengumuman-999") is None
    assert rounds.find_round(event, "apa-saja") is None


def test_chat_link_has_the_number_and_the_announcement(people):
    event, a, b, c = people
    manager = make_staff("manager", event=event)
    announcement = _announce(event, manager, "whatsapp")
    round_ = rounds.find_round(event, rounds.announcement_round(announcement))
    link = urlparse(rounds.chat_link(round_, a))
    assert link.netloc == "wa.me" and link.path == "/6282188220482"
    text = parse_qs(link.query)["text"][0]
    assert text.startswith("Halo Andi,")
    assert "*Lokasi pindah*\nKe Aula Bupati." in text
    assert rounds.chat_link(round_, c) is None


def test_group_message_has_the_events_links_and_no_person(people):
    event, a, b, c = people
    text = rounds.group_text(event)
    assert event.title in text
    assert f"http://bimtek.test/kegiatan/{event.code}/daftar" in text
    assert f"http://bimtek.test/kegiatan/{event.code}\n" in text + "\n"
    assert "http://bimtek.test/portal" in text
    assert "Andi" not in text and "0821" not in text and "62821" not in text
    share = urlparse(rounds.share_link(text))
    assert share.path == "/" and parse_qs(share.query)["text"][0] == text


def test_whatsapp_only_announcement_sends_no_email(app, people):
    event, a, b, c = people
    manager = make_staff("manager", event=event)
    announcement = _announce(event, manager, "whatsapp")
    services.send_announcement(announcement.id)  # as the job would, were one queued
    assert db.session.scalar(sa.select(sa.func.count()).where(Delivery.kind == "announcement")) == 0
    assert {row.participant.full_name for row in rounds.unreached(event, announcement)} == {
        "Andi",
        "Budi",
        "Citra",
    }


def test_unreached_is_neither_email_sent_nor_chat_opened(app, people):
    event, a, b, c = people
    manager = make_staff("manager", event=event)
    announcement = _announce(event, manager, "whatsapp")
    for person, status in ((a, "sent"), (b, "bounced")):  # as the email job leaves them
        db.session.add(
            Delivery(
                event_id=event.id,
                participant_id=person.id,
                announcement_id=announcement.id,
                kind="announcement",
                key=f"announcement:{announcement.id}:{person.id}",
                to_address="x@contoh.id",
                status=status,
            )
        )
    round_ = rounds.find_round(event, rounds.announcement_round(announcement))
    rounds.take_turn(event, round_, b.id, "skipped", actor=manager)
    db.session.commit()
    assert [row.participant.full_name for row in rounds.unreached(event, announcement)] == [
        "Budi",
        "Citra",
    ]
    rounds.take_turn(event, round_, b.id, "opened", actor=manager)
    assert [row.participant.full_name for row in rounds.unreached(event, announcement)] == ["Citra"]


def test_announcement_channel_must_be_known(people):

    event, *_ = people
    with pytest.raises(InvalidInput) as error:
        services.announce(event, {"subject": "a", "body": "b", "channels": "sms"}, actor=None)
    assert "channels" in error.value.fields


# --- pages -------------------------------------------------------------------------------------


def test_tap_records_the_turn_then_opens_whatsapp(client, people):
    event, a, b, c = people
    make_staff("manager", "m@bimtek.local", event=event)
    login(client, "m@bimtek.local")
    page = client.get(f"/admin/kegiatan/{event.code}/whatsapp/giliran/tiket")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Andi" in html and "0821-8822-0482" in html
    assert "no-store" in page.headers["Cache-Control"]
    response = client.post(
        f"/admin/kegiatan/{event.code}/whatsapp/giliran/tiket",
        data={"participant_id": a.id, "state": "opened"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://wa.me/6282188220482?text=")
    html = client.get(f"/admin/kegiatan/{event.code}/whatsapp/giliran/tiket").get_data(as_text=True)
    assert "1 dari 2 sudah dibuka" in html and "Budi" in html


def test_announcement_on_whatsapp_goes_to_its_round(client, people):
    event, *_ = people
    make_staff("manager", "m@bimtek.local", event=event)
    login(client, "m@bimtek.local")
    response = client.post(
        f"/admin/kegiatan/{event.code}/pengumuman",
        data={
            "subject": "Besok",
            "body": "Mulai 08.00",
            "audience": "registered",
            "channels": "whatsapp",
        },
    )
    assert response.status_code == 302
    assert "/whatsapp/giliran/pengumuman-" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).where(Delivery.kind == "announcement")) == 0
    detail = client.get(
        response.headers["Location"].replace("whatsapp/giliran/pengumuman-", "pengumuman/")
    )
    assert detail.status_code == 200
    assert "Belum terjangkau (3)" in detail.get_data(as_text=True)

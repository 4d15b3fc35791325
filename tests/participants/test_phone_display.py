"""Managers read a phone as people write it (0812-0000-0001), not as stored (+62812…)."""

from tests.conftest import login
from tests.factories import make_participant


def test_lists_show_the_local_grouped_number(manager_client, event):
    person = make_participant(event)
    assert person.phone.startswith("+628")
    shown = "0" + person.phone[3:6] + "-" + person.phone[6:10] + "-" + person.phone[10:]
    listing = manager_client.get(f"/admin/kegiatan/{event.code}/peserta").get_data(as_text=True)
    assert shown in listing and person.phone not in listing


def test_a_participant_reads_their_own_number_the_same_way(client, event):
    person = make_participant(event)
    login(client, person.nik)
    portal = client.get("/portal").get_data(as_text=True)
    assert "0" + person.phone[3:6] + "-" in portal and person.phone not in portal

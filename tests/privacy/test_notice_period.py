"""The registration notice tells the retention period the purge obeys, not a constant."""

from bimtek.extensions import db
from bimtek.privacy import purge


def _notice(client, event) -> str:
    return client.get(f"/kegiatan/{event.code}/daftar").get_data(as_text=True)


def test_the_notice_reads_the_events_retention(client, event):
    page = _notice(client, event)
    assert "paling lama 12 bulan setelah kegiatan berakhir" in page
    assert "5 tahun" not in page
    purge.set_retention(event, "24")
    db.session.commit()
    assert "paling lama 2 tahun setelah kegiatan berakhir" in _notice(client, event)
    purge.set_retention(event, "18")
    db.session.commit()
    assert "paling lama 18 bulan setelah kegiatan berakhir" in _notice(client, event)

"""A zip bomb (an .xlsx of ~100 KB whose shared strings unpack to 51 MB) is refused from the
sizes its zip directory declares, before anything is unpacked: on the upload page, the API
and the CLI of the participant import."""

import io
import zipfile

import pytest
import sqlalchemy as sa

from bimtek.auth.services import issue_api_token
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.sheet import FileProblem, read_participant_sheet
from tests.factories import zip_bomb_xlsx

MESSAGE = "Isi berkas terlalu besar"


@pytest.fixture
def bomb(monkeypatch) -> bytes:
    """The bomb; from then on the test fails if any part of a zip is opened for reading."""
    data = zip_bomb_xlsx()
    original = zipfile.ZipFile.open

    def refuse_reading(archive, name, mode="r", *args, **kwargs):
        if mode == "r":
            raise AssertionError(f"{name} was unpacked")
        return original(archive, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse_reading)
    return data


def _participants() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant))


def test_reader_refuses_from_the_declared_size(bomb):
    with pytest.raises(FileProblem) as caught:
        read_participant_sheet(bomb)
    assert MESSAGE in caught.value.message and "51" in caught.value.message


def test_upload_page_refuses_the_bomb(admin_client, event, bomb):
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/impor",
        data={"berkas": (io.BytesIO(bomb), "peserta.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert MESSAGE in response.get_data(as_text=True)
    assert _participants() == 0


def test_api_refuses_the_bomb(client, event, admin, bomb):
    _token, plain = issue_api_token(admin, "integrasi")
    db.session.commit()
    response = client.post(
        f"/api/v1/events/{event.code}/imports",
        data=bomb,
        headers={"Authorization": f"Bearer {plain}", "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "bad_file"
    assert MESSAGE in response.json["error"]["message"]
    assert _participants() == 0


def test_cli_refuses_the_bomb(runner, event, tmp_path, bomb):
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(bomb)
    result = runner.invoke(args=["import-participants", event.code, str(path)])
    assert result.exit_code == 1 and MESSAGE in result.output
    assert _participants() == 0

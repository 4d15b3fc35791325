"""The question-bank import refuses a zip bomb (an .xlsx whose shared strings unpack to
51 MB) from the sizes its zip directory declares, before anything is unpacked: service,
upload page and CLI."""

import io
import zipfile

import pytest

from bimtek.assessments import bank as question_bank
from bimtek.assessments import excel
from bimtek.errors import InvalidInput
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


def test_import_refuses_from_the_declared_size(event, modules, bomb):
    with pytest.raises(InvalidInput) as caught:
        excel.import_questions(event, bomb)
    assert MESSAGE in caught.value.message
    assert caught.value.code == "bad_file"


def test_upload_page_refuses_the_bomb(admin_client, event, modules, bomb):
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/tes/impor",
        data={"file": (io.BytesIO(bomb), "soal.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert MESSAGE in response.get_data(as_text=True)
    assert question_bank.list_questions(event) == []


def test_cli_refuses_the_bomb(runner, event, modules, tmp_path, bomb):
    path = tmp_path / "soal.xlsx"
    path.write_bytes(bomb)
    result = runner.invoke(args=["import-questions", event.code, str(path)])
    assert result.exit_code == 1 and MESSAGE in result.output
    assert question_bank.list_questions(event) == []

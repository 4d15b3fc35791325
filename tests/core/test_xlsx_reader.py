"""The one hardened .xlsx reader of every import: limits from the config, checked from the
zip directory before openpyxl reads anything, and a clock while it reads."""

import io
import zipfile
from dataclasses import replace

import pytest
from openpyxl import Workbook

from bimtek.config import DefaultConfig
from bimtek.core.xlsx_reader import XlsxFile, XlsxLimits, XlsxProblem, check_package
from tests.factories import zip_bomb_xlsx

LIMITS = XlsxLimits(
    max_bytes=5 * 1024 * 1024,
    max_rows=100,
    max_unpacked_bytes=25 * 1024 * 1024,
    max_compression_ratio=100,
    max_seconds=20,
)


def workbook_bytes(rows=(("Nama", "NIK"), ("Andi", "6408011705900001"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_every_limit_is_declared_in_the_default_config():
    for name in (
        "IMPORT_MAX_BYTES",
        "IMPORT_MAX_ROWS",
        "QUESTION_IMPORT_MAX_BYTES",
        "QUESTION_IMPORT_MAX_ROWS",
        "CONTRIBUTOR_IMPORT_MAX_BYTES",
        "CONTRIBUTOR_IMPORT_MAX_ROWS",
        "XLSX_MAX_UNPACKED_BYTES",
        "XLSX_MAX_COMPRESSION_RATIO",
        "XLSX_MAX_SECONDS",
    ):
        assert getattr(DefaultConfig, name) > 0, name
    assert XlsxLimits.for_import("IMPORT").max_rows == DefaultConfig.IMPORT_MAX_ROWS


def test_limits_follow_the_app_config(app):
    app.config["QUESTION_IMPORT_MAX_ROWS"] = 7
    app.config["XLSX_MAX_SECONDS"] = 3
    limits = XlsxLimits.for_import("QUESTION_IMPORT")
    assert (limits.max_rows, limits.max_seconds) == (7, 3.0)


def test_a_good_workbook_is_read():
    with XlsxFile(workbook_bytes(), LIMITS) as xlsx:
        rows = list(xlsx.rows(xlsx.workbook().active))
    assert rows[1] == ("Andi", "6408011705900001")


def test_the_declared_unpacked_size_is_refused():
    with pytest.raises(XlsxProblem, match="Isi berkas terlalu besar") as caught:
        check_package(zip_bomb_xlsx(), LIMITS)
    assert caught.value.code == "bad_file" and "menjadi 51 MB" in caught.value.message


def test_a_part_packed_too_tightly_is_refused_even_under_the_size_limit():
    data = zip_bomb_xlsx(unpacked_mb=3)  # 3 MB of one letter packs about 1000 times
    assert check_package(data, replace(LIMITS, max_compression_ratio=5000))
    with pytest.raises(XlsxProblem, match="dipadatkan paling banyak 100×"):
        check_package(data, LIMITS)


def test_a_small_tightly_packed_part_is_fine():
    buffer = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/blank.xml", b" " * 500_000)  # 1000× but only 0.5 MB
    check_package(buffer.getvalue(), LIMITS)


def test_reading_stops_at_the_time_limit():
    limits = replace(LIMITS, max_seconds=0)
    with pytest.raises(XlsxProblem, match="terlalu lama dibaca"):
        with XlsxFile(workbook_bytes(), limits) as xlsx:
            list(xlsx.rows(xlsx.workbook().active))


def test_a_file_over_the_size_limit_is_refused():
    limits = replace(LIMITS, max_bytes=1000)
    with pytest.raises(XlsxProblem, match="Berkas terlalu besar"):
        check_package(workbook_bytes(), limits)

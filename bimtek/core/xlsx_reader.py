"""Opening an uploaded .xlsx for an import, hardened: one reader for every import.

An .xlsx is a zip of XML parts, and openpyxl unpacks and parses whatever it is given: a
125 KB file whose shared strings unpack to 51 MB is enough to kill a worker (read-only mode
loads every shared string into memory when the workbook opens). So before openpyxl touches
the bytes, the package is checked from its zip directory alone, without unpacking anything:

- the file size (``*_MAX_BYTES`` of the import);
- the sum of the parts' declared unpacked sizes (XLSX_MAX_UNPACKED_BYTES);
- each big part's compression ratio (XLSX_MAX_COMPRESSION_RATIO): real sheets pack 5–30×,
  a bomb hundreds or thousands of times.

Python's zipfile never unpacks more than a part's declared size, so the declared sizes are a
bound that holds. While reading, the rows are counted (``*_MAX_ROWS``, by the caller, who
knows what a data row is) and the clock is watched (XLSX_MAX_SECONDS). Every limit is
declared in ``bimtek.config.DefaultConfig``.
"""

import io
import re
import time
import zipfile
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from bimtek.config import DefaultConfig
from bimtek.errors import InvalidInput

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: parts smaller than this are not ratio-checked (tiny XML compresses very well, harmlessly)
RATIO_GRACE_BYTES = 1024 * 1024
MB = 1024 * 1024


class XlsxProblem(InvalidInput):
    """The file as a whole cannot be read; the message says why, in Bahasa Indonesia."""

    code = "bad_file"


def _setting(name: str):
    if has_app_context() and name in current_app.config:
        return current_app.config[name]
    return getattr(DefaultConfig, name)


@dataclass(frozen=True)
class XlsxLimits:
    """How much one import may read. ``for_import("IMPORT")`` takes IMPORT_MAX_BYTES and
    IMPORT_MAX_ROWS (participants), ``for_import("QUESTION_IMPORT")`` the question bank's."""

    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int
    max_compression_ratio: int
    max_seconds: float

    @classmethod
    def for_import(cls, prefix: str) -> "XlsxLimits":
        return cls(
            max_bytes=int(_setting(f"{prefix}_MAX_BYTES")),
            max_rows=int(_setting(f"{prefix}_MAX_ROWS")),
            max_unpacked_bytes=int(_setting("XLSX_MAX_UNPACKED_BYTES")),
            max_compression_ratio=int(_setting("XLSX_MAX_COMPRESSION_RATIO")),
            max_seconds=float(_setting("XLSX_MAX_SECONDS")),
        )


def _what_it_is(data: bytes) -> str:
    head = data[:4096]
    if b"<html" in head.lower() or b"<table" in head.lower():
        return _("halaman HTML")
    if b"\x00" not in head and (b"," in head or b";" in head or b"\t" in head):
        return _("teks/CSV")
    return _("bukan spreadsheet Excel")


def check_package(data: bytes, limits: XlsxLimits) -> zipfile.ZipFile:
    """The upload as a zip whose declared sizes are within ``limits``; XlsxProblem if not.

    Reads only the zip's central directory: nothing is unpacked here.
    """
    if not data:
        raise XlsxProblem(
            _("Berkas kosong (0 byte). Pilih berkas .xlsx yang berisi data."),
            fields={"file": _("kosong")},
        )
    if len(data) > limits.max_bytes:
        raise XlsxProblem(
            _(
                "Berkas terlalu besar (%(size).1f MB); batas %(limit).0f MB. Hapus gambar atau "
                "lembar lain, atau pecah menjadi beberapa berkas.",
                size=len(data) / MB,
                limit=limits.max_bytes / MB,
            ),
            fields={"file": _("terlalu besar")},
        )
    if data.startswith(OLE2_MAGIC):
        raise XlsxProblem(
            _(
                "Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi. Buka di "
                "Excel, hapus kata sandinya bila ada, lalu pilih Simpan Sebagai → Buku Kerja "
                "Excel (.xlsx)."
            ),
            fields={"file": _("xls")},
        )
    if not data.startswith(b"PK"):
        raise XlsxProblem(
            _(
                "Berkas ini %(kind)s, bukan .xlsx (walaupun namanya mungkin berakhiran .xlsx). "
                "Buka di Excel lalu pilih Simpan Sebagai → Buku Kerja Excel (.xlsx).",
                kind=_what_it_is(data),
            ),
            fields={"file": _("bukan xlsx")},
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise XlsxProblem(
            _(
                "Berkas .xlsx rusak atau tidak lengkap (bukan .xlsx yang utuh). Simpan ulang "
                "dari Excel."
            ),
            fields={"file": _("rusak")},
        ) from None
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise XlsxProblem(
            _("Berkas ini arsip ZIP atau dokumen Office lain, bukan buku kerja Excel (.xlsx)."),
            fields={"file": _("bukan xlsx")},
        )
    unpacked = sum(part.file_size for part in parts)
    packed_badly = [
        part
        for part in parts
        if part.file_size > RATIO_GRACE_BYTES
        and part.file_size > limits.max_compression_ratio * max(part.compress_size, 1)
    ]
    if unpacked > limits.max_unpacked_bytes or packed_badly:
        raise XlsxProblem(
            _(
                "Isi berkas terlalu besar untuk dibaca: %(packed).0f KB yang bila dibuka menjadi "
                "%(unpacked).0f MB (batas %(limit).0f MB, dipadatkan paling banyak %(ratio)s×). "
                "Berkas seperti ini bukan simpanan Excel biasa: simpan ulang dari Excel, atau "
                "pecah menjadi beberapa berkas.",
                packed=len(data) / 1024,
                unpacked=unpacked / MB,
                limit=limits.max_unpacked_bytes / MB,
                ratio=limits.max_compression_ratio,
            ),
            fields={"file": _("terlalu besar bila dibuka")},
        )
    return archive


class XlsxFile:
    """An uploaded .xlsx, checked by ``check_package`` and then read through openpyxl.

    Use as a context manager; every workbook opened through it is closed on the way out.
    ``rows`` watches the clock while iterating a sheet.
    """

    def __init__(self, data: bytes, limits: XlsxLimits):
        self.limits = limits
        self.archive = check_package(data, limits)
        self._data = data
        self._deadline = time.monotonic() + limits.max_seconds
        self._workbooks = []

    def __enter__(self) -> "XlsxFile":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        for workbook in self._workbooks:
            workbook.close()
        self._workbooks.clear()
        self.archive.close()

    def workbook(self, *, data_only: bool = True):
        """The workbook in openpyxl's read-only mode; XlsxProblem for a damaged package."""
        try:
            workbook = load_workbook(io.BytesIO(self._data), read_only=True, data_only=data_only)
        except Exception:  # openpyxl raises many kinds for a damaged package
            raise XlsxProblem(
                _(
                    "Berkas .xlsx rusak atau tidak dapat dibaca (bukan .xlsx yang utuh). Simpan "
                    "ulang dari Excel."
                ),
                fields={"file": _("rusak")},
            ) from None
        self._workbooks.append(workbook)
        self.check_time()
        return workbook

    def check_time(self) -> None:
        """XlsxProblem once reading has taken longer than XLSX_MAX_SECONDS."""
        if time.monotonic() > self._deadline:
            raise XlsxProblem(
                _(
                    "Berkas terlalu lama dibaca (lebih dari %(seconds).0f detik). Hapus lembar, "
                    "gambar atau format yang tidak perlu, atau pecah menjadi beberapa berkas.",
                    seconds=self.limits.max_seconds,
                ),
                fields={"file": _("terlalu lama")},
            )

    def sheet_facts(self, worksheet) -> tuple[list[tuple[int, int, int, int]], bool]:
        """A sheet's merged ranges (min_col, min_row, max_col, max_row) and whether it holds
        formulas. Read-only openpyxl reports neither, so the sheet's XML is searched; the part
        was size-checked by ``check_package``."""
        try:
            xml = self.archive.read(worksheet._worksheet_path.lstrip("/"))
        except KeyError:
            return [], False
        merged = [
            range_boundaries(ref.decode())
            for ref in re.findall(rb'<(?:\w+:)?mergeCell\s[^>]*ref="([A-Z]+\d+:[A-Z]+\d+)"', xml)
        ]
        return merged, re.search(rb"<(?:\w+:)?f[\s>/]", xml) is not None

    def rows(self, worksheet, **options):
        """``worksheet.iter_rows(values_only=True, **options)``, watching the clock."""
        for number, row in enumerate(worksheet.iter_rows(values_only=True, **options)):
            if number % 100 == 0:
                self.check_time()
            yield row

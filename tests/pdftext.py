"""PDF text and QR codes for assertions, through poppler (``pdftotext``, ``pdftoppm``).

pypdf spends most of its time parsing font maps to extract text: on the certificate tests
93% of the slowest test was ``extract_text``, and ``pdftotext`` is about 9× faster on the
same files. pypdf stays for what tests inspect in the structure (pages, forms, metadata,
signatures).
"""

import subprocess
from pathlib import Path

import zxingcpp
from PIL import Image


def pdf_pages(data: bytes, *, raw: bool = False) -> list[str]:
    """The text of every page, in reading order; ``raw``: in drawing order, which keeps a
    rotated word (the DICABUT stamp) whole and a table row in its order, where reading
    order splits the first into letters and groups the second by column."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(data: bytes, *, raw: bool = False) -> str:
    """The text of the whole document, pages joined by newlines."""
    return "\n".join(pdf_pages(data, raw=raw))


def decode_qr(data: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    """Render one page at 150 dpi with pdftoppm and decode every QR code on it."""
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    rendered = subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert rendered.stderr == ""  # poppler complains about any broken resource
    image = Image.open(tmp_path / "page.png")
    return [result.text for result in zxingcpp.read_barcodes(image)]

"""PDF text for assertions, through poppler's ``pdftotext``.

pypdf spends most of its time parsing font maps to extract text: on the certificate tests
93% of the slowest test was ``extract_text``, and ``pdftotext`` is about 9× faster on the
same files. pypdf stays for what tests inspect in the structure (pages, forms, metadata,
signatures).
"""

import subprocess


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

"""Cut one ReportLab PDF into small PDFs of a few pages each, without drawing again.

Rendering 400 separate certificates costs 400 times the fixed price of a PDF (font
subsets, compression of the static forms and images); rendering them as one document and
cutting it costs that price once. A cut document holds its pages, everything they refer to
(contents, forms, images, fonts: shared objects are copied as they are) and a new catalog,
page tree and cross-reference table. Only meant for what ``rendering.render`` writes: an
uncompressed cross-reference table, one flat page tree, no object streams.
"""

import re

_REF = re.compile(rb"(\d+) 0 R\b")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_HEADER = re.compile(rb"^(\d+) 0 obj\r?\n")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_STRING = rb"(?:\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>)"
_LANG = re.compile(rb"/Lang " + _STRING)
_INFO_KEEP = re.compile(rb"/(?:Author|Creator|Subject) " + _STRING)


class ParsedPdf:
    """The objects of a PDF: number -> (dictionary part, rest), and its pages in order."""

    def __init__(self, data: bytes):
        start = int(data[data.rindex(b"startxref") + 9 :].split()[0])
        lines = data[start:].split(b"\n")
        if lines[0].strip() != b"xref":
            raise ValueError("not a plain cross-reference table")
        first, count = (int(x) for x in lines[1].split())
        offsets = {}
        for index in range(count):
            entry = lines[2 + index].split()
            if entry[2] == b"n":
                offsets[first + index] = int(entry[0])
        ends = sorted(offsets.values()) + [start]
        following = dict(zip(ends, ends[1:], strict=False))
        self.objects: dict[int, tuple[bytes, bytes]] = {}
        for number, offset in offsets.items():
            raw = data[offset : following[offset]]
            body = raw[_HEADER.match(raw).end() :]
            body = body[: body.rindex(b"endobj")]
            stream = _STREAM.search(body)
            if stream:
                split = stream.start() + 2
                self.objects[number] = (body[:split], body[split:])
            else:
                self.objects[number] = (body, b"")
        trailer = data[data.rindex(b"trailer") :]
        self.root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
        root_dict = self.objects[self.root][0]
        lang = _LANG.search(root_dict)
        #: the catalog's /Lang entry, kept in every cut document
        self.lang = lang.group(0) if lang else b""
        info = re.search(rb"/Info (\d+) 0 R", trailer)
        info_dict = self.objects[int(info.group(1))][0] if info else b""
        #: /Author, /Creator and /Subject of the document info, kept in every cut document
        self.info = b" ".join(m.group(0) for m in _INFO_KEEP.finditer(info_dict))
        self.pages_tree = int(re.search(rb"/Pages (\d+) 0 R", root_dict).group(1))
        kids = _KIDS.search(self.objects[self.pages_tree][0]).group(1)
        self.pages = [int(n) for n in _REF.findall(kids)]
        self._refs: dict[int, list[int]] = {}

    def refs(self, number: int) -> list[int]:
        found = self._refs.get(number)
        if found is None:
            found = self._refs[number] = [int(n) for n in _REF.findall(self.objects[number][0])]
        return found

    def closure(self, pages: list[int]) -> list[int]:
        """Every object the pages need, not the old catalog or page tree."""
        skip = {self.root, self.pages_tree}
        seen, todo = set(), list(pages)
        while todo:
            number = todo.pop()
            if number in seen or number in skip:
                continue
            seen.add(number)
            todo.extend(self.refs(number))
        return sorted(seen)


def _pdf_text(text: str) -> bytes:
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"


def cut(parsed: ParsedPdf, pages: list[int], title: str = "", keywords: str = "") -> bytes:
    """A PDF of ``pages`` (object numbers of pages in ``parsed``), with the source's
    language, author, creator and subject, and its own title and keywords."""
    needed = parsed.closure(pages)
    numbers = {old: new for new, old in enumerate(needed, start=4)}
    numbers[parsed.pages_tree] = 2

    def renumber(match):
        return b"%d 0 R" % numbers[int(match.group(1))]

    out = [b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n"]
    offsets = []
    size = len(out[0])

    def add(number: int, content: bytes) -> None:
        nonlocal size
        offsets.append((number, size))
        chunk = b"%d 0 obj\n" % number + content + b"endobj\n"
        out.append(chunk)
        size += len(chunk)

    kids = b" ".join(b"%d 0 R" % numbers[page] for page in pages)
    add(1, b"<<\n/Pages 2 0 R /Type /Catalog " + parsed.lang + b"\n>>\n")
    add(2, b"<<\n/Count %d /Kids [ %s ] /Type /Pages\n>>\n" % (len(pages), kids))
    info = b"/Producer (Bimtek) /Title " + _pdf_text(title)
    if keywords:
        info += b" /Keywords " + _pdf_text(keywords)
    add(3, b"<<\n" + info + b" " + parsed.info + b"\n>>\n")
    for old in needed:
        head, rest = parsed.objects[old]
        add(numbers[old], _REF.sub(renumber, head) + rest)
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)]
    for _number, offset in sorted(offsets):
        xref.append(b"%010d 00000 n \n" % offset)
    out.extend(xref)
    out.append(
        b"trailer\n<<\n/Info 3 0 R /Root 1 0 R /Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(offsets) + 1, size)
    )
    return b"".join(out)


def split(
    data: bytes,
    pages_per_document: int,
    titles: list[str] | None = None,
    keywords: list[str] | None = None,
) -> list[bytes]:
    """Cut a PDF into consecutive documents of ``pages_per_document`` pages."""
    parsed = ParsedPdf(data)
    documents = []
    for index in range(0, len(parsed.pages), pages_per_document):
        number = index // pages_per_document
        title = titles[number] if titles else ""
        words = keywords[number] if keywords else ""
        documents.append(
            cut(parsed, parsed.pages[index : index + pages_per_document], title, words)
        )
    return documents

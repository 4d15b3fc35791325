"""The certificate PDF: A4 landscape, page 1 the certificate, page 2 the modules and JP.

Speed: everything that is the same on every certificate of an event (border, ornaments,
logos, texts, signatures, the module table) is drawn once per document as a PDF form
XObject and placed on each page with ``doForm``; per certificate only the name, the number
and the QR code are drawn. 400 certificates make one document in about a second.
"""

import hashlib
import io
import itertools
import math
import re
import zlib
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import segno
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from bimtek.certificates.arabic import visual
from bimtek.core.fonts import register_fonts
from bimtek.core.pdftext import wrap_text
from bimtek.core.timeutil import format_date_id, format_date_range_id

PAGE = landscape(A4)
WIDTH, HEIGHT = PAGE
CENTER = WIDTH / 2
GREEN = HexColor("#0b5d4b")
GREEN_DARK = HexColor("#073d31")
GOLD = HexColor("#b08d3c")
GOLD_LIGHT = HexColor("#d9c48f")
INK = HexColor("#1d2421")
MUTED = HexColor("#5b6661")
PAPER = HexColor("#fffdf7")
WATERMARK = HexColor("#e8efe9")
QR_X, QR_Y, QR_SIZE = 60, 60, 80
QR_MASK = 2
#: length of a verification code (services.CODE_LENGTH)
CODE_TAIL = 24
#: from this many certificates in one document on, QR codes use a QrFamily
BULK = 16
RED = Color(0.75, 0.1, 0.1, alpha=0.55)


@dataclass(frozen=True)
class SignatoryPrint:
    name: str
    title: str
    nip: str
    image: bytes | None = None


@dataclass(frozen=True)
class Design:
    """What is the same on every certificate of an event."""

    title_text: str
    awarded_text: str
    role_text: str
    body_text: str
    organizer: str
    provider: str
    #: venue and city as printed ("Hotel Harris Samarinda"), see Event.place
    place: str
    signing_place: str
    signing_date: date
    signatories: tuple[SignatoryPrint, ...] = ()
    logo_left: bytes | None = None
    logo_right: bytes | None = None
    background: bytes | None = None


@dataclass(frozen=True)
class Sheet:
    """One certificate as printed: the snapshot kept on the certificate, plus its QR URL."""

    name: str
    number: str
    code: str
    url: str
    event_title: str
    start_date: date
    end_date: date
    total_jp: int
    minutes_per_jp: int
    modules: tuple[tuple[str, int], ...] = ()
    revoked: bool = False
    #: the design this certificate was issued with, when it differs from the document's
    design: Design | None = None

    @property
    def static_key(self) -> tuple:
        """Certificates with the same key share the drawn static parts."""
        return (
            self.event_title,
            self.start_date,
            self.end_date,
            self.total_jp,
            self.minutes_per_jp,
            self.modules,
        )


# --- helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedImage:
    """An image decoded and compressed once per process, ready to embed in any PDF."""

    key: str
    width: int
    height: int
    color_space: str
    filters: tuple
    content: bytes
    #: the alpha channel as its own compressed DeviceGray image, if the image has one
    alpha: bytes | None


_IMAGE_CACHE: OrderedDict = OrderedDict()


def prepare_image(data: bytes) -> PreparedImage:
    """Decode, flatten and compress an uploaded PNG/JPEG once; cached by content hash.

    ReportLab's drawImage would decode, hash and re-compress every image in every document;
    for a single certificate download that was most of the time.
    """
    key = hashlib.sha1(data).hexdigest()
    prepared = _IMAGE_CACHE.get(key)
    if prepared is not None:
        _IMAGE_CACHE.move_to_end(key)
        return prepared
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        alpha = None
        if image.format == "JPEG" and image.mode in ("RGB", "L"):
            color_space = "DeviceRGB" if image.mode == "RGB" else "DeviceGray"
            content, filters = data, ("DCTDecode",)
            size = image.size
        else:
            if image.mode in ("P", "LA", "PA", "RGBA", "La") or "transparency" in image.info:
                image = image.convert("RGBA")
                alpha = zlib.compress(image.getchannel("A").tobytes())
                image = image.convert("RGB")
            elif image.mode != "L":
                image = image.convert("RGB")
            color_space = "DeviceRGB" if image.mode == "RGB" else "DeviceGray"
            content, filters = zlib.compress(image.tobytes()), ("FlateDecode",)
            size = image.size
    prepared = PreparedImage(key, size[0], size[1], color_space, filters, content, alpha)
    _IMAGE_CACHE[key] = prepared
    while len(_IMAGE_CACHE) > 32:
        _IMAGE_CACHE.popitem(last=False)
    return prepared


def _image_xobject(name, width, height, color_space, filters, content):
    xobject = pdfdoc.PDFImageXObject(name)
    xobject.width, xobject.height = width, height
    xobject.bitsPerComponent = 8
    xobject.colorSpace = color_space
    xobject._filters = filters
    xobject.streamContent = content
    xobject.mask = None
    return xobject


def draw_image(canvas, data: bytes, x, y, width, height, *, stretch: bool = False) -> None:
    """Draw an image centred in the box, keeping its aspect ratio; embedded once per PDF.

    Does what ``canvas.drawImage`` does when it registers an image XObject, but from the
    per-process ``prepare_image`` cache instead of decoding and compressing again.
    """
    image = prepare_image(data)
    name = "img" + image.key
    reg_name = canvas._doc.getXObjectName(name)
    if canvas._doc.idToObject.get(reg_name) is None:
        xobject = _image_xobject(
            name, image.width, image.height, image.color_space, image.filters, image.content
        )
        if image.alpha is not None:
            mask_name = "msk" + image.key
            mask = _image_xobject(
                mask_name, image.width, image.height, "DeviceGray", ("FlateDecode",), image.alpha
            )
            xobject.smask = canvas._doc.Reference(mask, canvas._doc.getXObjectName(mask_name))
        canvas._setXObjects(xobject)
        canvas._doc.Reference(xobject, reg_name)
        canvas._doc.addForm(name, xobject)
    if stretch:
        drawn_w, drawn_h = width, height
    else:
        scale = min(width / image.width, height / image.height)
        drawn_w, drawn_h = image.width * scale, image.height * scale
    left, bottom = x + (width - drawn_w) / 2, y + (height - drawn_h) / 2
    canvas._currentPageHasImages = 1
    canvas._formsinuse.append(name)  # a resource of the page or form being drawn
    canvas.addLiteral(
        f"q {drawn_w:.3f} 0 0 {drawn_h:.3f} {left:.3f} {bottom:.3f} cm /{reg_name} Do Q"
    )


def has_glyphs(font_name: str, text: str) -> bool:
    char_to_glyph = pdfmetrics.getFont(font_name).face.charToGlyph
    return all(ord(ch) in char_to_glyph for ch in text if not ch.isspace())


def pick_font(text: str, preferred: str, fallback: str) -> str:
    """The preferred (serif) font when it has every glyph of ``text``, else the fallback."""
    return preferred if has_glyphs(preferred, text) else fallback


def fit_lines(text, font, size, width, max_lines, min_size):
    """Wrap ``text`` into at most ``max_lines`` lines, shrinking the size as needed."""
    while True:
        lines = wrap_text(text, font, size, width)
        widest = max((pdfmetrics.stringWidth(line, font, size) for line in lines), default=0)
        if (len(lines) <= max_lines and widest <= width) or size <= min_size:
            return lines, size
        size -= 0.5


def centred(canvas, text, y, font, size, color=INK, char_space=0):
    """Draw ``text`` (logical order; Arabic is shaped here) centred on the page."""
    text = visual(text)
    canvas.setFillColor(color)
    if char_space:
        width = pdfmetrics.stringWidth(text, font, size) + char_space * (len(text) - 1)
        canvas.saveState()
        text_object = canvas.beginText(CENTER - width / 2, y)
        text_object.setFont(font, size)
        text_object.setCharSpace(char_space)
        text_object.textOut(text)
        canvas.drawText(text_object)
        canvas.restoreState()
    else:
        canvas.setFont(font, size)
        canvas.drawCentredString(CENTER, y, text)


# --- static parts ---------------------------------------------------------------------------


def _color_ops(color, stroke=True) -> str:
    r, g, b = color.red, color.green, color.blue
    return f"{r:.3f} {g:.3f} {b:.3f} {'RG' if stroke else 'rg'}"


def _polyline(points) -> str:
    first, *rest = points
    parts = [f"{first[0]:.1f} {first[1]:.1f} m"]
    parts.extend(f"{x:.1f} {y:.1f} l" for x, y in rest)
    return "\n".join(parts)


@lru_cache(maxsize=8)
def _rosette_ops(cx, cy, radius, color_hex, width) -> str:
    """A guilloche rosette as PDF operators, built once per process."""
    ops = ["q", _color_ops(HexColor(color_hex)), f"{width} w"]
    for ring in range(3):
        r0 = radius * (0.55 + 0.2 * ring)
        points = []
        steps = 360
        for step in range(steps + 1):
            t = 2 * math.pi * step / steps
            r = r0 + radius * 0.12 * math.sin(18 * t + ring) * math.cos(3 * t)
            points.append((cx + r * math.cos(t), cy + r * math.sin(t)))
        ops.append(_polyline(points) + " S")
    ops.append("Q")
    return "\n".join(ops)


def _rosette(canvas, cx, cy, radius, color, width=0.35):
    """A guilloche rosette (vector), drawn from cached operators."""
    canvas.addLiteral(_rosette_ops(cx, cy, radius, color.hexval(), width))


@lru_cache(maxsize=8)
def _wave_ops(inset, amplitude, period, color_hex, width, phase) -> str:
    x0, y0, x1, y1 = inset, inset, WIDTH - inset, HEIGHT - inset
    ops = ["q", _color_ops(HexColor(color_hex)), f"{width} w"]
    for shift in (phase, phase + math.pi):
        points = []
        for (ax, ay), (bx, by) in (
            ((x0, y0), (x1, y0)),
            ((x1, y0), (x1, y1)),
            ((x1, y1), (x0, y1)),
            ((x0, y1), (x0, y0)),
        ):
            length = math.hypot(bx - ax, by - ay)
            steps = int(length / 4)
            nx, ny = (by - ay) / length, -(bx - ax) / length
            for step in range(steps + 1):
                s = step / steps
                offset = amplitude * math.sin(2 * math.pi * s * length / period + shift)
                points.append((ax + (bx - ax) * s + nx * offset, ay + (by - ay) * s + ny * offset))
        ops.append(_polyline(points) + " S")
    ops.append("Q")
    return "\n".join(ops)


def _wave_band(canvas, inset, amplitude, period, color, width=0.5, phase=0.0):
    """Sine waves running round the page inside the border (guilloche band)."""
    canvas.addLiteral(_wave_ops(inset, amplitude, period, color.hexval(), width, phase))


WAVE_INSET, WAVE_AMPLITUDE, WAVE_PERIOD = 27.5, 2.6, 16


def draw_wave_period(canvas) -> None:
    """One period of the border's two wave bands, for a form placed all round the page."""
    ops = []
    for color, width, phase in ((GOLD_LIGHT, 0.5, 0.0), (GREEN, 0.35, math.pi / 2)):
        ops += ["q", _color_ops(color), f"{width} w"]
        for shift in (phase, phase + math.pi):
            points = [
                (x / 2, WAVE_AMPLITUDE * math.sin(2 * math.pi * x / 2 / WAVE_PERIOD + shift))
                for x in range(0, 2 * WAVE_PERIOD + 1)
            ]
            ops.append(_polyline(points) + " S")
        ops.append("Q")
    canvas.addLiteral("\n".join(ops))


@lru_cache(maxsize=4)
def _wave_placements(form_name: str) -> str:
    """``cm`` + ``Do`` for each period of the wave form along the four edges."""
    x0, y0 = WAVE_INSET, WAVE_INSET
    x1, y1 = WIDTH - WAVE_INSET, HEIGHT - WAVE_INSET
    ops = []
    for (ax, ay), (bx, by) in (
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ):
        length = math.hypot(bx - ax, by - ay)
        count = max(1, round(length / WAVE_PERIOD))
        step = length / count
        dx, dy = (bx - ax) / length, (by - ay) / length
        scale = step / WAVE_PERIOD
        for index in range(count):
            px, py = ax + dx * step * index, ay + dy * step * index
            ops.append(
                f"q {dx * scale:.4f} {dy * scale:.4f} {-dy:.4f} {dx:.4f} {px:.2f} {py:.2f} cm "
                f"/{form_name} Do Q"
            )
    return "\n".join(ops)


def _waves(canvas, wave_form: str | None) -> None:
    if wave_form is None:
        _wave_band(canvas, WAVE_INSET, WAVE_AMPLITUDE, WAVE_PERIOD, GOLD_LIGHT, 0.5)
        _wave_band(canvas, WAVE_INSET, WAVE_AMPLITUDE, WAVE_PERIOD, GREEN, 0.35, math.pi / 2)
        return
    canvas._formsinuse.append(wave_form)  # a resource of this stream, as doForm does
    canvas.addLiteral(_wave_placements(canvas._doc.getXObjectName(wave_form)))


def _corner(canvas, x, y, sx, sy):
    """A gold corner ornament; (sx, sy) point into the page."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(sx, sy)
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    canvas.setLineWidth(1.2)
    canvas.line(0, 0, 70, 0)
    canvas.line(0, 0, 0, 70)
    canvas.setLineWidth(0.7)
    canvas.line(6, 6, 46, 6)
    canvas.line(6, 6, 6, 46)
    path = canvas.beginPath()
    path.moveTo(0, 0)
    path.curveTo(18, 4, 26, 14, 22, 22)
    path.curveTo(14, 26, 4, 18, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.circle(30, 30, 2.2, stroke=0, fill=1)
    canvas.circle(12, 40, 1.4, stroke=0, fill=1)
    canvas.circle(40, 12, 1.4, stroke=0, fill=1)
    canvas.restoreState()


def draw_frame(canvas, design: Design, wave_form: str | None = None) -> None:
    """Paper, optional background image, border with waves and corner ornaments."""
    if design.background:
        draw_image(canvas, design.background, 0, 0, WIDTH, HEIGHT, stretch=True)
    else:
        canvas.setFillColor(PAPER)
        canvas.rect(0, 0, WIDTH, HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(7)
    canvas.rect(14, 14, WIDTH - 28, HEIGHT - 28, stroke=1, fill=0)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    canvas.rect(21, 21, WIDTH - 42, HEIGHT - 42, stroke=1, fill=0)
    _waves(canvas, wave_form)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.6)
    canvas.rect(34, 34, WIDTH - 68, HEIGHT - 68, stroke=1, fill=0)
    _corner(canvas, 40, 40, 1, 1)
    _corner(canvas, WIDTH - 40, 40, -1, 1)
    _corner(canvas, 40, HEIGHT - 40, 1, -1)
    _corner(canvas, WIDTH - 40, HEIGHT - 40, -1, -1)


def _logo(canvas, data, x, y, size):
    draw_image(canvas, data, x, y, size, size)


def body_lines(design: Design, sheet: Sheet) -> list[tuple[str, str, float, object]]:
    """The sentences under the name: (text, font, size, colour) per line."""
    lines = []
    for line in wrap_text(design.body_text, "Serif", 12.5, 600):
        lines.append((line, "Serif", 12.5, INK))
    title_font = pick_font(sheet.event_title, "Serif-Bold", "Sans-Bold")
    title_lines, title_size = fit_lines(f"“{sheet.event_title}”", title_font, 16, 640, 2, 11)
    for line in title_lines:
        lines.append((line, title_font, title_size, GREEN_DARK))
    organised = ""
    if design.organizer:
        organised = f"yang diselenggarakan oleh {design.organizer}"
        if design.provider:
            organised += f" bekerja sama dengan {design.provider}"
    place = design.place
    when = format_date_range_id(sheet.start_date, sheet.end_date)
    detail = f"di {place}, " if place else ""
    detail += f"pada tanggal {when}"
    if sheet.total_jp:
        detail += f", sebanyak {sheet.total_jp} JP (1 JP = {sheet.minutes_per_jp} menit)"
    sentence = (organised + " " + detail).strip() + "."
    font = pick_font(sentence, "Serif", "Sans")
    for line in fit_lines(sentence, font, 11.5, 660, 3, 9)[0]:
        lines.append((line, font, 11.5 if len(line) else 11.5, INK))
    return lines


def draw_front_static(canvas, design: Design, sheet: Sheet, frame=draw_frame) -> None:
    """Everything on page 1 except the number, the name and the QR code."""
    frame(canvas, design)
    _rosette(canvas, CENTER, 300, 190, WATERMARK)
    if design.logo_left:
        _logo(canvas, design.logo_left, 62, 478, 72)
    if design.logo_right:
        _logo(canvas, design.logo_right, WIDTH - 62 - 72, 478, 72)
    if design.organizer:
        font = pick_font(design.organizer, "Sans-Bold", "Sans-Bold")
        lines, size = fit_lines(design.organizer.upper(), font, 12, 520, 2, 8)
        y = 536 if len(lines) == 1 else 544
        for line in lines:
            centred(canvas, line, y, font, size, GREEN, char_space=1)
            y -= size + 3
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.line(CENTER - 70, 521, CENTER + 70, 521)
    canvas.setFillColor(GOLD)
    canvas.circle(CENTER, 521, 2.2, stroke=0, fill=1)
    title = design.title_text.upper()
    title_font = pick_font(title, "Serif-Bold", "Sans-Bold")
    centred(canvas, title, 474, title_font, 40, GREEN, char_space=9)
    awarded_font = pick_font(design.awarded_text, "Serif-Italic", "Sans")
    centred(canvas, design.awarded_text, 420, awarded_font, 14, MUTED)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.1)
    canvas.line(CENTER - 230, 366, CENTER + 230, 366)
    role_font = pick_font(design.role_text, "Sans-Bold", "Sans-Bold")
    centred(canvas, "sebagai", 346, "Serif-Italic", 12, MUTED)
    centred(canvas, design.role_text.upper(), 328, role_font, 13, GREEN, char_space=2.5)
    y = 305
    for text, font, size, color in body_lines(design, sheet):
        centred(canvas, text, y, font, size, color)
        y -= size + 5.5
    _draw_signatories(canvas, design)
    canvas.setFillColor(MUTED)
    canvas.setFont("Sans", 7.5)
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 40, "Pindai QR untuk memeriksa")
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 31, "keaslian sertifikat ini.")
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 16, "Kode verifikasi:")


def _draw_signatories(canvas, design: Design) -> None:
    signers = design.signatories[:3]
    count = len(signers)
    if not count:
        return
    column = 190
    if count == 1:
        centres = [WIDTH - 215]
    elif count == 2:
        centres = [CENTER - 40, WIDTH - 215]
    else:  # clear of the QR caption on the left, inside the border on the right
        column = 170
        centres = [348, 532, 716]
    place = design.signing_place
    dated = (
        f"{place}, {format_date_id(design.signing_date)}"
        if place
        else format_date_id(design.signing_date)
    )
    canvas.setFillColor(INK)
    canvas.setFont("Sans", 10)
    canvas.drawCentredString(centres[-1], 176, dated)
    for x, signer in zip(centres, signers, strict=False):
        lines, size = fit_lines(signer.title or "", "Sans", 9.5, column, 2, 7)
        y = 160 if len(lines) <= 1 else 164
        canvas.setFillColor(INK)
        for line in lines:
            canvas.setFont("Sans", size)
            canvas.drawCentredString(x, y, visual(line))
            y -= size + 2
        if signer.image:
            draw_image(canvas, signer.image, x - min(70, column / 2), 88, min(140, column), 50)
        name_lines, name_size = fit_lines(signer.name, "Sans-Bold", 10.5, column, 1, 7)
        canvas.setFont("Sans-Bold", name_size)
        shown = visual(name_lines[0])
        canvas.drawCentredString(x, 76, shown)
        name_width = pdfmetrics.stringWidth(shown, "Sans-Bold", name_size)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(x - name_width / 2, 73, x + name_width / 2, 73)
        if signer.nip:
            canvas.setFont("Sans", 9)
            canvas.drawCentredString(x, 62, f"NIP. {signer.nip}")


def draw_back_static(canvas, design: Design, sheet: Sheet, frame=draw_frame) -> None:
    """Page 2: the curriculum with each module's JP and the total."""
    frame(canvas, design)
    centred(canvas, "DAFTAR MATERI", 518, "Serif-Bold", 22, GREEN, char_space=4)
    font = pick_font(sheet.event_title, "Serif", "Sans")
    lines, size = fit_lines(sheet.event_title, font, 12, 620, 2, 9)
    y = 496
    for line in lines:
        centred(canvas, line, y, font, size, MUTED)
        y -= size + 4
    dates = format_date_range_id(sheet.start_date, sheet.end_date)
    centred(canvas, f"{dates} · 1 JP = {sheet.minutes_per_jp} menit", y - 2, "Sans", 9.5, MUTED)

    modules = sheet.modules or (("—", 0),)
    left, widths = 96, (44, 546, 60)
    table_width = sum(widths)
    rows = len(modules) + 2
    available = y - 12 - 110
    row_height = max(13, min(24, available / rows))
    font_size = max(7, min(10.5, row_height - 9))
    top = y - 16

    def row(cells, yy, fill=None, bold=False, color=INK):
        if fill is not None:
            canvas.setFillColor(fill)
            canvas.rect(left, yy - row_height, table_width, row_height, stroke=0, fill=1)
        canvas.setFillColor(color)
        face = "Sans-Bold" if bold else "Sans"
        canvas.setFont(face, font_size)
        baseline = yy - row_height / 2 - font_size * 0.35
        x = left
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            text = visual(str(cell))
            if index == 1:
                while text and pdfmetrics.stringWidth(text, face, font_size) > width - 12:
                    text = text[:-2] + "…"
                canvas.drawString(x + 6, baseline, text)
            else:
                canvas.drawCentredString(x + width / 2, baseline, text)
            x += width

    row(("No.", "Materi", "JP"), top, fill=GREEN, bold=True, color=HexColor("#ffffff"))
    yy = top - row_height
    for index, (title, jp) in enumerate(modules, start=1):
        row((index, title, jp), yy, fill=HexColor("#f3f6f4") if index % 2 == 0 else None)
        yy -= row_height
    row(("", "Jumlah", sheet.total_jp), yy, fill=HexColor("#e7eee9"), bold=True)
    yy -= row_height
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(0.8)
    canvas.rect(left, yy, table_width, top - yy, stroke=1, fill=0)
    canvas.setLineWidth(0.3)
    canvas.line(left + widths[0], yy, left + widths[0], top)
    canvas.line(left + widths[0] + widths[1], yy, left + widths[0] + widths[1], top)


# --- per certificate ------------------------------------------------------------------------


def _qr_bytes(data: bytes, version=None) -> tuple[int, bytes]:
    """(size, one byte 0/1 per module, row by row) of the QR code of ``data``."""
    qr = segno.make_qr(
        data, error="m", mask=QR_MASK, boost_error=False, mode="byte", version=version
    )
    return len(qr.matrix), bytes(itertools.chain.from_iterable(qr.matrix))


class QrFamily:
    """QR codes of texts that differ only in a fixed-length tail, e.g. verification URLs.

    With the version, error level and mask fixed, a QR code is an affine function of its
    data bits over GF(2): the Reed-Solomon codewords are linear in the data, placement is a
    permutation and the mask a constant XOR. So a code is the reference code XOR the
    pattern of every tail bit that differs from the reference; each pattern is computed
    once (with segno) and a new code then costs a few big-integer XORs instead of a full
    encode. ``tests/certificates/test_pdf.py`` checks the result against segno bit for bit.
    """

    def __init__(self, prefix: bytes, tail_length: int):
        self.prefix = prefix
        self.reference = b"A" * tail_length
        self.size, modules = _qr_bytes(prefix + self.reference)
        self.version = segno.make_qr(
            prefix + self.reference, error="m", mask=QR_MASK, boost_error=False, mode="byte"
        ).version
        self.base = int.from_bytes(modules, "big")
        self.length = len(modules)
        self._patterns: dict[tuple[int, int], int] = {}

    def _pattern(self, index: int, bit: int) -> int:
        pattern = self._patterns.get((index, bit))
        if pattern is None:
            flipped = bytearray(self.reference)
            flipped[index] ^= bit
            _size, modules = _qr_bytes(self.prefix + bytes(flipped), self.version)
            pattern = self._patterns[(index, bit)] = int.from_bytes(modules, "big") ^ self.base
        return pattern

    def modules(self, tail: bytes) -> bytes:
        value = self.base
        for index, (byte, reference) in enumerate(zip(tail, self.reference, strict=True)):
            diff = byte ^ reference
            while diff:
                bit = diff & -diff
                value ^= self._pattern(index, bit)
                diff ^= bit
        return value.to_bytes(self.length, "big")


_FAMILIES: OrderedDict = OrderedDict()


def qr_modules(data: str, *, bulk: bool = False) -> tuple[int, bytes]:
    """(size, modules) of the QR code of ``data``; verification URLs of a bulk run go
    through their ``QrFamily``."""
    raw = data.encode()
    head, sep, tail = raw.rpartition(b"/")
    if sep and len(tail) == CODE_TAIL:
        key = (head + sep, len(tail))
        family = _FAMILIES.get(key)
        if family is None and bulk:
            family = _FAMILIES[key] = QrFamily(*key)
            while len(_FAMILIES) > 8:
                _FAMILIES.popitem(last=False)
        if family is not None:
            return family.size, family.modules(tail)
    return _qr_bytes(raw)


_DARK_RUN = re.compile(rb"\x01+")


def draw_qr(canvas, data: str, x: float, y: float, size: float, *, bulk=False) -> None:
    """A QR code as raw PDF path operators in module units (runs of dark modules on a row
    are one rectangle). The mask is fixed: choosing the best of eight is the slowest part
    of encoding, and any mask scans."""
    count, modules = qr_modules(data, bulk=bulk)
    border = 2
    module = size / (count + 2 * border)
    ops = [
        f"q 1 1 1 rg {x:.2f} {y:.2f} {size:.2f} {size:.2f} re f",
        f"0 0 0 rg {module:.4f} 0 0 {module:.4f} {x:.2f} {y:.2f} cm",
    ]
    append = ops.append
    top = count + border - 1
    for row_index in range(count):
        row = modules[row_index * count : (row_index + 1) * count]
        yy = top - row_index
        for run in _DARK_RUN.finditer(row):
            append(f"{run.start() + border} {yy} {run.end() - run.start()} 1 re")
    append("f Q")
    canvas.addLiteral("\n".join(ops))


def draw_front_variable(canvas, sheet: Sheet, *, qr=draw_qr, bulk=False) -> None:
    """The number, the name and the QR code: the only parts that differ per certificate."""
    centred(canvas, f"Nomor: {sheet.number}", 452, "Sans", 11, INK)
    font = pick_font(sheet.name, "Serif-Bold", "Sans-Bold")
    shown = visual(sheet.name)
    size = 32
    while size > 18 and pdfmetrics.stringWidth(shown, font, size) > 640:
        size -= 1
    if pdfmetrics.stringWidth(shown, font, size) <= 640:
        centred(canvas, sheet.name, 378, font, size, INK)
    else:
        lines, size = fit_lines(sheet.name, font, 18, 640, 2, 10)
        y = 394
        for line in lines[:2]:
            centred(canvas, line, y, font, size, INK)
            y -= size + 3
    if bulk:
        qr(canvas, sheet.url, QR_X, QR_Y, QR_SIZE, bulk=True)
    else:
        qr(canvas, sheet.url, QR_X, QR_Y, QR_SIZE)
    canvas.setFillColor(INK)
    canvas.setFont("Sans-Bold", 6.5)
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 7, sheet.code)
    if sheet.revoked:
        _revoked_stamp(canvas)


def draw_back_variable(canvas, sheet: Sheet) -> None:
    canvas.setFillColor(MUTED)
    canvas.setFont("Sans", 8.5)
    font = pick_font(sheet.name, "Sans", "Sans")
    text = f"Lampiran sertifikat nomor {sheet.number} a.n. {sheet.name}"
    canvas.setFont(font, 8.5)
    canvas.drawCentredString(CENTER, 56, visual(text))
    canvas.setFont("Sans", 7.5)
    canvas.drawCentredString(CENTER, 45, f"Verifikasi: {sheet.url}")
    if sheet.revoked:
        _revoked_stamp(canvas)


def _revoked_stamp(canvas) -> None:
    canvas.saveState()
    canvas.translate(CENTER, HEIGHT / 2)
    canvas.rotate(24)
    canvas.setFillColor(RED)
    canvas.setFont("Sans-Bold", 72)
    canvas.drawCentredString(0, -20, "DICABUT")
    canvas.restoreState()


#: the language of the printed text, in the catalog's /Lang
LANGUAGE = "id-ID"
SUBJECT = "Sertifikat Bimbingan Teknis"


def render(
    design: Design,
    sheets,
    *,
    title: str = "Sertifikat",
    bulk: bool | None = None,
    keywords: str = "",
) -> bytes:
    """One PDF holding every sheet (two pages each). Static parts are forms drawn once.

    Every font is embedded (the page's initial font is ours, not ReportLab's Helvetica); the
    document has a title, author, subject and language. It is not a tagged PDF: ReportLab
    (open source) writes no structure tree or marked content, so there is nothing to tag.
    """
    register_fonts()
    with _binary_streams():
        return _render(design, list(sheets), title, bulk, keywords)


@contextmanager
def _binary_streams():
    """Skip ReportLab's ASCII85 wrapping of compressed streams: smaller and much faster."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def _render(design: Design, sheets: list, title: str, bulk: bool | None, keywords: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=PAGE,
        pageCompression=1,
        initialFontName="Sans",
        initialFontSize=10,
        lang=LANGUAGE,
    )
    canvas.setTitle(title)
    canvas.setAuthor(design.organizer or "Bimtek")
    canvas.setSubject(SUBJECT)
    canvas.setKeywords(keywords)
    canvas.setCreator("Bimtek")
    forms: dict[tuple, str] = {}
    frames: dict[int, tuple[str, Design]] = {}
    if bulk is None:
        bulk = len(sheets) >= BULK

    canvas.beginForm("wave", 0, -2 * WAVE_AMPLITUDE, WAVE_PERIOD, 2 * WAVE_AMPLITUDE)
    draw_wave_period(canvas)
    canvas.endForm()

    def frame_of(sheet_design: Design):
        """The frame form of a design, drawn once per document."""
        found = frames.get(id(sheet_design))
        if found is None:
            found = frames[id(sheet_design)] = (f"frame{len(frames)}", sheet_design)
            canvas.beginForm(found[0])
            draw_frame(canvas, sheet_design, wave_form="wave")
            canvas.endForm()
        name = found[0]

        def frame(canvas, _design):
            canvas.doForm(name)

        return frame

    for sheet in sheets:
        sheet_design = sheet.design or design
        key = (id(sheet_design), sheet.static_key)
        name = forms.get(key)
        if name is None:
            frame = frame_of(sheet_design)
            name = forms[key] = f"S{len(forms)}"
            canvas.beginForm(name + "F")
            draw_front_static(canvas, sheet_design, sheet, frame)
            canvas.endForm()
            canvas.beginForm(name + "B")
            draw_back_static(canvas, sheet_design, sheet, frame)
            canvas.endForm()
        canvas.doForm(name + "F")
        draw_front_variable(canvas, sheet, bulk=bulk)
        canvas.showPage()
        canvas.doForm(name + "B")
        draw_back_variable(canvas, sheet)
        canvas.showPage()
    if not forms:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()

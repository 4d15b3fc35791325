"""The one place that reaches into ReportLab's internals, for speed.

Three things ReportLab's public API does slowly or not at all:

- ``draw_image``: ``canvas.drawImage`` decodes, hashes and re-compresses every image in
  every document; for a single certificate download that was most of the time. Here an
  image is decoded and compressed once per process (``prepare_image``) and registered as
  an image XObject of the document directly (``pdfdoc.PDFImageXObject``, ``canvas._doc``).
- ``place_form``: placing a form XObject many times with one literal string of ``cm``/``Do``
  operators (the certificate border's wave pattern) instead of one ``doForm`` call each;
  ReportLab must still be told the form is a resource of the page (``canvas._formsinuse``).
- ``binary_streams``: compressed streams without ReportLab's ASCII85 wrapping
  (``rl_config.useA85``): smaller files and much faster.

Written against ReportLab 5.1 (pinned to ``>=5.1,<5.2`` in setup.cfg).
``check_compatible`` names every internal used; ``tests/certificates/test_reportlab_fast.py``
calls it and fails with a clear message when a ReportLab upgrade moves one of them.
"""

import hashlib
import io
import zlib
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass

import reportlab
from PIL import Image
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

#: the ReportLab minor versions this module was written and tested against
SUPPORTED_VERSIONS = ("5.1",)
#: canvas attributes used here (instance attributes, checked on a fresh canvas)
CANVAS_INTERNALS = ("_doc", "_formsinuse", "_currentPageHasImages", "_setXObjects")
#: document attributes used here
DOCUMENT_INTERNALS = ("getXObjectName", "idToObject", "Reference", "addForm")
#: image XObject attributes set here
IMAGE_INTERNALS = ("_filters", "streamContent", "mask", "colorSpace", "bitsPerComponent")


class IncompatibleReportLab(RuntimeError):
    """ReportLab changed an internal this module relies on."""


def check_compatible() -> None:
    """Raise ``IncompatibleReportLab`` naming what is missing, if anything is."""
    problems = []
    minor = ".".join(reportlab.Version.split(".")[:2])
    if minor not in SUPPORTED_VERSIONS:
        problems.append(f"version {reportlab.Version} is not one of {SUPPORTED_VERSIONS}")
    if not hasattr(rl_config, "useA85"):
        problems.append("rl_config.useA85 is gone")
    canvas = Canvas(io.BytesIO())
    problems += [f"Canvas.{name} is gone" for name in CANVAS_INTERNALS if not hasattr(canvas, name)]
    document = getattr(canvas, "_doc", None)
    problems += [
        f"PDFDocument.{name} is gone"
        for name in DOCUMENT_INTERNALS
        if document is not None and not hasattr(document, name)
    ]
    image = pdfdoc.PDFImageXObject("probe")
    problems += [
        f"PDFImageXObject.{name} is gone" for name in IMAGE_INTERNALS if not hasattr(image, name)
    ]
    if problems:
        raise IncompatibleReportLab(
            "bimtek/certificates/reportlab_fast.py does not fit this ReportLab: "
            + "; ".join(problems)
            + ". Adapt that module to the new internals (or install ReportLab "
            + " / ".join(SUPPORTED_VERSIONS)
            + ".x), then widen the pin in setup.cfg."
        )


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
    """Decode, flatten and compress an uploaded PNG/JPEG once; cached by content hash."""
    key = hashlib.sha1(data).hexdigest()
    prepared = _IMAGE_CACHE.get(key)
    if prepared is not None:
        _IMAGE_CACHE.move_to_end(key)
        return prepared
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


def place_form(canvas, form_name: str) -> str:
    """Make form ``form_name`` a resource of the stream being drawn (as ``doForm`` does) and
    return the name to write after ``Do`` in literal operators."""
    canvas._formsinuse.append(form_name)
    return canvas._doc.getXObjectName(form_name)


@contextmanager
def binary_streams():
    """Skip ReportLab's ASCII85 wrapping of compressed streams: smaller and much faster."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous

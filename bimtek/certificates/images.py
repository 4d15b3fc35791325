"""Logos, backgrounds and scanned signatures on a certificate, through ReportLab's public
``canvas.drawImage``.

The uploaded bytes are opened once per process as a ReportLab ``ImageReader`` (kept by
their SHA-1, a few at a time); ReportLab embeds each image once per document.
"""

import hashlib
import io
from collections import OrderedDict

from reportlab.lib.utils import ImageReader

_READERS: OrderedDict = OrderedDict()
CACHED = 32


def image_reader(data: bytes) -> ImageReader:
    """The image as a ReportLab ``ImageReader``, opened once per process."""
    key = hashlib.sha1(data).hexdigest()
    reader = _READERS.get(key)
    if reader is None:
        reader = _READERS[key] = ImageReader(io.BytesIO(data))
        while len(_READERS) > CACHED:
            _READERS.popitem(last=False)
    else:
        _READERS.move_to_end(key)
    return reader


def draw_image(canvas, data: bytes, x, y, width, height, *, stretch: bool = False) -> None:
    """Draw an image centred in the box, keeping its aspect ratio unless ``stretch``; its
    transparency is kept."""
    canvas.drawImage(
        image_reader(data),
        x,
        y,
        width,
        height,
        mask="auto",
        preserveAspectRatio=not stretch,
        anchor="c",
    )

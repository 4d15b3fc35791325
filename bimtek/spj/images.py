"""Images the SPJ keeps (the logo, stamps, dokumentasi photos): checked with Pillow, turned
upright, scaled down and written again, so nothing of the camera's metadata (EXIF: the
place, the phone, the time) is kept or printed."""

import io

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from bimtek.errors import InvalidInput

#: what an upload may be before it is opened
MAX_UPLOAD_BYTES = 12 * 1024 * 1024
#: a phone photo of 50 megapixels is still accepted; more is refused before decoding
MAX_PIXELS = 8000 * 8000
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")


def _refuse(message: str, field_name: str):
    raise InvalidInput(message, fields={field_name: message})


def clean_image(
    raw: bytes | None, *, label: str, field_name: str, max_side: int, photo: bool = False
) -> tuple[bytes, str]:
    """A PNG (logo, stamp: transparency kept) or, with ``photo``, a JPEG, whose longer side is
    at most ``max_side`` pixels, written anew without EXIF; refused with a field error."""
    if not raw:
        _refuse(_("%(label)s: pilih berkas gambar.", label=label), field_name)
    if len(raw) > MAX_UPLOAD_BYTES:
        _refuse(_("%(label)s: berkas paling besar 12 MB.", label=label), field_name)
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in ACCEPTED_FORMATS:
                raise UnidentifiedImageError
            if not 0 < width * height <= MAX_PIXELS:
                _refuse(
                    _("%(label)s: gambar paling besar 8000×8000 piksel.", label=label),
                    field_name,
                )
            probe.verify()
        image = Image.open(io.BytesIO(raw))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse(_("%(label)s: hanya gambar PNG, JPG atau WebP.", label=label), field_name)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side), Image.LANCZOS)
    out = io.BytesIO()
    if photo:
        image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
        return out.getvalue(), "image/jpeg"
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png"

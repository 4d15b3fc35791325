"""Every bad file a manager can give as a logo, stamp or photo has a field error, and nothing
is kept."""

import io

import pytest
from PIL import Image

from bimtek.errors import InvalidInput
from bimtek.spj.images import MAX_UPLOAD_BYTES, clean_image
from tests.spj.helpers import png


def _image(size, mode="1", format="PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=format)
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "pilih berkas gambar"),
        (b"%PDF-1.7 not a picture", "hanya gambar PNG, JPG atau WebP"),
        (png()[:60], "hanya gambar PNG, JPG atau WebP"),  # cut short
        (_image((40, 40), "RGB", "GIF"), "hanya gambar PNG, JPG atau WebP"),
        (_image((8001, 8000)), "8000×8000 piksel"),  # small as a file, huge once decoded
        (b"\0" * (MAX_UPLOAD_BYTES + 1), "12 MB"),
    ],
    ids=["empty", "not-an-image", "truncated", "gif", "too-many-pixels", "too-big"],
)
def test_a_bad_image_is_refused_with_a_field_error(raw, words):
    with pytest.raises(InvalidInput) as refused:
        clean_image(raw, label="Logo", field_name="logo", max_side=600)
    assert words in refused.value.message
    assert refused.value.fields == {"logo": refused.value.message}


def test_a_good_image_is_rewritten_within_its_size():
    data, _kind = clean_image(png((3000, 1000)), label="Logo", field_name="logo", max_side=600)
    assert Image.open(io.BytesIO(data)).size == (600, 200)

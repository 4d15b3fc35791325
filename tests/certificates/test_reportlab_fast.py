"""The ReportLab internals the certificate renderer relies on are still there."""

import io

from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from bimtek.certificates import reportlab_fast


def test_this_reportlab_fits_the_adapter():
    """Fails with the list of what moved when ReportLab is upgraded past the pin."""
    reportlab_fast.check_compatible()


def test_check_names_what_is_missing(monkeypatch):
    monkeypatch.setattr(reportlab_fast, "SUPPORTED_VERSIONS", ("0.1",))
    monkeypatch.setattr(reportlab_fast, "CANVAS_INTERNALS", ("_no_such_internal",))
    try:
        reportlab_fast.check_compatible()
    except reportlab_fast.IncompatibleReportLab as error:
        message = str(error)
    else:
        raise AssertionError("an unknown ReportLab version passed the check")
    assert "is not one of ('0.1',)" in message
    assert "Canvas._no_such_internal is gone" in message
    assert "reportlab_fast.py" in message


def _png(mode: str) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (40, 20), (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(
        out, "PNG"
    )
    return out.getvalue()


def test_images_and_placed_forms_make_a_valid_pdf():
    buffer = io.BytesIO()
    with reportlab_fast.binary_streams():
        canvas = Canvas(buffer, pageCompression=1)
        canvas.beginForm("dot", 0, 0, 10, 10)
        canvas.circle(5, 5, 4, stroke=0, fill=1)
        canvas.endForm()
        name = reportlab_fast.place_form(canvas, "dot")
        canvas.addLiteral(f"q 1 0 0 1 100 100 cm /{name} Do Q")
        reportlab_fast.draw_image(canvas, _png("RGBA"), 10, 10, 80, 40)
        reportlab_fast.draw_image(canvas, _png("RGB"), 10, 60, 80, 40)
        reportlab_fast.draw_image(canvas, _png("RGBA"), 10, 110, 80, 40)  # embedded once
        canvas.showPage()
        canvas.save()
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    images = [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 2
    assert any("/SMask" in image.get_object() for image in images)
    assert any(x.get_object()["/Subtype"] == "/Form" for x in xobjects.values())

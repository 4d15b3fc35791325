"""QR codes (segno): inline SVG for pages, vector squares for ReportLab documents."""

import segno


def qr_matrix(data: str, error="m"):
    return segno.make_qr(data, error=error)


def qr_svg(data: str, *, scale: int = 6, title: str | None = None) -> str:
    """An inline <svg> element, no XML declaration, safe to place in a template with |safe."""
    qr = qr_matrix(data)
    return qr.svg_inline(scale=scale, border=2, title=title, dark="#111", omitsize=True)


def draw_qr(canvas, data: str, x: float, y: float, size: float, border: int = 2) -> None:
    """Draw a QR code as filled squares with its lower-left corner at (x, y).

    Runs of dark modules on a row are drawn as one rectangle, which keeps PDFs small and fast.
    """
    qr = qr_matrix(data)
    matrix = list(qr.matrix)
    count = len(matrix) + 2 * border
    module = size / count
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + border + 1) * module
        col = 0
        width = len(row)
        while col < width:
            if row[col]:
                start = col
                while col < width and row[col]:
                    col += 1
                path.rect(x + (start + border) * module, top, (col - start) * module, module)
            else:
                col += 1
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()

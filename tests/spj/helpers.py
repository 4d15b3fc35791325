"""Builders and checks shared by the SPJ tests."""

import io
import os
import shutil
import subprocess
from pathlib import Path

from PIL import Image


def png(size=(300, 200), color=(200, 30, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif(size=(1600, 1200)) -> bytes:
    """A phone-like JPEG carrying EXIF (a GPS-ish tag, the camera, an orientation)."""
    image = Image.new("RGB", size, (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° CW to view
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def check_pdf(data: bytes, tmp_path: Path, name: str = "doc") -> list[str]:
    """Write the PDF, run ``qpdf --check`` and ``pdffonts``; the font table's lines.

    Fails when qpdf reports an error or a font is not embedded. PNGs of its pages are
    written next to it, or into $SPJ_PAGES_DIR (``pdftoppm -png -r 60``), to look at."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    if shutil.which("qpdf"):
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    lines = []
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        lines = out.splitlines()[2:]
        for line in lines:
            columns = line.split()
            # name type [encoding] emb sub uni object ID: "emb" is the 5th from the end
            assert columns[-5] == "yes", f"font not embedded: {line}"
    if shutil.which("pdftoppm"):
        folder = Path(os.environ.get("SPJ_PAGES_DIR") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(folder / name)], check=True)
    return lines

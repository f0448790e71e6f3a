"""Reading printed documents back as a person would: the text (pdftotext) and the QR codes on
each page (pdftoppm renders the page, zxing-cpp decodes it)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed: cannot read the PDF",
)


def pdf_text(content: bytes) -> str:
    """The PDF's text with runs of whitespace made one space."""
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60)
    return " ".join(text.stdout.decode().split())


def qr_codes_per_page(content: bytes, dpi: int = 150) -> list[list[str]]:
    """The texts of the QR codes each page shows, page by page, as a phone camera would read a
    print of it at ``dpi``."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(content)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(Path(folder) / "page")], check=True, timeout=120
        )
        pages = sorted(Path(folder).glob("page-*.png"))
        found = []
        for page in pages:
            with Image.open(page) as image:
                found.append(sorted(result.text for result in zxingcpp.read_barcodes(image.convert("L"))))
        return found

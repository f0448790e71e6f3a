"""The regency's logo: what an upload must be (a small PNG or a plain SVG drawing, judged by
its content), and how it is drawn into PDFs."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from lxml import etree
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Elements that run code or pull in other content: a logo needs none of them.
SVG_REFUSED = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "handler", "listener"}


@dataclass(frozen=True)
class CheckedLogo:
    content: bytes
    content_type: str
    extension: str


def _local_name(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _check_svg(content: bytes) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        raise ValidationError(_("The SVG file cannot be read as a drawing.")) from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise ValidationError(_("The SVG file cannot be read as a drawing."))
    if root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in content:
        raise ValidationError(_("The SVG logo may not contain scripts, events or links to other content."))
    for element in root.iter():
        if _local_name(element.tag) in SVG_REFUSED:
            raise ValidationError(_("The SVG logo may not contain scripts, events or links to other content."))
        for name, value in element.attrib.items():
            local = _local_name(name).lower()
            if local.startswith("on") or (local == "href" and not value.strip().startswith("#")):
                raise ValidationError(_("The SVG logo may not contain scripts, events or links to other content."))
    if svg_drawing(content) is None:
        raise ValidationError(_("The SVG file cannot be read as a drawing."))


def _check_png(content: bytes) -> None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The PNG file is damaged.")) from None
    if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
        raise ValidationError(
            _("The logo may be at most %(pixels)d pixels wide and high.") % {"pixels": MAX_LOGO_PIXELS}
        )


def checked_logo(upload: UploadedFile) -> CheckedLogo:
    """The upload as a logo, or ValidationError saying plainly what is wrong: too large, empty,
    not PNG or SVG by content, a name that does not match the content, a damaged image, or an
    SVG with scripts, event handlers or links to outside content."""
    if upload.size is not None and upload.size > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo is larger than %(size)d KB.") % {"size": MAX_LOGO_BYTES // 1024})
    upload.seek(0)
    content = upload.read(MAX_LOGO_BYTES + 1)
    if len(content) > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo is larger than %(size)d KB.") % {"size": MAX_LOGO_BYTES // 1024})
    if not content:
        raise ValidationError(_("The file is empty."))
    name = (upload.name or "").lower()
    if content.startswith(PNG_SIGNATURE):
        kind = CheckedLogo(content, "image/png", ".png")
    elif b"<svg" in content[:4096]:
        kind = CheckedLogo(content, "image/svg+xml", ".svg")
    else:
        raise ValidationError(_("The logo must be a PNG image or an SVG drawing."))
    if not name.endswith(kind.extension):
        raise ValidationError(_("The file's name does not match its content (%(type)s).") % {"type": kind.content_type})
    if kind.content_type == "image/png":
        _check_png(content)
    else:
        _check_svg(content)
    return kind


def svg_drawing(content: bytes):
    """The SVG as a reportlab drawing, or None when svglib cannot read it."""
    from svglib.svglib import svg2rlg

    try:
        return svg2rlg(io.BytesIO(content))
    except Exception:  # svglib raises many kinds of error on drawings it cannot read
        return None


def logo_flowable(content: bytes, content_type: str, *, height: float):
    """The logo as a reportlab flowable ``height`` points high (its width in proportion), or
    None when it cannot be drawn."""
    from reportlab.platypus import Image as PdfImage

    if content_type == "image/png":
        with Image.open(io.BytesIO(content)) as image:
            width, tall = image.size
        return PdfImage(io.BytesIO(content), width=height * width / tall, height=height)
    drawing = svg_drawing(content)
    if drawing is None or not drawing.height:
        return None
    factor = height / drawing.height
    drawing.scale(factor, factor)
    drawing.width, drawing.height = drawing.width * factor, height
    return drawing

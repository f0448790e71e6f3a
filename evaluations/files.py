"""Uploaded evidence and attachments: checks of size, real type (by content, not name) and
content (no script in a PDF, an image that decodes) on the way in, a safe name to store it
under, and the download of a stored one on the way out."""

import os
import re
import unicodedata
import zlib

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Content signature → (content type, file name endings allowed for it)
SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
# A phone photo is 12–50 megapixels; more is a decompression bomb, not evidence.
MAX_IMAGE_PIXELS = 60_000_000
# PDF names that run something when the file is opened or clicked in a reader.
ACTIVE_PDF_NAMES = {b"JavaScript", b"JS", b"Launch"}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# What the inflated streams of one PDF may add up to: its content is read, never its bombs.
MAX_PDF_INFLATED_BYTES = 64 * 1024 * 1024


def checked_upload(upload: UploadedFile) -> str:
    """Return the content type of an acceptable PDF, PNG or JPEG upload of at most 5 MB, or
    raise ValidationError saying what is wrong."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    name = (upload.name or "").lower()
    for signature, content_type, endings in SIGNATURES:
        if head.startswith(signature):
            if not name.endswith(endings):
                raise ValidationError(
                    _("The file's name does not match its content (%(type)s).") % {"type": content_type}
                )
            if content_type == "application/pdf":
                _check_pdf(upload)
            else:
                _check_image(upload, content_type)
            return content_type
    raise ValidationError(_("Only PDF, PNG or JPEG files are accepted."))


def _pdf_names(data: bytes) -> set[bytes]:
    # "#4A#53" in a name is "JS": readers decode it, so the check does too.
    return {re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), n) for n in _PDF_NAME.findall(data)}


def _pdf_streams(data: bytes):
    """The streams of the file inflated (compressed object streams can hide an action), up to a
    total; a stream that does not inflate is left as it is."""
    budget = MAX_PDF_INFLATED_BYTES
    for match in _PDF_STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        try:
            inflated = zlib.decompressobj().decompress(data[match.end() : end if end >= 0 else None], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated
        if budget <= 0:
            return


def _check_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    names = _pdf_names(data)
    for inflated in _pdf_streams(data):
        names |= _pdf_names(inflated)
    if names & ACTIVE_PDF_NAMES:
        raise ValidationError(
            _("The PDF contains JavaScript or an action that starts a program; save it again without them.")
        )


def _check_image(upload: UploadedFile, content_type: str) -> None:
    from PIL import Image

    message = _("The file cannot be read as a %(format)s image.") % {"format": PILLOW_FORMATS[content_type]}
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format != PILLOW_FORMATS[content_type]:
                raise ValidationError(message)
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image has more than 60 million pixels; send a smaller one."))
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # verify() reads the structure; only decoding finds broken image data
        if content_type == "image/png":
            # Nothing follows a PNG's end chunk but what a polyglot hides there (HTML, a script).
            upload.seek(0)
            data = upload.read()
            end = data.rfind(b"IEND")
            if end < 0 or data[end + 8 :].strip(b"\x00"):
                raise ValidationError(message)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(message) from None
    finally:
        upload.seek(0)


def display_name(name: str) -> str:
    """The uploaded file's own name, as people see it on the page and in the download: no
    folders or control characters, at most 100 characters with its extension kept."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .") or _("file")
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = name, ""
    keep = 100 - (len(extension) + 1 if extension else 0)
    return f"{stem[:keep]}.{extension}" if extension else name[:100]


def storage_name(name: str, content_type: str) -> str:
    """A short, plain name to store an upload under: letters, digits and hyphens from its own
    name, then the extension of its checked type. A dotted or very long name, which the storage
    would refuse, never reaches it."""
    stem = os.path.splitext(display_name(name))[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()[:40] or "berkas"
    return stem + EXTENSIONS[content_type]


def stored(field: FieldFile, upload: UploadedFile, content_type: str, *, form_field: str) -> None:
    """Save an upload into a file field under its storage name; any refusal of the storage is a
    message on the form's field, not an error page."""
    try:
        field.save(storage_name(upload.name or "", content_type), upload, save=False)
    except (SuspiciousFileOperation, OSError):
        raise ValidationError({form_field: [_("The file could not be stored; rename it and try again.")]}) from None


def private_download(file: FieldFile, name: str, content_type: str) -> FileResponse:
    """A stored upload as a download (never rendered in the page's origin), under the name and in
    the type checked at upload; 404 when there is no file or it has gone from the storage."""
    if not file:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name or os.path.basename(file.name),
        content_type=content_type or "application/octet-stream",
    )

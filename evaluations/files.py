"""Uploaded evidence and attachments: checks of size and real type (by content, not name) on the
way in, and the download of a stored one on the way out."""

import os

from django.core.exceptions import ValidationError
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
            return content_type
    raise ValidationError(_("Only PDF, PNG or JPEG files are accepted."))


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

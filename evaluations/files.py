"""Checks for uploaded evidence and attachments: size and real type (by content, not name)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
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

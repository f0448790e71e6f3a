"""Reads of issued documents for the public verification page."""

from documents.models import IssuedDocument
from documents.services import normalised_code


def document_by_code(text: str) -> IssuedDocument | None:
    """The issue printed with ``text`` (as typed: any case, with or without the dash), or None."""
    code = normalised_code(text)
    if not code:
        return None
    return IssuedDocument.objects.select_related("agency", "service", "superseded_by").filter(code=code).first()


def current_issue(document: IssuedDocument) -> IssuedDocument:
    """The newest issue of the same document (itself when it is current)."""
    newest = document
    while newest.superseded_by_id is not None:
        newest = newest.superseded_by
    return newest

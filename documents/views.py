"""The public verification page of an issued document."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from documents.models import DocumentKind, IssuedDocument
from documents.selectors import current_issue, document_by_code
from surveys import periods


def _period_label(document: IssuedDocument) -> str:
    """The document's period in the reader's language, worded from its key; the label stored at
    issue (in the language of whoever printed it) only for a key that cannot be read."""
    if document.period_key:
        try:
            return periods.parse(document.period_key).label
        except periods.PeriodError:
            pass
    return document.period_label


def _self_assessment_rows(document: IssuedDocument) -> list[dict]:
    """The figures of a self-assessment pack worded in the reader's language."""
    if document.kind != DocumentKind.SELF_ASSESSMENT:
        return []
    from reports.self_assessment import figure_rows  # reports builds on documents, not the reverse

    return figure_rows(document.figures.get("self_assessment") or [])


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What the document printed with ``code`` is, its key figures, and whether a newer issue
    replaced it; an unknown code is a 404 that says how to read the code. Never a suggestion
    or anything personal: only what the printed document itself shows."""
    document = document_by_code(code)
    if document is None:
        return render(request, "documents/verify_unknown.html", {"code": code[:40]}, status=404)
    newest = current_issue(document)
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "period_label": _period_label(document),
            "newest": newest if newest.pk != document.pk else None,
            "self_assessment": _self_assessment_rows(document),
        },
    )

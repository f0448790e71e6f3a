"""The printable recommendation (A4 PDF), for every staff member who may see it."""

from django.views.decorators.http import require_GET

from accounts.access import get_scoped_or_404, staff_required
from documents.http import pdf_response
from evaluations.models import Recommendation
from evaluations.pdf import letter_issue


@staff_required()
@require_GET
def recommendation_pdf(request, pk: int):
    recommendation = get_scoped_or_404(
        request.user, Recommendation.objects.select_related("agency", "issued_by"), pk=pk
    )
    _document, content = letter_issue(recommendation=recommendation, actor=request.user)
    return pdf_response(content, f"rekomendasi-{recommendation.agency.code}-{recommendation.pk}.pdf", inline=True)

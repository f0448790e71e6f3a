"""The printable recommendation (A4 PDF), for every staff member who may see it."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from accounts.access import get_scoped_or_404, staff_required
from evaluations.models import Recommendation
from evaluations.pdf import letter_issue


@staff_required()
@require_GET
def recommendation_pdf(request, pk: int):
    recommendation = get_scoped_or_404(
        request.user, Recommendation.objects.select_related("agency", "issued_by"), pk=pk
    )
    _document, content = letter_issue(recommendation=recommendation, actor=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"rekomendasi-{recommendation.agency.code}-{recommendation.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

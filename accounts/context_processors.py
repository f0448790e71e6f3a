from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import ADMINS, ALL_STAFF, CATALOG_EDITORS, can
from accounts.two_factor import TWO_FACTOR_ROLES
from agencies.selectors import regency_identity


def navigation(request):
    """The staff menu, built from the same role lists the views check."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and can(user, ALL_STAFF):
        items = [
            (reverse("accounts:dashboard"), _("Dashboard")),
            (reverse("results:regency"), _("Survey results")),
            (reverse("review:index"), _("Review")),
            (reverse("evaluations:recommendation_list"), _("Recommendations")),
            (reverse("reports:self_assessment_regency"), _("Self-assessment")),
            (reverse("standards:staff_service_list"), _("Services")),
            (reverse("agencies:staff_agency_list"), _("Agencies")),
            (reverse("questionnaire:list"), _("Questionnaire")),
            (reverse("kiosks:list"), _("Kiosks")),
            (reverse("exports:index"), _("Exports")),
        ]
        if can(user, CATALOG_EDITORS):
            items += [
                (reverse("paper:upload"), _("Paper surveys")),
                (reverse("coordination:request_list"), _("Requests")),
                (reverse("coordination:announcement_list"), _("Announcements")),
            ]
        if can(user, TWO_FACTOR_ROLES):
            items.append((reverse("accounts:two_factor"), _("Two-factor sign-in")))
        if can(user, ADMINS):
            items += [
                (reverse("accounts:user_list"), _("Users")),
                (reverse("standards:catalog_upload"), _("Import catalog")),
                (reverse("agencies:regency_identity"), _("Regency identity")),
                (reverse("accounts:audit_log"), _("Audit log")),
                (reverse("outbox:problems"), _("Emails not delivered")),
            ]
    return {"staff_nav": items, "site_name": settings.SITE_NAME}


def regency(request):
    """The regency's identity (name, logo URL, address, evaluating office) for every template,
    with neutral defaults until the super admin sets it. Read once per request."""
    if not hasattr(request, "_regency_identity"):
        request._regency_identity = regency_identity()
    return {"regency": request._regency_identity}
